"""Test settings: SQLite by default, PostgreSQL when TEST_DATABASE_URL (or DATABASE_URL) points at one."""

import dj_database_url

from .base import *  # noqa: F403
from .base import BASE_DIR, MIDDLEWARE, os

SECRET_KEY = "test-only-not-secret-kesai"  # noqa: S105
DEBUG = False
_url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
DATABASES = {
    "default": dj_database_url.parse(_url) if _url else {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# One folder per test process, so parallel runs (pytest-xdist workers, two suites at once) never see each other's
# uploads; tests/conftest.py removes it when the session ends.
TEST_FILES_ROOT = BASE_DIR / "test-artifacts" / f"files-{os.getpid()}"
MEDIA_ROOT = TEST_FILES_ROOT / "media"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": TEST_FILES_ROOT / "private-media", "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"

# runserver and the test client serve static files themselves; WhiteNoise is for production.
MIDDLEWARE = [name for name in MIDDLEWARE if not name.startswith("whitenoise")]
LOGGING["root"]["level"] = "WARNING"  # noqa: F405

# Transcript signing: one key per test process, in its own folder, made on first use and removed with the folder.
KESAI_SIGNING_KEY = ""
KESAI_SIGNING_KEY_FILE = TEST_FILES_ROOT / "signing-key.pem"
KESAI_SIGNING_KEY_AUTOCREATE = True
