"""The project's one upload validator: every file a person uploads (submissions, portfolio artefacts) passes here.

What it guarantees, in the order it checks:

1. the file is not empty and not larger than ``settings.KESAI_UPLOAD_MAX_BYTES``;
2. its type is read from its first bytes (magic numbers), never from its name or the browser's content type;
   SVG, HTML, XML and executables are refused, and so is anything not on the short list below;
3. the kind is one the caller accepts (``allowed``);
4. the name's extension agrees with the content (an HTML page named ``.pdf`` is refused);
5. images open with Pillow and stay under ``WAGTAILIMAGES_MAX_IMAGE_PIXELS`` (decompression bombs refused);
6. Office files are ZIP packages with the right folders and no macros.

The client's file name is never used for storage: :class:`CheckedUpload` carries a random storage name
(``<uuid hex>.<ext>``) and a cleaned original name for display and downloads only.
"""

import codecs
import mimetypes
import re
import unicodedata
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, storages
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
HEAD_BYTES = 8192
MAX_NAME_LENGTH = 255

KIND_LABELS = {
    "pdf": gettext_lazy("PDF document"),
    "png": gettext_lazy("PNG image"),
    "jpeg": gettext_lazy("JPEG image"),
    "gif": gettext_lazy("GIF image"),
    "webp": gettext_lazy("WebP image"),
    "docx": gettext_lazy("Word document (.docx)"),
    "xlsx": gettext_lazy("Excel workbook (.xlsx)"),
    "pptx": gettext_lazy("PowerPoint presentation (.pptx)"),
    "zip": gettext_lazy("ZIP archive"),
    "txt": gettext_lazy("plain text file"),
}

#: File-name extensions that may carry each kind; the first is the one the stored file gets.
EXTENSIONS = {
    "pdf": ("pdf",),
    "png": ("png",),
    "jpeg": ("jpg", "jpeg"),
    "gif": ("gif",),
    "webp": ("webp",),
    "docx": ("docx",),
    "xlsx": ("xlsx",),
    "pptx": ("pptx",),
    "zip": ("zip",),
    "txt": ("txt", "csv", "md"),
}

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "zip": "application/zip",
    "txt": "text/plain; charset=utf-8",
}

IMAGE_FORMATS = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}

#: The folder inside an Office Open XML package that says which application it belongs to.
OFFICE_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}

_EXECUTABLE_SIGNATURES = (
    b"MZ",  # Windows .exe, .dll
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal, Java class
    b"#!",  # scripts
)

#: Markup a browser could render or run: refused even when it is valid UTF-8 text.
_MARKUP_START = re.compile(rb"^<[a-z!?/]", re.IGNORECASE)
_MARKUP_ANYWHERE = re.compile(rb"<\s*(script|svg|html|iframe|object|embed|!doctype)\b", re.IGNORECASE)


def private_storage() -> Storage:
    """Files only gate-checked views may send (submissions, portfolio artefacts); see STORAGES["private"]."""
    return storages["private"]


_UNSAFE_NAME_CHARACTERS = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed every check; store it under ``storage_name``, show ``original_name``."""

    storage_name: str
    kind: str
    size: int
    original_name: str
    content_type: str


def validate_upload(uploaded_file, *, allowed: set[str]) -> CheckedUpload:
    """Check ``uploaded_file`` (a Django ``File``) against the rules above; raise ``ValidationError`` if it fails.

    The file is left at position 0 so the caller can save it.
    """
    unknown = set(allowed) - set(KIND_LABELS)
    if unknown:
        raise ValueError(f"Unknown upload kinds: {sorted(unknown)}")
    size = _size_of(uploaded_file)
    max_bytes = getattr(settings, "KESAI_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; files can be at most %(limit)s.")
            % {"size": _size_beside(size, max_bytes), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    uploaded_file.seek(0)
    head = uploaded_file.read(HEAD_BYTES)
    uploaded_file.seek(0)
    extension = _extension_of(getattr(uploaded_file, "name", "") or "")
    try:
        kind = _detect_kind(head, uploaded_file, extension=extension)
        if kind not in allowed:
            raise ValidationError(
                _("A %(kind)s cannot be uploaded here. Accepted: %(accepted)s.")
                % {"kind": KIND_LABELS[kind], "accepted": _accepted_list(allowed)},
                code="kind_not_allowed",
            )
        if extension and extension not in EXTENSIONS[kind]:
            raise ValidationError(
                _(
                    "The file is named “.%(extension)s” but it is really a %(kind)s. "
                    "Save it in the right format and try again."
                )
                % {"extension": extension, "kind": KIND_LABELS[kind]},
                code="extension_mismatch",
            )
        if kind in IMAGE_FORMATS:
            _check_image(uploaded_file, image_format=IMAGE_FORMATS[kind])
        if kind == "txt":
            _check_text(uploaded_file)
    finally:
        uploaded_file.seek(0)
    return CheckedUpload(
        storage_name=f"{uuid.uuid4().hex}.{EXTENSIONS[kind][0]}",
        kind=kind,
        size=size,
        original_name=display_name(getattr(uploaded_file, "name", "") or "", fallback_extension=EXTENSIONS[kind][0]),
        content_type=CONTENT_TYPES[kind],
    )


def _size_beside(size: int, limit: int) -> str:
    """``size`` as a person reads it, precise enough to differ from ``limit`` as shown: a file one byte over
    1 MB is "1.0 MB", like the limit, so the exact number of bytes follows."""
    rounded = filesizeformat(size)
    if rounded != filesizeformat(limit):
        return rounded
    return _("%(rounded)s (%(bytes)s bytes)") % {"rounded": rounded, "bytes": number_format(size, force_grouping=True)}


def display_name(name: str, *, fallback_extension: str = "") -> str:
    """The client's file name made safe to show and to offer as a download name (never used for storage).

    Folder parts (``/`` or ``\\``) are dropped, control and invisible formatting characters removed (such as the
    right-to-left override that makes ``evil‮fdp.exe`` look like ``evilexe.pdf``), leading dots stripped, and the
    result cut to 255 characters keeping the extension.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(char for char in name if unicodedata.category(char) not in _UNSAFE_NAME_CHARACTERS)
    name = name.strip().lstrip(". ").strip()
    if not name:
        name = f"file.{fallback_extension}" if fallback_extension else "file"
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            name = stem[: MAX_NAME_LENGTH - len(extension) - 1] + "." + extension
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


