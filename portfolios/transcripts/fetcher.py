"""The only way WeasyPrint may read anything while it renders a transcript.

WeasyPrint fetches every URL a document names (stylesheets, images, fonts, SVG references, attachments). A
transcript is built from student-provided text, so the fetcher answers only for the project's own files and
never opens a connection:

- ``data:`` URIs (the QR code, the embedded credential) are decoded in memory;
- ``<base_url>/<STATIC_URL>/…`` is read from the static files (the staticfiles finders, then STATIC_ROOT);
- ``<base_url>/<MEDIA_URL>/…`` is read from the default (public) media storage, never the private one.

Anything else — ``file://``, another host, another path on our own host, ``..`` or a symlink leading out of
those folders — raises :class:`RefusedURL`, which WeasyPrint logs as a failed fetch before rendering without
the resource. Nothing is followed: a URL on our own host is read from disk, so no redirect can happen.
"""

import logging
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import FileSystemStorage, storages
from weasyprint.urls import UNICODE_SCHEME_RE, URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

#: The largest file a transcript may embed (a logo, a stylesheet).
MAX_BYTES = 5 * 1024 * 1024


class RefusedURL(ValueError):
    """A URL the transcript fetcher will not read. WeasyPrint treats it as a failed fetch."""


def _file_name(path: str, prefix: str) -> str | None:
    """The file name under ``prefix`` that the URL path ``path`` names, or None when it names none safely."""
    if not path.startswith(prefix):
        return None
    name = unquote(path[len(prefix) :])
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return None
    if any(part in {"", ".", ".."} for part in name.split("/")) or posixpath.normpath(name) != name:
        return None
    return name


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path.is_relative_to(root) for root in roots)


def _read(path: Path, roots: list[Path]) -> bytes | None:
    """The bytes of ``path`` when, with every symlink resolved, it is a file inside one of ``roots``."""
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_file() or not _inside(resolved, roots) or resolved.stat().st_size > MAX_BYTES:
        return None
    return resolved.read_bytes()


class ProjectFilesFetcher(URLFetcher):
    """A WeasyPrint URL fetcher serving ``data:`` URIs and the project's own static and public media files.

    ``base_url`` is the origin the document's relative URLs resolve against (the site's URL): static and media
    URLs are recognised on it, or on STATIC_URL / MEDIA_URL themselves when those are absolute.
    """

    def __init__(self, *, base_url: str):
        # Only data: ever reaches urllib (the parent class); no redirect handler is installed either way.
        super().__init__(allowed_protocols=["data"], allow_redirects=False, timeout=1)
        self._static_prefix = urljoin(base_url, settings.STATIC_URL)
        self._media_prefix = urljoin(base_url, settings.MEDIA_URL)
        self._static_roots: list[Path] | None = None

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        match = UNICODE_SCHEME_RE.match(url)
        if match and match[1].lower() == "data":
            return super().fetch(url, headers)
        body = self._project_file(url)
        if body is None:
            logger.warning("Transcript rendering refused to fetch %.200s", url)
            raise RefusedURL(f"Transcripts may only use the site's own static and media files, not {url[:200]}")
        content_type = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def _project_file(self, url: str) -> bytes | None:
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme.lower() not in {"http", "https"} or parts.username or parts.password:
            return None
        for prefix, read in ((self._static_prefix, self._static_file), (self._media_prefix, self._media_file)):
            base = urlsplit(prefix)
            if (parts.scheme.lower(), parts.netloc.lower()) != (base.scheme.lower(), base.netloc.lower()):
                continue
            name = _file_name(parts.path, base.path)
            if name is not None:
                return read(name)
        return None

    def _static_file(self, name: str) -> bytes | None:
        roots = self._allowed_static_roots()
        candidates = [finders.find(name), Path(settings.STATIC_ROOT) / name if settings.STATIC_ROOT else None]
        for candidate in candidates:
            if candidate and (body := _read(Path(candidate), roots)) is not None:
                return body
        return None

    def _allowed_static_roots(self) -> list[Path]:
        if self._static_roots is None:
            locations = [settings.STATIC_ROOT] if settings.STATIC_ROOT else []
            for finder in finders.get_finders():
                for storage in getattr(finder, "storages", {}).values():
                    if getattr(storage, "location", None):
                        locations.append(storage.location)
            self._static_roots = [Path(location).resolve() for location in locations]
        return self._static_roots

    def _media_file(self, name: str) -> bytes | None:
        storage = storages["default"]
        if isinstance(storage, FileSystemStorage):
            root = Path(storage.location).resolve()
            return _read(root / name, [root])
        # A remote storage (S3-compatible) is the project's own bucket: read it through the storage API, which
        # builds the object key from the name alone (the name was checked above: no "..", no absolute path).
        if not storage.exists(name) or storage.size(name) > MAX_BYTES:
            return None
        with storage.open(name) as file:
            return file.read()
