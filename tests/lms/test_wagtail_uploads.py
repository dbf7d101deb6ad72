"""Wagtail's own upload forms follow the project's upload rules (courses/forms_wagtail.py, lms/admin.py).

The attack matrix (tests/security/test_upload_attacks.py) sends every attack through every view; these tests pin
the pieces: which form Wagtail builds, which kinds a document may be, what Django's admin offers, and that a
profile picture is refused before Wagtail decodes it.
"""

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PillowImage
from wagtail.admin.views.account import AvatarSettingsPanel
from wagtail.documents.forms import get_document_form, get_document_multi_form
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection
from wagtail.users.models import UserProfile

from courses.forms_wagtail import LibraryDocumentForm, ProfilePictureForm, document_kinds
from tests.factories import UserFactory
from tests.upload_payloads import (
    HTML_PAGE,
    PDF,
    WINDOWS_EXE,
    macro_document,
    office_bytes,
    png_bytes,
    png_claiming_size,
)

MARKUP = "Web pages (HTML), SVG images and XML files cannot be uploaded. Save the work as a PDF instead."
TOO_MANY_PIXELS = "The image is too large: at most 40 million pixels are accepted."
EMPTY = "The submitted file is empty."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def document_form(name: str, content: bytes, *, instance: Document | None = None):
    form_class = get_document_form(Document)
    data = {"title": "Handbook", "collection": Collection.get_first_root_node().pk, "tags": ""}
    files = {"file": SimpleUploadedFile(name, content)} if content is not None else {}
    return form_class(data, files, instance=instance, user=UserFactory(is_superuser=True))


# --- Documents ---------------------------------------------------------------------------------------------------


def test_wagtail_builds_document_forms_from_the_library_document_form():
    assert issubclass(get_document_form(Document), LibraryDocumentForm)
    assert issubclass(get_document_multi_form(Document), LibraryDocumentForm)  # multiple upload's edit step


def test_a_document_may_be_any_kind_whose_extension_wagtail_allows():
    # WAGTAILDOCS_EXTENSIONS = csv, docx, pdf, pptx, txt, xlsx; .csv and .txt are both the validator's "txt".
    assert document_kinds() == {"pdf", "docx", "pptx", "xlsx", "txt"}


def test_a_document_kind_follows_a_narrower_extension_list(settings):
    settings.WAGTAILDOCS_EXTENSIONS = ["pdf"]
    assert document_kinds() == {"pdf"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [("handbook.pdf", PDF), ("handbook.docx", office_bytes("word/")), ("marks.csv", "学号,分数\n1,80\n".encode())],
)
def test_a_real_document_is_accepted(name, content):
    form = document_form(name, content)
    assert form.is_valid(), form.errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("handbook.pdf", HTML_PAGE, MARKUP),
        ("handbook.pdf", WINDOWS_EXE, "Programs and scripts cannot be uploaded."),
        ("handbook.docx", macro_document(), "Documents with macros cannot be uploaded."),
        ("handbook.docx", PDF, "The file is named “.docx” but it is really a PDF document."),
    ],
)
def test_a_document_is_refused_for_what_it_contains(name, content, message):
    form = document_form(name, content)
    assert not form.is_valid()
    assert message in " ".join(form.errors["file"])


@pytest.mark.django_db
def test_a_document_name_wagtail_does_not_allow_gets_wagtails_message():
    form = document_form("logo.svg", HTML_PAGE)
    assert not form.is_valid()
    assert form.errors["file"] == [
        "File extension “svg” is not allowed. Allowed extensions are: csv, docx, pdf, pptx, txt, xlsx."
    ]


@pytest.mark.django_db
def test_editing_a_document_without_a_new_file_keeps_its_file():
    document = Document.objects.create(
        title="Handbook", file=SimpleUploadedFile("handbook.pdf", PDF), collection=Collection.get_first_root_node()
    )
    form = document_form("", None, instance=document)
    assert form.is_valid(), form.errors
    assert form.save().file.name == document.file.name


# --- Django's admin ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Image, Document])
def test_djangos_admin_does_not_offer_wagtails_media(model):
    assert not admin.site.is_registered(model)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["wagtailimages/image/add/", "wagtaildocs/document/add/"])
