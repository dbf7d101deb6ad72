"""The production settings, except that static files are read unhashed from the apps' folders.

Only for tests that run the site in gunicorn: the hashed names need ``collectstatic``, which takes half a minute.
"""

from lms.settings.production import *  # noqa: F403
from lms.settings.production import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
