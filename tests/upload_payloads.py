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


def padded(content: bytes, size: int, *, filler: bytes = b"0") -> bytes:
    """``content`` followed by ``filler`` up to exactly ``size`` bytes (readers ignore what follows the end)."""
    assert len(content) <= size, (len(content), size)
    return content + filler * (size - len(content))


def macro_document() -> bytes:
    """A Word document that carries a VBA project: the part Office runs as macros."""
    return office_bytes("word/", {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})


class Formula(str):
    """A spreadsheet cell holding a real formula (``<f>``), with Excel's cached result or none."""

    def __new__(cls, text: str, cached: str | None = None):
        formula = super().__new__(cls, text)
        formula.cached = cached
        return formula


def _xlsx_cell(reference: str, value) -> str:
    from xml.sax.saxutils import escape

    if value is None:
        return ""
    if isinstance(value, Formula):
        cached = "" if value.cached is None else f"<v>{escape(value.cached)}</v>"
        return f'<c r="{reference}" t="str"><f>{escape(str(value))}</f>{cached}</c>'
    if isinstance(value, int | float):
        return f'<c r="{reference}"><v>{value}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def xlsx_bytes(rows, *, dimension: str = "", extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Excel workbook written by hand (so it can say and hold what openpyxl would never write).

    ``rows`` is an iterable of ``(row number, [cell values])`` or plain lists (numbered from 1); a value is a
    str (an inline string: text, even when it starts with ``=``), an int or float, a :class:`Formula`, or None.
    ``dimension`` is the sheet's claimed extent (``"A1:C100000"``); ``extra`` adds parts (``xl/vbaProject.bin``).
    """
    from openpyxl.utils import get_column_letter

    def numbered():
        for position, row in enumerate(rows, start=1):
            yield row if isinstance(row, tuple) else (position, row)

    sheet = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    ]
    if dimension:
        sheet.append(f'<dimension ref="{dimension}"/>')
    sheet.append("<sheetData>")
    for number, cells in numbered():
        sheet.append(f'<row r="{number}">')
        sheet.extend(
            _xlsx_cell(f"{get_column_letter(column)}{number}", value) for column, value in enumerate(cells, start=1)
        )
        sheet.append("</row>")
    sheet.append("</sheetData></worksheet>")
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{relationships}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{relationships}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{relationships}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": "".join(sheet),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in {**parts, **(extra or {})}.items():
            archive.writestr(name, content)
    return buffer.getvalue()
