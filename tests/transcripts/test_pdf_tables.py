"""The transcript's ruled sheets (portfolios/transcripts/pdf_tables.py): measuring, wrapping, columns, runs, pages.

Widths are hand-computed from the advance widths of Noto Sans CJK SC (thousandths of an em) at 1 pt = 25.4 / 72
mm; a CSS px is 25.4 / 96 mm.
"""

import re
import xml.etree.ElementTree as ET
from base64 import b64decode

import pytest

from portfolios.transcripts.pdf_tables import (
    Bar,
    Column,
    Lines,
    TextStyle,
    ruled_sheets,
    text_width,
    wrap,
)

MM_PER_PT = 25.4 / 72
STYLE = TextStyle(font_size=10.0, header_font_size=10.0, line_height=12.0)  # a line is 12 pt = 4.2333 mm


def sheets(columns, rows, *, width=180.0, runs=1, first_capacity=50, capacity=60):
    return ruled_sheets(
        columns=columns,
        rows=rows,
        width=width,
        runs=runs,
        style=STYLE,
        first_capacity=first_capacity,
        capacity=capacity,
        colour="#0b6e4f",
    )


def body(cell) -> list[str]:
    return cell.text.split("\n")


# --- Measuring ---------------------------------------------------------------------------------------------------


def test_latin_text_is_measured_with_the_fonts_advance_widths():
    # C 638 + B 657 + E 589 + - 347 + 0 555 + 1 555 = 3341 thousandths of an em; at 7 pt: 3.341 × 7 pt = 8.2505 mm.
    assert text_width("CBE-01", font_size=7) == pytest.approx(3.341 * 7 * MM_PER_PT)


def test_a_chinese_character_is_one_em_wide():
    # 能力: 2 em at 10 pt = 20 pt = 7.0556 mm.
    assert text_width("能力", font_size=10) == pytest.approx(20 * MM_PER_PT)


def test_cyrillic_is_measured_with_the_fonts_advance_widths():
    # П 721 + р 620 + о 606 = 1947 thousandths of an em.
    assert text_width("Про", font_size=10) == pytest.approx(1.947 * 10 * MM_PER_PT)


def test_a_character_outside_the_tables_counts_wide_enough():
    # ș (U+0219) is neither in the tables nor wide to Unicode: 0.72 em, more than Latin letters take.
    assert text_width("ș", font_size=10) == pytest.approx(7.2 * MM_PER_PT)


def test_a_character_unicode_calls_ambiguous_counts_one_em():
    # ā (U+0101) is "ambiguous" East Asian width: CJK fonts may draw it full width.
    assert text_width("ā", font_size=10) == pytest.approx(10 * MM_PER_PT)


# --- Wrapping ----------------------------------------------------------------------------------------------------


def test_a_text_that_fits_stays_on_one_line():
    assert wrap("Buyer communication", 30, font_size=7) == ["Buyer communication"]


def test_latin_text_breaks_at_spaces():
    # "Foreign language" is 7.669 em = 20.3 mm at 7.5 pt, "Foreign language and" 10.034 em = 26.5 mm: over 26.
    assert wrap("Foreign language and intercultural communication", 26, font_size=7.5) == [
        "Foreign language",
        "and intercultural",
        "communication",
    ]


def test_chinese_text_breaks_between_characters():
    # 7 characters of 7.5 pt are 18.5 mm, 8 are 21.2 mm: seven to a 20 mm line.
    assert wrap("外语与跨文化沟通能力", 20, font_size=7.5) == ["外语与跨文化沟", "通能力"]


def test_a_closing_mark_never_starts_a_line():
    # Six characters fit a 16 mm line at 7.5 pt (15.9 mm); the comma after the sixth goes with it, so the sixth
    # moves down too.
    assert wrap("外语跨文化沟，通能力", 16, font_size=7.5) == ["外语跨文化", "沟，通能力"]


def test_a_word_longer_than_the_line_is_cut():
    # S 596 + u 607 + p 620 + e 554 + r 388 + c 510 = 3275 = 8.67 mm at 7.5 pt; with a 563 it is 10.16 mm: over 10.
    assert wrap("Supercalifragilistic", 10, font_size=7.5)[0] == "Superc"


def test_given_line_breaks_are_kept():
    assert wrap("one\ntwo", 50, font_size=7) == ["one", "two"]


# --- Columns -----------------------------------------------------------------------------------------------------


def test_a_row_whose_text_wraps_pads_the_other_columns_so_rows_stay_level():
    columns = [Column("Code"), Column("Name", flexible=True)]
    (sheet,) = sheets(columns, [("A", "外语与跨文化沟通能力"), ("B", "x")], width=30)
    code, name = sheet.cells
    # "Code" (2.418 em at 10 pt = 8.53 mm) and padding make the code column 10.13 mm; the name column's 19.87 mm
    # hold 18.27 mm of text inside its padding: five 3.53 mm characters to a line. B stands level with x.
    assert body(name) == ["外语与跨文", "化沟通能力", "x"]
    assert body(code) == ["A", "", "B"]


