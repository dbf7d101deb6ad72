"""PostgreSQL stopped and restarted under a running site: requests fail briefly, then recover on their own.

A PostgreSQL cluster of the test's own (``initdb`` in a temporary folder, its own port: the machine's server,
which the rest of the suite uses, is never touched) holds a copy of the test database. gunicorn serves the site
from it with the production settings and persistent connections (``CONN_MAX_AGE=60``, health-checked), so every
web worker holds a connection that the restart kills. The test then

- restarts PostgreSQL between two requests: the next requests all succeed, on every worker (the health check
  replaces the dead connection before the request uses it);
- stops PostgreSQL and sends requests: they answer 503 with Retry-After and the "briefly unavailable" page, never
  a 500; then starts it again: the very next requests succeed.
Both times the web workers are the same processes as before: nothing restarted the web tier. The page asked for
is the verification page, which looks the code up in the database.

PostgreSQL only; needs the server binaries (the machine's PostgreSQL packages) and, as root, runs them as the
``postgres`` user, since PostgreSQL refuses to run as root.
"""

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from portfolios.transcripts.signing import generate_private_key_pem

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PROJECT = Path(__file__).resolve().parents[2]
PROBE = "/transcripts/verify/NOSUCHCODE/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_binaries() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if not found:
        pytest.fail("No PostgreSQL server binaries under /usr/lib/postgresql (Debian's postgresql package).")
    return found[-1].parent


class Cluster:
    """A throwaway PostgreSQL cluster, run as the ``postgres`` user when the tests run as root."""

    def __init__(self, folder: Path):
        self.bin = _server_binaries()
        self.data = folder / "data"
        self.port = _free_port()
        self.folder = folder
        self.as_postgres = os.geteuid() == 0

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        result = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
        if result.returncode:
            raise RuntimeError(f"{' '.join(command)} failed: {result.stderr or result.stdout}")

    def create(self) -> None:
        if self.as_postgres:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start"
        )

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


def _copy_test_database(cluster: Cluster) -> None:
    """The test database (migrated, with Wagtail's root page) copied into the cluster as ``kesai``."""
    config = settings.DATABASES["default"]
    source = {**os.environ, "PGHOST": config["HOST"] or "127.0.0.1", "PGPORT": str(config["PORT"] or 5432)}
    source["PGUSER"] = config["USER"] or "postgres"
    dump = cluster.folder / "kesai.dump"
    subprocess.run(["pg_dump", "-Fc", "-d", config["NAME"], "-f", str(dump)], env=source, check=True)  # noqa: S603, S607
    target = {**os.environ, "PGHOST": "127.0.0.1", "PGPORT": str(cluster.port), "PGUSER": "postgres"}
    subprocess.run(["createdb", "kesai"], env=target, check=True)  # noqa: S607
    subprocess.run(["pg_restore", "--no-owner", "-d", "kesai", str(dump)], env=target, check=True)  # noqa: S603, S607


class Site:
    """gunicorn with two workers, the production settings and persistent, health-checked connections."""

    def __init__(self, database_url: str, folder: Path):
        self.port = _free_port()
        environment = {
            name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "REDIS", "KESAI"))
        }
        environment.update(
            # Production settings; only the static files are read unhashed (tests/production_settings.py).
            DJANGO_SETTINGS_MODULE="tests.production_settings",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            KESAI_SIGNING_KEY=generate_private_key_pem().decode(),
            KESAI_VERIFY_RATE="100000/m",
            DATABASE_URL=database_url,
            CONN_MAX_AGE="60",
            MEDIA_ROOT=str(folder / "media"),
            PRIVATE_MEDIA_ROOT=str(folder / "private-media"),
            PYTHONPATH=str(PROJECT),
            LOG_LEVEL="ERROR",
        )
        command = [sys.executable, "-m", "gunicorn", "lms.wsgi", "--workers=2", f"--bind=127.0.0.1:{self.port}"]
        self.log = folder / "gunicorn.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=PROJECT, env=environment, start_new_session=True, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while self.get(PROBE)[0] is None:
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("gunicorn did not start")
            time.sleep(0.3)

    def get(self, path: str) -> tuple[int | None, dict, str]:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers={"X-Forwarded-Proto": "https"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()
        except OSError:
            return None, {}, ""

    def statuses(self, count: int) -> Counter:
        return Counter(self.get(PROBE)[0] for _ in range(count))

    def worker_pids(self) -> set[int]:
        return set(map(int, Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()))

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


@pytest.fixture
def cluster():
    # Not under pytest's temporary folder: that is private to root, and the server runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="kesai-postgres-restart-"))
    cluster = Cluster(folder)
    cluster.create()
    cluster.start()
    yield cluster
    with contextlib.suppress(RuntimeError):  # already stopped by a failed test
        cluster.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def site(cluster, tmp_path):
    _copy_test_database(cluster)
    site = Site(cluster.url("kesai"), tmp_path)
    yield site
    site.stop()


def test_a_restart_between_requests_goes_unnoticed(cluster, site):
    assert site.statuses(20) == Counter({200: 20}), site.log.read_text()[-3000:]
    workers = site.worker_pids()
    assert len(workers) == 2

    cluster.stop()
    cluster.start()
    # Every worker still holds a connection the restart killed. The health check at the start of the next
    # request finds it dead and opens a new one, so not even the first request fails.
    assert site.statuses(20) == Counter({200: 20}), site.log.read_text()[-3000:]
    assert site.worker_pids() == workers, "the web processes were not restarted"


def test_while_postgresql_is_down_pages_answer_503_and_then_recover_by_themselves(cluster, site):
    assert site.statuses(10) == Counter({200: 10}), site.log.read_text()[-3000:]
    workers = site.worker_pids()

    cluster.stop()
    status, headers, body = site.get(PROBE)
    assert status == 503
    assert headers["Retry-After"] == "10"
    assert "The site is briefly unavailable" in body
    assert site.statuses(10) == Counter({503: 10}), "never a 500 while the database is away"

    cluster.start()
    assert site.statuses(20) == Counter({200: 20}), site.log.read_text()[-3000:]
    assert site.worker_pids() == workers, "the web processes were not restarted"
