"""Settings shared by every environment.

Everything that differs between machines is read from environment variables; see docs/deployment.md.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Kesai, highest layer first
    "lms",
    "competitions",
    "portfolios",
    "courses",
    "themes",
    # Wagtail
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Per-object permissions and background tasks
    "guardian",
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: DATABASE_URL, or SQLite in the project folder.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: anonymous visitors get no object permissions
GUARDIAN_RAISE_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

# Languages: English and Simplified Chinese are both first-class.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# "private" holds files that only gate-checked views may send (submissions, artefacts); it is never served
# under MEDIA_URL.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # S3-compatible media (MinIO, Ceph, OSS, S3); credentials come from the usual AWS_* variables. Files are
    # private, reached through signed, expiring URLs (signature version 4, which every current service accepts).
    _S3_OPTIONS = {
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "signature_version": "s3v4",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_S3_OPTIONS, "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"], "default_acl": None},
    }
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_S3_OPTIONS,
            "bucket_name": os.environ.get("AWS_PRIVATE_BUCKET_NAME", os.environ["AWS_STORAGE_BUCKET_NAME"]),
            "location": "private",
            "default_acl": "private",
        },
    }

# Uploads: hard limits before any application code sees a file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
KESAI_IMPORT_MAX_BYTES = 5 * 1024 * 1024
KESAI_IMPORT_MAX_ROWS = 20_000

# Cache and background tasks: Redis and RQ when REDIS_URL is set, else local memory and the database worker.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Transcript signing: the Ed25519 key that signs transcript credentials (portfolios.transcripts.signing).
# KESAI_SIGNING_KEY holds the PEM text itself and wins over KESAI_SIGNING_KEY_FILE, a path to a PEM file
# (`manage.py create_signing_key` writes one). Every web node and worker must use the same key, and it must
# outlive every transcript it signed, or be listed among the retired keys below when it is replaced.
KESAI_SIGNING_KEY = os.environ.get("KESAI_SIGNING_KEY", "")
KESAI_SIGNING_KEY_FILE = Path(os.environ.get("KESAI_SIGNING_KEY_FILE", BASE_DIR / "var" / "signing-key.pem"))
KESAI_SIGNING_KEY_AUTOCREATE = False  # dev and test settings create a missing key file on first use
# Public keys of replaced signing keys (PEM blocks in one file): what they signed still verifies. See
# docs/deployment.md, "Rotating the signing key".
KESAI_RETIRED_PUBLIC_KEYS_FILE = os.environ.get("KESAI_RETIRED_PUBLIC_KEYS_FILE", "")

# Wagtail
WAGTAIL_SITE_NAME = "Kesai"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://localhost:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "courses.forms_wagtail.LibraryDocumentForm"  # content checked by courses.uploads
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAIL_PASSWORD_RESET_ENABLED = True
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatar requests to outside sites; nothing is fetched at run time

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint reports each rendering step at INFO (and parses its own stylesheets at import).
        "weasyprint.progress": {"level": "WARNING"},
    },
}

# Public transcript endpoints, rate-limited per IP address (django-ratelimit; counters live in the cache, so
# they are shared between web nodes only with REDIS_URL). Behind a reverse proxy, set RATELIMIT_IP_META_KEY to
# the header the proxy writes the client's address into (e.g. HTTP_X_REAL_IP), or everyone shares one limit.
KESAI_VERIFY_RATE = os.environ.get("KESAI_VERIFY_RATE", "30/m")  # verification by code (the QR code's target)
KESAI_VERIFY_UPLOAD_RATE = os.environ.get("KESAI_VERIFY_UPLOAD_RATE", "10/m")  # by uploading a PDF or credential
KESAI_SHARE_LINK_RATE = os.environ.get("KESAI_SHARE_LINK_RATE", "30/m")  # openings of secret links
KESAI_VERIFY_MAX_BYTES = 20 * 1024 * 1024
if os.environ.get("RATELIMIT_IP_META_KEY"):
    KESAI_CLIENT_IP_HEADER = os.environ["RATELIMIT_IP_META_KEY"]
    RATELIMIT_IP_META_KEY = "lms.ratelimit.client_ip"  # that header, or REMOTE_ADDR when a request lacks it
