"""The production settings (lms/settings/production.py) meet Django's deployment checklist and what they claim.

They are loaded in a subprocess, with the environment scripts/test gives ``manage.py check --deploy``: a random
SECRET_KEY, ALLOWED_HOSTS=kesai.example.edu, a fresh Ed25519 KESAI_SIGNING_KEY, and no DATABASE_URL or REDIS_URL
(nor any of the variables that override the secure defaults: these tests are about the defaults).
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from portfolios.transcripts.signing import generate_private_key_pem

PROJECT = Path(__file__).resolve().parents[2]
ONE_YEAR = 365 * 24 * 60 * 60
MARKER = "KESAI-SETTINGS:"

#: What the subprocess prints: the deploy check's outcome and the settings the tests look at.
PROBE = f"""
import io, json
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError

output = io.StringIO()
try:
    call_command("check", deploy=True, fail_level="WARNING", stdout=output, stderr=output)
    check = "ok"
except SystemCheckError as error:
    check = str(error)
names = [
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_SAMESITE", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER",
    "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "AUTH_PASSWORD_VALIDATORS",
    "PASSWORD_HASHERS", "MIDDLEWARE", "KESAI_SIGNING_KEY_AUTOCREATE", "KESAI_SHARE_LINK_RATE",
    "KESAI_VERIFY_RATE", "KESAI_VERIFY_UPLOAD_RATE",
]
found = {{name: getattr(settings, name) for name in names}}
found["RATELIMIT_ENABLE"] = getattr(settings, "RATELIMIT_ENABLE", True)
found["check"] = check
found["check_output"] = output.getvalue()
print({MARKER!r} + json.dumps(found, default=str))
"""

#: Variables that would change what production.py decides; the subprocess runs without them.
OVERRIDES = (
    "DATABASE_URL",
    "TEST_DATABASE_URL",
    "REDIS_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "KESAI_SIGNING_KEY_FILE",
    "KESAI_SHARE_LINK_RATE",
    "KESAI_VERIFY_RATE",
    "KESAI_VERIFY_UPLOAD_RATE",
    "DJANGO_SETTINGS_MODULE",
)


@pytest.fixture(scope="module")
def production() -> dict:
    env = {name: value for name, value in os.environ.items() if name not in OVERRIDES}
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="kesai.example.edu",
        KESAI_SIGNING_KEY=generate_private_key_pem().decode(),
        PYTHONPATH=str(PROJECT),
        PYTHONDONTWRITEBYTECODE="1",
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and probe, no outside input)
        [sys.executable, "-c", PROBE], cwd=PROJECT, env=env, capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next((line for line in result.stdout.splitlines() if line.startswith(MARKER)), None)
    assert line is not None, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(line.removeprefix(MARKER))


def test_check_deploy_finds_nothing_at_warning_level(production):
    assert production["check"] == "ok", production["check"]


def test_debug_is_off(production):
    assert production["DEBUG"] is False


def test_the_secret_key_and_hosts_come_from_the_environment(production):
    assert len(production["SECRET_KEY"]) >= 50
    assert production["ALLOWED_HOSTS"] == ["kesai.example.edu"]


def test_cookies_are_secure_and_kept_from_scripts(production):
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert production["CSRF_COOKIE_SAMESITE"] in ("Lax", "Strict")


def test_https_is_enforced_with_hsts_for_a_year(production):
    assert production["SECURE_HSTS_SECONDS"] >= ONE_YEAR
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_HSTS_PRELOAD"] is True
    assert production["SECURE_SSL_REDIRECT"] is True
    # Behind the TLS-terminating proxy docs/deployment.md asks for, which sets X-Forwarded-Proto.
    assert production["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_pages_refuse_framing_sniffing_and_cross_site_referrers(production):
    assert production["X_FRAME_OPTIONS"] == "DENY"
    assert production["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert production["SECURE_REFERRER_POLICY"] == "same-origin"


def test_the_security_middleware_runs(production):
    middleware = production["MIDDLEWARE"]
    assert middleware[0] == "django.middleware.security.SecurityMiddleware"
    for name in (
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ):
        assert name in middleware, name


def test_passwords_are_validated_and_hashed_slowly(production):
    validators = {entry["NAME"].rsplit(".", 1)[-1]: entry for entry in production["AUTH_PASSWORD_VALIDATORS"]}
    assert "MinimumLengthValidator" in validators
    assert validators["MinimumLengthValidator"].get("OPTIONS", {}).get("min_length", 8) >= 8
    assert {"CommonPasswordValidator", "UserAttributeSimilarityValidator", "NumericPasswordValidator"} <= set(
        validators
    )
    first = production["PASSWORD_HASHERS"][0]
    assert "MD5" not in first and "SHA1" not in first and "Unsalted" not in first, first


def test_rate_limits_are_on_and_the_signing_key_is_never_made_up(production):
    assert production["RATELIMIT_ENABLE"] is True
    for name in ("KESAI_SHARE_LINK_RATE", "KESAI_VERIFY_RATE", "KESAI_VERIFY_UPLOAD_RATE"):
        assert production[name], name
    assert production["KESAI_SIGNING_KEY_AUTOCREATE"] is False