def test_djangos_admin_has_no_page_to_upload_wagtails_media(client, path):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(f"/django-admin/{path}").status_code == 404


# --- Profile pictures --------------------------------------------------------------------------------------------


def test_the_account_page_builds_the_profile_picture_form():
    assert AvatarSettingsPanel.form_class is ProfilePictureForm


@pytest.mark.django_db
def test_a_picture_over_the_pixel_limit_is_refused_before_it_is_resized(monkeypatch):
    def no_resizing(*args, **kwargs):
        raise AssertionError("the picture was decoded and resized")

    monkeypatch.setattr(PillowImage.Image, "resize", no_resizing)
    profile = UserProfile.get_for_user(UserFactory())
    # 8,000 × 6,000 = 48 million pixels, over WAGTAILIMAGES_MAX_IMAGE_PIXELS (40 million).
    picture = SimpleUploadedFile("me.png", png_claiming_size(8_000, 6_000), "image/png")
    form = ProfilePictureForm(data={}, files={"avatar-avatar": picture}, instance=profile, prefix="avatar")
    assert not form.is_valid()
    assert form.errors["avatar"] == [TOO_MANY_PIXELS]


@pytest.mark.django_db
def test_a_picture_over_the_size_limit_is_refused(settings):
    settings.KESAI_UPLOAD_MAX_BYTES = 100
    profile = UserProfile.get_for_user(UserFactory())
    picture = SimpleUploadedFile("me.png", png_claiming_size(10, 10) + b"0" * 200, "image/png")
    form = ProfilePictureForm(data={}, files={"avatar-avatar": picture}, instance=profile, prefix="avatar")
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["avatar"]] == ["too_large"]


def account_fields(client) -> dict:
    """The account page's own values for every field but the files and passwords: a save that changes nothing."""
    page = BeautifulSoup(client.get(reverse("wagtailadmin_account")).content, "html.parser")
    fields = {}
    for element in page.select("form input, form select"):
        name, kind = element.get("name"), element.get("type")
        if not name or name == "csrfmiddlewaretoken" or kind in ("file", "password", "checkbox", "radio"):
            continue
        if element.name == "select":
            chosen = element.select_one("option[selected]")
            fields[name] = chosen.get("value", "") if chosen else ""
        else:
            fields[name] = element.get("value", "")
    for element in page.select("form input[type=radio][checked], form input[type=checkbox][checked]"):
        fields[element["name"]] = element.get("value", "on")
    return fields


def avatar_errors(response) -> str:
    found = BeautifulSoup(response.content, "html.parser").select("#avatar-avatar-errors .error-message")
    return " ".join(" ".join(error.get_text().split()) for error in found)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", EMPTY),
        (png_claiming_size(8_000, 6_000), TOO_MANY_PIXELS),
        (HTML_PAGE, "Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    ],
)
def test_the_account_page_says_why_a_picture_was_refused(client, teacher, content, message):
    client.force_login(teacher)
    fields = account_fields(client)
    picture = SimpleUploadedFile("me.png", content, "image/png")
    response = client.post(reverse("wagtailadmin_account"), {**fields, "avatar-avatar": picture})
    assert response.status_code == 200
    assert avatar_errors(response) == message
    assert not UserProfile.get_for_user(teacher).avatar


@pytest.mark.django_db
def test_the_account_page_saves_a_real_picture(client, teacher):
    client.force_login(teacher)
    fields = account_fields(client)
    picture = SimpleUploadedFile("me.png", png_bytes(), "image/png")
    response = client.post(reverse("wagtailadmin_account"), {**fields, "avatar-avatar": picture})
    assert response.status_code == 302
    assert UserProfile.get_for_user(teacher).avatar.name.startswith("avatar_images/")


@pytest.mark.django_db
def test_the_account_page_shows_no_error_before_a_picture_is_sent(client, teacher):
    client.force_login(teacher)
    response = client.get(reverse("wagtailadmin_account"))
    assert 'name="avatar-avatar"' in response.content.decode()
    assert avatar_errors(response) == ""
