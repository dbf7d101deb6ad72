"""Every environment variable docs/deployment.md documents does what the page says.

The variables are read from the page's tables (the first column), so a variable added to the page without a
check here fails ``test_every_documented_variable_is_checked``. Each one is checked one of two ways:

- here: the production settings are loaded in a subprocess with every variable set to a value other than its
  default, and the resulting Django settings compared with what the page promises (and the three the site
  cannot start without are each left out once, to see it refuse);
- by a test that runs the real thing with the variable set (S3 media against a local S3 server, Redis and RQ
  workers, PostgreSQL restarted under gunicorn): ``EXERCISED_ELSEWHERE`` names the test, and this module checks
  that the test exists and sets the variable.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from portfolios.transcripts.signing import generate_private_key_pem, key_id

PROJECT = Path(__file__).resolve().parents[2]
DEPLOYMENT = PROJECT / "docs" / "deployment.md"
MARKER = "KESAI-SETTINGS:"

PROBE = f"""
import json
import django
django.setup()
from django.conf import settings
from portfolios.transcripts.signing import key_id, load_signing_key
names = [
    "SECRET_KEY", "ALLOWED_HOSTS", "DATABASES", "CACHES", "TASKS", "STORAGES", "MEDIA_ROOT", "STATIC_ROOT",
    "PRIVATE_MEDIA_ROOT", "WAGTAILADMIN_BASE_URL", "CSRF_TRUSTED_ORIGINS", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "EMAIL_BACKEND", "EMAIL_HOST", "DEFAULT_FROM_EMAIL", "TIME_ZONE", "LOGGING",
    "KESAI_VERIFY_RATE", "KESAI_VERIFY_UPLOAD_RATE", "KESAI_SHARE_LINK_RATE", "RATELIMIT_IP_META_KEY",
    "KESAI_CLIENT_IP_HEADER", "KESAI_RETIRED_PUBLIC_KEYS_FILE",
    "INSTALLED_APPS", "RQ_QUEUES",
]
found = {{name: getattr(settings, name, None) for name in names}}
found["signing_key_id"] = key_id(load_signing_key().public_key())
print({MARKER!r} + json.dumps(found, default=str))
"""

SIGNING_KEY = generate_private_key_pem()

#: Each variable the page documents, set to a value that is not its default.
VALUES = {
    "SECRET_KEY": "s" * 30 + secrets.token_urlsafe(30),
    "ALLOWED_HOSTS": "kesai.example.edu, www.kesai.example.edu",
    "KESAI_SIGNING_KEY": SIGNING_KEY.decode(),
    "DATABASE_URL": "postgres://kesai:secret@db.internal:6543/kesai_prod",
    "CONN_MAX_AGE": "60",
    "REDIS_URL": "redis://redis.internal:6380/2",
    "AWS_STORAGE_BUCKET_NAME": "kesai-media",
    "AWS_PRIVATE_BUCKET_NAME": "kesai-private",
    "AWS_S3_ENDPOINT_URL": "https://oss.example.cn",
    "AWS_S3_REGION_NAME": "cn-north-1",
    "MEDIA_ROOT": "/srv/kesai/media",
    "PRIVATE_MEDIA_ROOT": "/srv/kesai/private-media",
    "STATIC_ROOT": "/srv/kesai/static",
    "SITE_URL": "https://kesai.example.edu",
    "KESAI_RETIRED_PUBLIC_KEYS_FILE": "/etc/kesai/retired-signing-keys.pem",
    "CSRF_TRUSTED_ORIGINS": "https://kesai.example.edu,https://www.kesai.example.edu",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "600",
    "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    "EMAIL_HOST": "smtp.example.edu",
    "DEFAULT_FROM_EMAIL": "registry@example.edu",
    "TIME_ZONE": "Asia/Urumqi",
    "LOG_LEVEL": "WARNING",
    "KESAI_VERIFY_RATE": "5/m",
    "KESAI_VERIFY_UPLOAD_RATE": "2/m",
    "KESAI_SHARE_LINK_RATE": "7/m",
    "RATELIMIT_IP_META_KEY": "HTTP_X_REAL_IP",
}

#: Variables whose effect only a running service shows, and the test that runs it with the variable set.
EXERCISED_ELSEWHERE = {
    "AWS_ACCESS_KEY_ID": "tests/deployment/test_s3_media.py",
    "AWS_SECRET_ACCESS_KEY": "tests/deployment/test_s3_media.py",
    "AWS_STORAGE_BUCKET_NAME": "tests/deployment/test_s3_media.py",
    "AWS_PRIVATE_BUCKET_NAME": "tests/deployment/test_s3_media.py",
    "AWS_S3_ENDPOINT_URL": "tests/deployment/test_s3_media.py",
    "REDIS_URL": "tests/deployment/test_rq_workers.py",
    "KESAI_SHARE_LINK_RATE": "tests/deployment/test_rq_workers.py",
    "RATELIMIT_IP_META_KEY": "tests/deployment/test_rq_workers.py",
    "PRIVATE_MEDIA_ROOT": "tests/deployment/test_rq_workers.py",
    "DATABASE_URL": "tests/faults/test_postgres_restart.py",
    "CONN_MAX_AGE": "tests/faults/test_postgres_restart.py",
    "KESAI_VERIFY_RATE": "tests/faults/test_postgres_restart.py",
    "KESAI_SIGNING_KEY_FILE": "tests/deployment/test_documented_settings.py",
    "KESAI_RETIRED_PUBLIC_KEYS_FILE": "tests/transcripts/test_signing.py",
}


def documented_variables() -> set[str]:
    """Every `NAME` in the first column of a table in docs/deployment.md."""
    names = set()
    for line in DEPLOYMENT.read_text(encoding="utf-8").splitlines():
        if line.startswith("|") and not set(line) <= set("|- :"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", first_cell))
    return names


def load_production_settings(environment: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in VALUES and name not in ("TEST_DATABASE_URL", "KESAI_SIGNING_KEY_FILE")
    }
    env.update(environment, DJANGO_SETTINGS_MODULE="lms.settings.production", PYTHONPATH=str(PROJECT))
    return subprocess.run(  # noqa: S603 (our own interpreter and probe)
        [sys.executable, "-c", PROBE], cwd=PROJECT, env=env, capture_output=True, text=True, check=False, timeout=120
    )


def probed(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith(MARKER))
    return json.loads(line.removeprefix(MARKER))


@pytest.fixture(scope="module")
def configured() -> dict:
    return probed(load_production_settings(VALUES))


def test_every_documented_variable_is_checked():
    documented = documented_variables()
    assert len(documented) >= 25, "the tables of docs/deployment.md were not found"
    unchecked = documented - set(VALUES) - set(EXERCISED_ELSEWHERE)
    assert not unchecked, f"documented in docs/deployment.md but checked nowhere: {sorted(unchecked)}"
    undocumented = (set(VALUES) | set(EXERCISED_ELSEWHERE)) - documented
    assert not undocumented, f"checked here but no longer documented: {sorted(undocumented)}"


@pytest.mark.parametrize("name", sorted(EXERCISED_ELSEWHERE))
def test_the_test_that_exercises_a_variable_sets_it(name):
    source = (PROJECT / EXERCISED_ELSEWHERE[name]).read_text(encoding="utf-8")
    assert re.search(rf"\b{name}\b", source), f"{EXERCISED_ELSEWHERE[name]} does not mention {name}"


def test_secrets_hosts_and_signing_key_come_from_the_environment(configured):
    assert configured["SECRET_KEY"] == VALUES["SECRET_KEY"]
    assert configured["ALLOWED_HOSTS"] == ["kesai.example.edu", "www.kesai.example.edu"]
    assert configured["signing_key_id"] == key_id(load_pem_private_key(SIGNING_KEY, None).public_key())


def test_the_signing_key_can_come_from_a_file(tmp_path):
    other_key = generate_private_key_pem()
    key_file = tmp_path / "signing-key.pem"
    key_file.write_bytes(other_key)
    environment = {name: VALUES[name] for name in ("SECRET_KEY", "ALLOWED_HOSTS")}
    found = probed(load_production_settings({**environment, "KESAI_SIGNING_KEY_FILE": str(key_file)}))
    assert found["signing_key_id"] == key_id(load_pem_private_key(other_key, None).public_key())


@pytest.mark.parametrize(
    ("left_out", "complaint"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must name"),
        ("KESAI_SIGNING_KEY", "Transcript signing needs KESAI_SIGNING_KEY"),
    ],
)
def test_production_refuses_to_start_without_its_three_secrets(left_out, complaint, tmp_path):
    environment = {name: VALUES[name] for name in ("SECRET_KEY", "ALLOWED_HOSTS", "KESAI_SIGNING_KEY")}
    environment["KESAI_SIGNING_KEY_FILE"] = str(tmp_path / "no-such-key.pem")  # not the checkout's dev key
    del environment[left_out]
    result = load_production_settings(environment)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and complaint in result.stderr


def test_a_short_secret_key_is_refused():
    environment = {name: VALUES[name] for name in ("ALLOWED_HOSTS", "KESAI_SIGNING_KEY")}
    result = load_production_settings({**environment, "SECRET_KEY": "x" * 49})
    assert result.returncode != 0 and "at least 50 characters" in result.stderr


def test_the_database_and_its_persistent_health_checked_connections(configured):
    database = configured["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db.internal", 6543, "kesai_prod")
    assert (database["USER"], database["PASSWORD"]) == ("kesai", "secret")
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


def test_redis_becomes_the_cache_and_the_task_queue(configured):
    assert configured["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://redis.internal:6380/2",
    }
    assert configured["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert configured["RQ_QUEUES"] == {"default": {"URL": "redis://redis.internal:6380/2"}}
    assert {"django_rq", "django_tasks_rq"} <= set(configured["INSTALLED_APPS"])


def test_media_go_to_the_buckets_privately(configured):
    media, private = configured["STORAGES"]["default"], configured["STORAGES"]["private"]
    assert media["BACKEND"] == private["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"]["bucket_name"] == "kesai-media"
    assert private["OPTIONS"]["bucket_name"] == "kesai-private"
    assert media["OPTIONS"]["endpoint_url"] == private["OPTIONS"]["endpoint_url"] == "https://oss.example.cn"
    assert private["OPTIONS"]["location"] == "private"
    for options in (media["OPTIONS"], private["OPTIONS"]):
        assert options["region_name"] == "cn-north-1"
        assert options["signature_version"] == "s3v4"
        assert options["querystring_auth"] is True and options["file_overwrite"] is False


def test_folders_site_url_and_trusted_origins(configured):
    assert configured["MEDIA_ROOT"] == "/srv/kesai/media"
    assert configured["PRIVATE_MEDIA_ROOT"] == "/srv/kesai/private-media"
    assert configured["STATIC_ROOT"] == "/srv/kesai/static"
    assert configured["WAGTAILADMIN_BASE_URL"] == "https://kesai.example.edu"
    assert configured["KESAI_RETIRED_PUBLIC_KEYS_FILE"] == "/etc/kesai/retired-signing-keys.pem"
    assert configured["CSRF_TRUSTED_ORIGINS"] == ["https://kesai.example.edu", "https://www.kesai.example.edu"]


def test_https_settings_can_be_relaxed_behind_a_proxy_that_does_it(configured):
    assert configured["SECURE_SSL_REDIRECT"] is False
    assert configured["SECURE_HSTS_SECONDS"] == 600


def test_mail_time_zone_and_logging(configured):
    assert configured["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert configured["EMAIL_HOST"] == "smtp.example.edu"
    assert configured["DEFAULT_FROM_EMAIL"] == "registry@example.edu"
    assert configured["TIME_ZONE"] == "Asia/Urumqi"
    assert configured["LOGGING"]["root"]["level"] == "WARNING"


def test_rate_limits_and_the_client_address_header(configured):
    assert configured["KESAI_VERIFY_RATE"] == "5/m"
    assert configured["KESAI_VERIFY_UPLOAD_RATE"] == "2/m"
    assert configured["KESAI_SHARE_LINK_RATE"] == "7/m"
    assert configured["RATELIMIT_IP_META_KEY"] == "lms.ratelimit.client_ip"
    assert configured["KESAI_CLIENT_IP_HEADER"] == "HTTP_X_REAL_IP"
