"""``lms.settings.production`` for the site processes tests start (gunicorn, workers, web nodes), configured by
the environment exactly as docs/deployment.md tells an operator, with only what a test machine lacks replaced.

Nothing here touches the storages of media, the cache, the tasks or the database: those come from
lms/settings/base.py's environment blocks, which are what those tests prove.
"""

from lms.settings.production import *  # noqa: F403
from lms.settings.production import STORAGES

# No `collectstatic` on a test machine (it takes half a minute): static files are found by the finders, as in
# development. Production's manifest storage answers 500 for any page that names a static file until it has run.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# The factories set passwords; production's PBKDF2 would spend seconds on them.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
