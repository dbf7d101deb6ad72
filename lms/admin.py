"""Django's admin (/django-admin/): what it may not offer.

Wagtail registers its image and document models here (``wagtail/images/admin.py``, ``wagtail/documents/admin.py``).
Django's admin builds plain model forms for them, without the library limits (``WAGTAILIMAGES_MAX_UPLOAD_SIZE``,
``WAGTAILIMAGES_MAX_IMAGE_PIXELS``) or the document form's content checks (``WAGTAILDOCS_DOCUMENT_FORM_BASE``):
images and documents are managed in Wagtail's admin only.

``lms`` comes first in ``INSTALLED_APPS``, so Django's ``autodiscover`` imports this module before Wagtail's admin
modules: they are imported here first, so the models are registered before they are taken out.
"""

import wagtail.documents.admin
import wagtail.images.admin  # noqa: F401  (see the module docstring)
from django.contrib import admin
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

for library_model in (get_image_model(), get_document_model()):
    if admin.site.is_registered(library_model):
        admin.site.unregister(library_model)
