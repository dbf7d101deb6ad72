"""Wagtail's own upload forms, held to the project's upload rules (courses.uploads.validate_upload).

Wagtail checks a document's name against ``WAGTAILDOCS_EXTENSIONS`` and an avatar with Pillow, never what the file
really is nor how many pixels it has. These forms add the one validator to both:

- :class:`LibraryDocumentForm` is ``WAGTAILDOCS_DOCUMENT_FORM_BASE``: every view that takes a document file (add,
  multiple upload, chooser upload, replace) builds its form from it with ``get_document_form``;
- :class:`ProfilePictureForm` takes the place of Wagtail's ``AvatarPreferencesForm`` in the account page
  (:func:`use_profile_picture_form`), refusing files over the size or pixel limits before Wagtail decodes and
  resizes them.
"""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import FileExtensionValidator
from wagtail.admin.forms.account import AvatarPreferencesForm
from wagtail.admin.views.account import AvatarSettingsPanel
from wagtail.documents.forms import BaseDocumentForm

from courses.uploads import EXTENSIONS, IMAGE_FORMATS, validate_upload

#: The kinds a profile picture may be (the validator's image kinds).
PROFILE_PICTURE_KINDS = frozenset(IMAGE_FORMATS)


def document_kinds() -> set[str]:
    """The validator's kinds a document may be: those whose extensions ``WAGTAILDOCS_EXTENSIONS`` allows."""
    allowed = {extension.lower() for extension in settings.WAGTAILDOCS_EXTENSIONS}
    return {kind for kind, extensions in EXTENSIONS.items() if allowed & set(extensions)}


class LibraryDocumentForm(BaseDocumentForm):
    """Wagtail's document form, with the new file's name and content checked before it is stored."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if not isinstance(file, UploadedFile):  # no new file: the document keeps the one it has
            return file
        # The name first, with Wagtail's own check and message (Document.clean runs only after this method).
        FileExtensionValidator(allowed_extensions=settings.WAGTAILDOCS_EXTENSIONS)(file)
        validate_upload(file, allowed=document_kinds())
        return file

    def _post_clean(self):
        # Document.clean checks the name of the file the instance holds; after a refused upload that is no file at
        # all, and "File extension “” is not allowed" would join the real reason.
        reasons = len(self._errors.get("file", ()))
        super()._post_clean()
        if reasons:
            del self._errors["file"][reasons:]


class ProfilePictureForm(AvatarPreferencesForm):
    """Wagtail's profile picture form, with the size, content and pixel checks of every other image upload.

    Wagtail's ``clean_avatar`` decodes and resizes the picture; the checks run before it, so an oversized picture
    is refused from its header without being decoded.
    """

    def clean_avatar(self):
        file = self.cleaned_data.get("avatar")
        if isinstance(file, UploadedFile):
            validate_upload(file, allowed=PROFILE_PICTURE_KINDS)
        return super().clean_avatar()


def use_profile_picture_form() -> None:
    """Make the account page's profile picture panel build :class:`ProfilePictureForm`.

    Wagtail offers no setting or hook to replace the form of a built-in account panel
    (``register_account_settings_panel`` only adds panels, and the built-in one would still read the file).
    """
    AvatarSettingsPanel.form_class = ProfilePictureForm
