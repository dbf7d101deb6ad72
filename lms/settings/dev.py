"""Local development: DEBUG on, a fixed throw-away secret unless SECRET_KEY is set."""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, os

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret-kesai"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# runserver and the test client serve static files themselves; WhiteNoise is for production.
MIDDLEWARE = [name for name in MIDDLEWARE if not name.startswith("whitenoise")]

# Transcript signing: a local key in var/signing-key.pem (or KESAI_SIGNING_KEY_FILE), made on first use.
KESAI_SIGNING_KEY_AUTOCREATE = True