def _size_of(uploaded_file) -> int:
    size = getattr(uploaded_file, "size", None)
    if size is None:
        uploaded_file.seek(0, 2)
        size = uploaded_file.tell()
        uploaded_file.seek(0)
    return int(size)


def _extension_of(name: str) -> str:
    base = display_name(name)
    stem, dot, extension = base.rpartition(".")
    return extension.lower() if dot and stem else ""


def _accepted_list(allowed: set[str]) -> str:
    return ", ".join(str(KIND_LABELS[kind]) for kind in KIND_LABELS if kind in allowed)


def _detect_kind(head: bytes, fileobj: IO[bytes], *, extension: str) -> str:
    """The kind the first bytes say the file is; raises for markup, executables and unknown formats."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(fileobj, extension=extension)
    if head.startswith(_EXECUTABLE_SIGNATURES):
        raise ValidationError(_("Programs and scripts cannot be uploaded."), code="executable")
    if _looks_like_text(head):
        if _is_markup(head):
            raise ValidationError(
                _("Web pages (HTML), SVG images and XML files cannot be uploaded. Save the work as a PDF instead."),
                code="markup",
            )
        return "txt"
    if extension in EXTENSIONS["txt"] and b"\x00" not in head:
        raise _not_utf8()
    raise ValidationError(
        _("This type of file is not recognised. Upload a PDF, an Office document, an image, a ZIP or a text file."),
        code="unrecognised",
    )


def _zip_kind(fileobj: IO[bytes], *, extension: str) -> str:
    """A ZIP is an Office document when it has ``[Content_Types].xml`` and the application's folder."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ValidationError(_("The file looks like a ZIP archive but it is damaged."), code="damaged") from error
    finally:
        fileobj.seek(0)
    is_package = "[Content_Types].xml" in names
    office_kind = next(
        (
            kind
            for kind, folder in OFFICE_FOLDERS.items()
            if is_package and any(name.startswith(folder) for name in names)
        ),
        None,
    )
    if office_kind is None or extension == "zip":
        return "zip"
    if any(name.rsplit("/", 1)[-1].lower() == "vbaproject.bin" for name in names):
        raise ValidationError(
            _("Documents with macros cannot be uploaded. Save a copy without macros (.docx, .xlsx or .pptx)."),
            code="macros",
        )
    return office_kind


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _is_markup(head: bytes) -> bool:
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()
    return bool(_MARKUP_START.match(start) or _MARKUP_ANYWHERE.search(head))


def _check_text(fileobj: IO[bytes]) -> None:
    """The whole file, not just its start, must be UTF-8 without NUL bytes."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    fileobj.seek(0)
    try:
        while chunk := fileobj.read(64 * 1024):
            if b"\x00" in chunk:
                raise ValidationError(_("The text file contains binary data."), code="binary_text")
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise _not_utf8() from error


def _not_utf8() -> ValidationError:
    return ValidationError(
        _("Text files must be saved as UTF-8. Save the file again with UTF-8 encoding."), code="encoding"
    )


def _check_image(fileobj: IO[bytes], *, image_format: str) -> None:
    """Open the image with Pillow (only with the decoder its signature names) and refuse oversized ones."""
    max_pixels = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", DEFAULT_MAX_PIXELS)
    too_large = ValidationError(
        _("The image is too large: at most %(pixels)s million pixels are accepted.")
        % {"pixels": f"{max_pixels / 1_000_000:g}"},
        code="too_many_pixels",
    )
    fileobj.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(fileobj, formats=[image_format]) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise too_large
                image.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise too_large from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
            raise ValidationError(_("The image is damaged and cannot be opened."), code="damaged") from error


def private_file_response(field_file, *, download_name: str, inline: bool = False) -> FileResponse:
    """Send a stored private file after the caller's gate check: never sniffed, never run by the browser.

    ``inline`` is for images already checked by :func:`validate_upload` (shown in the page); everything else
    is a download.
    """
    stored_name = PurePosixPath(field_file.name).name
    content_type = mimetypes.guess_type(stored_name)[0] or "application/octet-stream"
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=not inline, filename=download_name or stored_name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
