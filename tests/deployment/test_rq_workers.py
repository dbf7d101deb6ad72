"""Redis for the cache and the task queue, and RQ workers, as production runs them (docs/deployment.md, section 4).

Every process here is a separate Kesai process with production's settings (tests/production_settings.py) and
REDIS_URL set to Redis database 14, so lms/settings/base.py's REDIS_URL block chooses the Redis cache, django-rq's
queue and the django-tasks-rq backend. They share one database through DATABASE_URL (a copy of the migrated test
database: a file on SQLite, a database of its own on PostgreSQL's server) and one PRIVATE_MEDIA_ROOT folder, as
workers and web nodes share PostgreSQL and a file system. What it proves:

- the cache is Redis: a value one web process caches is read by another;
- the rate limits of the public transcript pages (KESAI_SHARE_LINK_RATE for secret links, KESAI_VERIFY_RATE for
  verification by code) count the requests of every web process together, per client address taken from the
  header RATELIMIT_IP_META_KEY names;
- issuing a transcript queues its PDF on RQ (nothing is rendered in the request), and the documented worker,
  ``manage.py rqworker --burst --job-class django_tasks_rq.Job default``, renders it (with WeasyPrint) into
  PRIVATE_MEDIA_ROOT and records it in the database; another web process then reads the task's result through the
  task API and the owner downloads exactly the stored bytes; nothing is left queued or failed.
"""

import hashlib
import secrets
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
import redis
from rq import Queue
from rq.registry import FailedJobRegistry

from tests.deployment.harness import Deployment, clone_test_database, database_name, drop_database

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.xdist_group("deployment-redis-db-14"),  # one worker runs the module's scenario, under --dist loadgroup
]

RENDER_TASK = "portfolios.transcripts.tasks.render_transcript_task"
#: Per client address and hour: small, so that a few requests reach them, and per hour, so that the counters
#: (kept in Redis for the period and 5 s more) outlive a slow machine's process start-ups.
LINK_RATE = VERIFY_RATE = 4
#: Each of two web processes makes this many requests of each kind, from the same client, at the same time.
EACH = 3
CLIENT, OTHER_CLIENT = "198.51.100.23", "198.51.100.99"
WORKER = ("rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default")


@pytest.fixture
def deployment(once, redis_url, tmp_path_factory) -> Deployment:
    def install() -> Deployment:
        folder = tmp_path_factory.mktemp("rq-deployment")
        once.cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
        database_url = clone_test_database(database_name(), folder)
        once.cleanup(lambda: drop_database(database_url))
        (folder / "media").mkdir()
        (folder / "private-media").mkdir()
        return Deployment(
            database_url=database_url,
            media_root=folder / "media",
            private_media_root=folder / "private-media",
            REDIS_URL=redis_url,
            KESAI_SHARE_LINK_RATE=f"{LINK_RATE}/h",
            KESAI_VERIFY_RATE=f"{VERIFY_RATE}/h",
            RATELIMIT_IP_META_KEY="HTTP_X_REAL_IP",
        )

    return once("deployment", install)


@pytest.fixture
def queue(redis_url):
    connection = redis.Redis.from_url(redis_url)
    yield Queue("default", connection=connection)
    connection.close()


@pytest.fixture
def issued(once, deployment, queue) -> dict:
    """A web process caches a value, issues a transcript and makes a secret link; what was queued then."""

    def issue() -> dict:
        value = secrets.token_hex(8)
        found = deployment.run("issue_and_share", cache_key="deployment-check", cache_value=value)
        found["cache_value"] = value
        found["queued_job_ids"] = list(queue.job_ids)
        return found

    return once("issued", issue)


@pytest.fixture
def worked(once, deployment, issued) -> dict:
    """One RQ worker empties the queue; then another web process looks at the transcript."""

    def work() -> dict:
        worker = deployment.manage(*WORKER)
        assert worker.returncode == 0, worker.stderr[-5000:]
        (job,) = [job for job in issued["enqueued"] if job["task"] == RENDER_TASK]
        return deployment.run("after_the_worker", transcript_id=issued["transcript"], job_id=job["id"])

    return once("worked", work)


