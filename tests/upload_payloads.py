"""File contents for upload tests: good files, and the bad ones the one validator (courses.uploads) must refuse.

Shared by tests/courses/test_uploads.py (the validator itself) and the apps that accept uploads through it.
"""

import io
import struct
import zipfile
import zlib

from PIL import Image

#: The smallest PDF a reader opens: a catalogue and a trailer.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
#: The start of a Windows program: "MZ", then the DOS header.
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(240)


def png_bytes(size=(40, 30), mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "PNG")
    return buffer.getvalue()


def office_bytes(folder: str, extra: dict[str, bytes] | None = None) -> bytes:
    """An Office Open XML package whose application folder is ``folder`` ("word/", "xl/", "ppt/")."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def png_claiming_size(width: int, height: int) -> bytes:
    """A 1×1 PNG whose header says ``width`` × ``height``: tiny on disk, a bomb for anything that trusts it.

    The IHDR chunk is rewritten and its CRC recomputed, so the file is well formed up to its pixel data.
    """
    original = png_bytes(size=(1, 1), mode="1")
    ihdr_at = 8  # after the signature: length (4), b"IHDR" (4), data (13), CRC (4)
    length, kind = struct.unpack(">I4s", original[ihdr_at : ihdr_at + 8])
    assert (length, kind) == (13, b"IHDR")
    data = struct.pack(">II", width, height) + original[ihdr_at + 16 : ihdr_at + 21]
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + data) & 0xFFFFFFFF)
    return original[: ihdr_at + 8] + data + crc + original[ihdr_at + 25 :]
