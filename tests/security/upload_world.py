"""What the upload-attack suite (test_upload_attacks.py) adds to the security world, and how it sends and checks files.

The world is ``tests/security/world.py``'s school; :func:`extend_world` adds, in the same rolled-back transaction:

- ``admin``: a site administrator (superuser, staff), the only role that may upload into Wagtail's image and
  document libraries (the Teachers group holds ``add_image``/``add_document`` but no collection permission);
- ``assessment``: "Listing quiz", an assessment of course EC101, for the result import;
- ``student_number``: the owner's number in Class A, for the imports' rows;
- ``transcript_pdf``: the bytes of the owner's issued transcript, for verification by PDF.

Files go through the real HTTP path: :func:`post_multipart` writes the multipart body itself, so the file name
and the part's ``Content-Type`` reach Django's parser exactly as an attacker would send them (the test client
keeps only the base name of a file it sends).
"""

import json
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import FileSystemStorage, storages
from django.test import Client
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.users.models import UserProfile

from competitions.models import Submission
from courses.models import AssessmentResult, Enrolment, EvidenceRecord
from portfolios.models import Artefact, ArtefactVersion, Transcript
from tests.factories import UserFactory, assessment
from tests.security.world import World

BOUNDARY = "KesaiUploadAttackBoundary7MA4YWxkTrZu0gW"

#: Renditions Wagtail makes of an image it already has (thumbnails on a page it shows) are not uploads.
RENDITIONS = "images/"


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes
    content_type: str = "application/octet-stream"


def extend_world(w: World) -> World:
    w.admin = UserFactory(username="sec.admin", is_superuser=True, is_staff=True)
    w.users = {**w.users, "admin": w.admin}
    w.assessment = assessment(course=w.course, title="Listing quiz", outcomes=[w.lo1], held_on=date(2026, 3, 1))
    w.student_number = Enrolment.objects.get(cohort=w.cohort, student=w.owner).student_number
    with w.transcript.pdf.open("rb") as handle:  # read now: the tests point the private storage elsewhere
        w.transcript_pdf = handle.read()
    return w


def client_for(w: World, role: str) -> Client:
    client = Client()
    if w.users[role] is not None:
        client.force_login(w.users[role])
    return client


# --- Sending ---------------------------------------------------------------------------------------------------


def _quote(value: str) -> str:
    """A header parameter as browsers write it: quotes and line breaks escaped, everything else as it is."""
    return value.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def multipart_body(fields: dict, files: dict[str, Upload]) -> bytes:
    parts = []
    for name, value in fields.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{item}\r\n'.encode())
    for name, upload in files.items():
        head = (
            f"--{BOUNDARY}\r\n"
            f'Content-Disposition: form-data; name="{name}"; filename="{_quote(upload.name)}"\r\n'
            f"Content-Type: {upload.content_type}\r\n\r\n"
        )
        parts.append(head.encode("utf-8") + upload.content + b"\r\n")
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


def post_multipart(client: Client, url: str, fields: dict, files: dict[str, Upload], **extra):
    return client.post(
        url, data=multipart_body(fields, files), content_type=f"multipart/form-data; boundary={BOUNDARY}", **extra
    )


# --- What was stored -------------------------------------------------------------------------------------------


def private_storages() -> list[FileSystemStorage]:
    """The private storage instances uploads go to: the one each private file field holds (made when its model
    was imported) and the one ``storages["private"]`` hands out now (usually the same)."""
    fields = [Submission._meta.get_field("file"), ArtefactVersion._meta.get_field("file")]
    fields.append(Transcript._meta.get_field("pdf"))
    found = {id(storage): storage for storage in [*(f.storage for f in fields), storages["private"]]}
    return list(found.values())


@contextmanager
def private_storage_in(folder: Path):
    """Point the private storage at ``folder`` for the block (tests compare what it holds before and after)."""
    saved = [(storage, storage._location) for storage in private_storages()]
    try:
        for storage, _location in saved:
            storage._location = str(folder)
            storage._clear_cached_properties("MEDIA_ROOT")  # base_location and location are cached
        yield
    finally:
        for storage, location in saved:
            storage._location = location
            storage._clear_cached_properties("MEDIA_ROOT")


def storage_roots() -> dict[str, Path]:
    """Where an upload can land: public media (MEDIA_ROOT) and the private storage."""
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(private_storages()[0].location)}


def stored_files() -> set[tuple[str, str]]:
    """Every file under the storage roots, as (root, relative path); Wagtail's renditions left out."""
    found = set()
    for label, root in storage_roots().items():
        if not root.exists():
            continue
        for path in root.rglob("*"):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and not relative.startswith(RENDITIONS):
                found.add((label, relative))
    return found


def new_files(before: set[tuple[str, str]]) -> set[tuple[str, str]]:
    return stored_files() - before


#: The rows an upload can create, anywhere (a dry-run import creates none of them).
def row_counts() -> dict[str, int]:
    return {
        "artefacts": Artefact.objects.count(),
        "artefact versions": ArtefactVersion.objects.count(),
        "submissions": Submission.objects.count(),
        "users": get_user_model().objects.count(),
        "enrolments": Enrolment.objects.count(),
        "assessment results": AssessmentResult.objects.count(),
        "evidence records": EvidenceRecord.objects.count(),
        "images": Image.objects.count(),
        "documents": Document.objects.count(),
        "avatars": UserProfile.objects.exclude(avatar="").count(),
    }


# --- Reading the answer ----------------------------------------------------------------------------------------


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def html_fragments(response) -> list[str]:
    """The HTML of the answer: the page, or every HTML string inside a JSON answer (Wagtail's modal and
    multiple-upload views answer JSON)."""
    if not response.get("Content-Type", "").startswith("application/json"):
        return [response.content.decode("utf-8", "replace")]
    found = []

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            found.append(value)

    walk(json.loads(response.content))
    return found


def page_text(response) -> str:
    """What a person reads in the answer, whitespace squeezed."""
    return _squeeze(" ".join(BeautifulSoup(html, "html.parser").get_text(" ") for html in html_fragments(response)))


def says(response, message: str) -> bool:
    return _squeeze(message) in page_text(response)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup("".join(html_fragments(response)), "html.parser")


# --- Names -----------------------------------------------------------------------------------------------------

#: What a stored name must not hold: control or invisible formatting characters, or a backslash.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\\]")


def is_safe_stored_name(relative: str) -> bool:
    """No folder part from the client (no "..", no absolute path), nothing invisible, at most 255 characters."""
    path = Path(relative)
    return not path.is_absolute() and ".." not in path.parts and not _UNSAFE.search(relative) and len(path.name) <= 255