@pytest.fixture
def public_pages(once, deployment, issued) -> dict:
    """Two web processes at once take EACH guesses at secret links and EACH verifications by code from the same
    client; then a third opens the real link and verifies from that client and from another one."""

    def hit() -> dict:
        now = float(int(time.time()))  # every process counts in the same rate-limit window
        burst = [["link", secrets.token_urlsafe(24), CLIENT] for _ in range(EACH)] + [
            ["verify", issued["verification_code"], CLIENT] for _ in range(EACH)
        ]
        together = [deployment.start("open_public_pages", requests=burst, ratelimit_now=now) for _ in range(2)]
        statuses = [deployment.result(process)["statuses"] for process in together]
        after = deployment.run(
            "open_public_pages",
            ratelimit_now=now,
            requests=[
                ["link", issued["token"], CLIENT],
                ["link", issued["token"], OTHER_CLIENT],
                ["verify", issued["verification_code"], CLIENT],
                ["verify", issued["verification_code"], OTHER_CLIENT],
            ],
        )["statuses"]
        return {
            "links": Counter(status for process in statuses for status in process[:EACH]),
            "verifications": Counter(status for process in statuses for status in process[EACH:]),
            "after": dict(zip(["link", "link_other", "verify", "verify_other"], after, strict=True)),
        }

    return once("public_pages", hit)


def test_the_cache_is_redis_and_shared_between_processes(deployment, issued, queue):
    assert issued["cache_backend"] == "django.core.cache.backends.redis.RedisCache"
    assert deployment.run("read_cache", cache_key="deployment-check")["value"] == issued["cache_value"]
    keys = queue.connection.keys("*deployment-check")
    assert len(keys) == 1, keys  # in database 14, the one REDIS_URL names


def test_share_link_requests_from_two_processes_share_one_count(public_pages):
    # 2 processes × 3 guesses = 6 requests at a limit of 4: the first 4 are answered (404, no such link), the
    # other 2 refused, whichever process made them. Counted per process, no request would have been refused.
    assert public_pages["links"] == {404: LINK_RATE, 429: 2 * EACH - LINK_RATE}
    assert public_pages["after"]["link"] == 429  # the client is limited, even with the real token


def test_verification_requests_from_two_processes_share_one_count(public_pages):
    assert public_pages["verifications"] == {200: VERIFY_RATE, 429: 2 * EACH - VERIFY_RATE}
    assert public_pages["after"]["verify"] == 429


def test_the_limits_count_per_client_address_from_the_proxy_header(public_pages):
    # Every request reaches Django from 127.0.0.1; only X-Real-IP tells the two clients apart: in the same
    # process, at the same moment, the limited client is refused and the other one is answered.
    after = public_pages["after"]
    assert (after["link"], after["link_other"]) == (429, 200)
    assert (after["verify"], after["verify_other"]) == (429, 200)


def test_issuing_queues_the_pdf_on_rq_instead_of_rendering_it(issued):
    assert issued["task_backend"] == "RQBackend"
    assert issued["render_status"] == "pending"
    assert issued["pdf"] == ""
    (job,) = [job for job in issued["enqueued"] if job["task"] == RENDER_TASK]
    assert job["args"] == [issued["transcript"]]
    assert job["queue"] == "default"
    assert job["id"] in issued["queued_job_ids"]  # in Redis database 14, queue "default"


def test_an_rq_worker_renders_the_queued_pdf_into_storage(deployment, worked):
    assert worked["render_status"] == "done", worked["render_error"]
    assert worked["pdf"].startswith("transcripts/"), worked
    stored = Path(deployment.private_media_root, worked["pdf"]).read_bytes()
    assert stored.startswith(b"%PDF-")
    assert hashlib.sha256(stored).hexdigest() == worked["pdf_sha256"]


def test_the_task_result_is_read_through_the_task_api_in_another_process(worked):
    assert worked["task_status"] == "SUCCESSFUL"
    assert worked["task_return_value"] == worked["pdf"]
    assert worked["task_worker_ids"], worked


def test_the_owner_downloads_the_pdf_the_worker_rendered(worked):
    assert worked["status"] == 200
    assert worked["downloaded_sha256"] == worked["pdf_sha256"]


def test_the_worker_leaves_nothing_queued_or_failed(worked, queue):
    assert queue.job_ids == []
    assert FailedJobRegistry(queue=queue).get_job_ids() == []