def test_the_parts_of_a_column_are_a_tab_apart():
    (sheet,) = sheets([Column(("Code", "Name"), flexible=True)], [(("CBE-01", "外贸知识"),), (("CBE-02", "直播"),)])
    assert body(sheet.cells[0]) == ["CBE-01\t外贸知识", "CBE-02\t直播"]
    assert sheet.cells[0].header == "Code\tName"


def test_the_tab_stop_clears_the_widest_part_before_it_in_whole_pixels():
    (sheet,) = sheets([Column(("Code", "Name"), flexible=True)], [(("CBE-01", "x"),)])
    # "CBE-01" at 10 pt is 11.786 mm, padded by 2 × 0.8 mm: 13.386 mm = 50.59 px, so the stop is at 51 px.
    assert sheet.cells[0].tab == 51


def test_lines_given_for_a_part_stand_under_each_other():
    (sheet,) = sheets([Column(("Code", "By"))], [((Lines(("CBE-01", "CBE-02")), "陈静"),)])
    assert body(sheet.cells[0]) == ["CBE-01\t陈静", "CBE-02"]


def test_the_flexible_column_takes_the_width_the_others_leave():
    (sheet,) = sheets([Column("Name", flexible=True), Column("Score", align="end")], [("x", "3")], width=100)
    name, score = sheet.cells
    assert name.width + score.width == pytest.approx(100)
    assert score.align == "end"


def test_a_long_header_wraps_when_the_flexible_column_is_short_of_room():
    columns = [Column("Name", flexible=True), Column("Industry demand")]
    long_name = "Logistics and customs and more"  # 14.566 em = 51.4 mm at 10 pt: more than is left beside the header
    (sheet,) = sheets(columns, [(long_name, "47")], width=60)
    assert sheet.cells[1].header == "Industry\ndemand"


def test_a_long_header_stays_on_one_line_when_there_is_room():
    (sheet,) = sheets([Column("Name", flexible=True), Column("Industry demand")], [("x", "47")], width=100)
    assert sheet.cells[1].header == "Industry demand"


def test_a_bar_outside_a_bar_column_is_refused():
    with pytest.raises(ValueError, match="Bars go in bar columns only"):
        sheets([Column("Name")], [(Bar(0.5),)])


# --- Runs and pages ----------------------------------------------------------------------------------------------


def test_two_runs_share_the_rows_evenly_the_first_taking_the_odd_one():
    (sheet,) = sheets([Column("Name")], [(f"row {n}",) for n in range(1, 6)], runs=2)
    left, _gap, right = sheet.cells
    assert body(left) == ["row 1", "row 2", "row 3"]
    assert body(right) == ["row 4", "row 5"]
    assert sheet.lines == 1 + 3  # the header, then the longer run


def test_rows_past_a_pages_capacity_go_to_the_next_sheet():
    rows = [(f"row {n}",) for n in range(1, 11)]
    first, second = sheets([Column("Name")], rows, first_capacity=5, capacity=8)
    # Five lines on the first page: the header and four rows; the other six on the next sheet.
    assert (first.rows, second.rows) == (4, 6)
    assert body(second.cells[0])[0] == "row 5"


def test_a_sheet_is_as_tall_as_its_lines():
    (sheet,) = sheets([Column("Name")], [("a",), ("b",)])
    # The header and two rows at 12 pt a line: 36 pt = 12.7 mm.
    assert sheet.height == pytest.approx(36 * MM_PER_PT)
    assert "height: 12.7mm" in sheet.style


# --- The background: rules and bars ------------------------------------------------------------------------------


def grid(sheet) -> ET.Element:
    source = re.search(r"url\(data:image/svg\+xml;base64,([^)]+)\)", sheet.style).group(1)
    return ET.fromstring(b64decode(source))  # noqa: S314 - drawn by the code under test


def test_a_rule_is_drawn_under_the_header_and_between_rows():
    (sheet,) = sheets([Column("Name")], [("a",), ("b",), ("c",)])
    paths = {path.get("fill"): path.get("d") for path in grid(sheet)}
    # Light rules between rows (two), dark ones under the header and under the last row.
    assert paths["#999999"].count("M") == 2
    assert paths["#000000"].count("M") == 2


def test_a_bar_is_filled_to_its_ratio_in_the_brand_colour():
    (sheet,) = sheets([Column("Name"), Column("Bar", bar=True)], [("a", Bar(0.25, 0.75))])
    paths = {path.get("fill"): path.get("d") for path in grid(sheet)}
    # A quarter of the 10 mm bar.
    assert re.fullmatch(r"M[\d.]+ [\d.]+h2.5v1.9h-2.5Z", paths["#0b6e4f"])
