"""One way for every analytics table to download: CSV or XLSX, from the same ``ExportTable``.

CSV is UTF-8 with a byte-order mark (without it Excel, notably in Chinese locales, reads UTF-8 as the
locale's code page and garbles Chinese) and RFC 4180 quoting with CRLF line ends, via the csv module.
XLSX is written by openpyxl in write-only mode (rows stream to the file instead of building a workbook of
cell objects): the header row bold and frozen, column widths from the header and the first rows, numbers as
numbers, dates as dates.

Spreadsheet formula injection: a text cell (header or body) beginning with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return could run as a formula when the file is opened. In CSV such a cell gets a leading single
quote; in XLSX it is stored as a string cell with Excel's "quote prefix" style, so it shows as typed and never
evaluates. Only text is touched: a number (int, float, Decimal) stays a number, negative or not.

An unknown ``file_format`` raises ``Http404``: the format normally arrives in the URL, and a format nobody
offers is a download that does not exist. Views should still check it against ``EXPORT_FORMATS`` first.
"""

import csv
import datetime
import io
import itertools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from themes.charts import _char_units

CSV = "csv"
XLSX = "xlsx"
#: Each format with its label for download links (labels are lazy: translated when shown).
EXPORT_FORMATS = {
    CSV: gettext_lazy("CSV (.csv)"),
    XLSX: gettext_lazy("Excel workbook (.xlsx)"),
}
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_LIMIT = 31
WIDTH_SAMPLE_ROWS = 200  # rows read ahead to size the XLSX columns (widths must precede the rows)
MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH = 8, 60
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_UNSAFE_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")
_UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what an XLSX cannot hold (tab, LF and CR it can)


@dataclass
class ExportTable:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]  # cells: str, int, float, Decimal, date, datetime or None; read once


def export_formats() -> dict[str, str]:
    """{format: label} for the download links, the labels translated into the active language."""
    return {file_format: str(label) for file_format, label in EXPORT_FORMATS.items()}


def export_response(table: ExportTable, *, file_format: str, filename: str) -> HttpResponse:
    """``table`` as a CSV or XLSX download named ``filename`` (its extension set to match the format).

    Raises Http404 for a format other than "csv" or "xlsx".
    """
    if file_format == CSV:
        content = _csv_bytes(table)
    elif file_format == XLSX:
        content = _xlsx_bytes(table)
    else:
        raise Http404(f"no {file_format!r} export")
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = content_disposition(filename, file_format)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------------------------------------- filenames


def export_filename(filename: str, file_format: str) -> str:
    """``filename`` made safe for a download (no path, no control or reserved characters) ending in the
    format's extension."""
    name = unicodedata.normalize("NFC", filename)
    name = _UNSAFE_FILENAME.sub("_", name)
    name = " ".join(name.split())  # tabs and runs of spaces become one space
    stem = name
    for extension in (CSV, XLSX):
        if stem.lower().endswith(f".{extension}"):
            stem = stem[: -len(extension) - 1]
            break
    stem = stem.strip(" ._") or "export"
    return f"{stem[:150]}.{file_format}"


def _ascii_fallback(name: str, file_format: str) -> str:
    """The name in ASCII for clients that ignore ``filename*``: accents dropped, other letters removed."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_name = decomposed.encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^A-Za-z0-9 ._()+,=@~-]", "", ascii_name)  # nothing that needs quoting
    return export_filename(ascii_name, file_format)


def content_disposition(filename: str, file_format: str) -> str:
    """An attachment header with an ASCII ``filename`` and the UTF-8 name in RFC 5987 ``filename*``."""
    name = export_filename(filename, file_format)
    fallback = _ascii_fallback(name, file_format)
    if fallback == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


# ---------------------------------------------------------------------------------------------- cells


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _is_finite(value: object) -> bool:
    """Whether a number can be a spreadsheet number (NaN and infinities are written as text instead)."""
    if isinstance(value, Decimal):
        return value.is_finite()
    return math.isfinite(value) if isinstance(value, float) else True


def _needs_guard(value: str) -> bool:
    return value.startswith(FORMULA_TRIGGERS)


def _local(value: datetime.datetime) -> datetime.datetime:
    """A naive local datetime: spreadsheets have no time zones."""
    if timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if _is_number(value):
        return str(value)
    if isinstance(value, datetime.datetime):
        return _local(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if _needs_guard(text) else text


def _csv_bytes(table: ExportTable) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_cell(header) for header in table.headers])
    for row in table.rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def sheet_title(title: str) -> str:
    """``title`` as Excel allows a sheet name: none of []:*?/\\, no apostrophe at either end, 1–31 chars."""
    cleaned = _UNSAFE_SHEET_TITLE.sub(" ", _ILLEGAL_XML.sub("", title))
    cleaned = " ".join(cleaned.split())[:SHEET_TITLE_LIMIT].strip().strip("'").strip()
    if not cleaned or cleaned.casefold() == "history":  # Excel reserves "History"
        cleaned = f"{cleaned} 1".strip() if cleaned else "Sheet1"
    return cleaned


def _display_width(value: object) -> int:
    """Roughly how many character widths a cell needs in a spreadsheet (a CJK character counts two)."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    text = _csv_cell(value)
    longest_line = max(text.split("\n"), key=len) if text else ""
    return sum(_char_units(char) for char in longest_line)


def _xlsx_bytes(table: ExportTable) -> bytes:
    from openpyxl import Workbook  # a Wagtail dependency, imported when a workbook is wanted
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    workbook.properties.title = _ILLEGAL_XML.sub("", table.title)
    sheet = workbook.create_sheet(sheet_title(table.title))

    rows = iter(table.rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    widths = [_display_width(header) for header in table.headers]
    for row in sample:
        for column, cell in enumerate(row):
            if column >= len(widths):
                widths.append(0)
            widths[column] = max(widths[column], _display_width(cell))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(
            max(width + 2, MIN_COLUMN_WIDTH), MAX_COLUMN_WIDTH
        )
    sheet.freeze_panes = "A2"

    bold = Font(bold=True)

    def cell(value: object, *, font: Font | None = None) -> object:
        if value is None:
            return None
        if isinstance(value, bool) or (_is_number(value) and _is_finite(value)):
            written = WriteOnlyCell(sheet, value)
        elif isinstance(value, datetime.datetime):
            written = WriteOnlyCell(sheet, _local(value))
            written.number_format = DATETIME_FORMAT
        elif isinstance(value, datetime.date):
            written = WriteOnlyCell(sheet, value)
            written.number_format = DATE_FORMAT
        else:
            text = _ILLEGAL_XML.sub("", str(value))
            written = WriteOnlyCell(sheet, text)
            written.data_type = "s"  # openpyxl would take text starting with "=" for a formula
            if _needs_guard(text):
                written.quotePrefix = True
        if font is not None:
            written.font = font
        return written

    sheet.append([cell(str(header), font=bold) for header in table.headers])
    for row in itertools.chain(sample, rows):
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
