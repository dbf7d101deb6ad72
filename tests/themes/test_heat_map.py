"""The SVG heat map: palette, merged runs, legend, accessibility, escaping, and the 1,000 × 40 size bound.

A row's cells are read back from its paths: every run is ``M x y h w v h h -w z`` on the grid given by the
root's data-grid-x/-y and data-cell-width/-height, so column = (x − grid x) / cell width and
length = w / cell width.
"""

import random
import re
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest

from themes.heat_map import HeatLevel, HeatRow, heat_map, level_colours, relative_luminance

SVG = "{http://www.w3.org/2000/svg}"
RUN = re.compile(r"M(\d+) (\d+)h(\d+)v(\d+)h-(\d+)z")


def _parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 (markup this test just generated)


def _levels(count=3):
    names = ["Beginning", "Developing", "Mastery", "Extending", "Five", "Six", "Seven", "Eight"][:count]
    return [HeatLevel(name, colour) for name, colour in zip(names, level_colours(count), strict=True)]


def _chart(rows, *, columns=None, levels=None, **options):
    columns = columns or [f"C{index}" for index in range(len(rows[0].cells))]
    options.setdefault("title", "Attainment")
    options.setdefault("description", "Students by competency.")
    options.setdefault("missing_label", "Not yet attained")
    return heat_map(rows=rows, columns=columns, levels=levels or _levels(), **options)


def _rows(svg):
    return [g for g in svg.iter(f"{SVG}g") if g.get("class") == "heat-map__row"]


def _runs(svg, row):
    """{level: [(first column, length), …]} of one row, read back from its paths."""
    grid_x, grid_y = int(svg.get("data-grid-x")), int(svg.get("data-grid-y"))
    width, height = int(svg.get("data-cell-width")), int(svg.get("data-cell-height"))
    runs = {}
    for path in row.findall(f"{SVG}path"):
        found = []
        for x, y, w, h, back in RUN.findall(path.get("d")):
            assert int(h) == height and int(back) == int(w)
            assert (int(y) - grid_y) % height == 0
            found.append(((int(x) - grid_x) // width, int(w) // width))
        assert RUN.sub("", path.get("d")) == "", "d holds nothing but runs"
        runs[int(path.get("data-level"))] = found
    return runs


def _row_index(svg, row):
    grid_y, height = int(svg.get("data-grid-y")), int(svg.get("data-cell-height"))
    first = RUN.search(row.find(f"{SVG}path").get("d"))
    return (int(first.group(2)) - grid_y) // height


# ---------------------------------------------------------------------------------------------- palette


@pytest.mark.parametrize("count", range(1, 9))
def test_level_colours_are_hex_and_strictly_darker_step_by_step(count):
    colours = level_colours(count)
    assert len(colours) == count
    assert all(re.fullmatch(r"#[0-9a-f]{6}", colour) for colour in colours)
    luminance = [relative_luminance(colour) for colour in colours]
    assert all(a > b for a, b in pairwise(luminance)), luminance
    # neighbours apart in greyscale: a contrast ratio of at least 1.25 between any two neighbours
    ratios = [(a + 0.05) / (b + 0.05) for a, b in pairwise(luminance)]
    assert all(ratio >= 1.25 for ratio in ratios), ratios
    # the lightest level is not white, so it never reads as a missing cell
    assert (1.05 / (luminance[0] + 0.05)) >= 1.08


def test_level_colours_refuse_counts_outside_one_to_eight():
    for count in (0, 9, -1):
        with pytest.raises(ValueError):
            level_colours(count)


def test_level_colours_return_a_fresh_list():
    colours = level_colours(3)
    colours.append("#000000")
    assert len(level_colours(3)) == 3


# ---------------------------------------------------------------------------------------------- runs


SMALL = [
    HeatRow("Ann", [0, 0, 1, None], href="/students/ann/", note="1 of 4 mastered"),
    HeatRow("Bo", [2, 2, 2, 2]),
    HeatRow("Cai", [None, 1, None, 1]),
]


def test_runs_merge_adjacent_cells_of_a_level_in_a_small_grid():
    svg = _parse(_chart(SMALL))
    rows = _rows(svg)
    assert [_row_index(svg, row) for row in rows] == [0, 1, 2]
    assert [_runs(svg, row) for row in rows] == [
        {0: [(0, 2)], 1: [(2, 1)]},
        {2: [(0, 4)]},
        {1: [(1, 1), (3, 1)]},
    ]


def test_paths_carry_their_levels_colour():
    levels = _levels()
    svg = _parse(_chart(SMALL, levels=levels))
    for path in svg.iter(f"{SVG}path"):
        assert path.get("fill") == levels[int(path.get("data-level"))].colour


def test_the_root_says_how_many_rows_columns_and_levels():
    svg = _parse(_chart(SMALL))
    assert (svg.get("data-rows"), svg.get("data-columns"), svg.get("data-levels")) == ("3", "4", "3")


def test_missing_cells_are_the_hatched_background_and_in_the_legend():
    svg = _parse(_chart(SMALL, id_prefix="hm"))
    pattern = svg.find(f"{SVG}defs/{SVG}pattern")
    assert pattern.get("id") == "hm-missing"
    background = next(e for e in svg.iter(f"{SVG}rect") if e.get("class") == "heat-map__missing")
    assert background.get("fill") == "url(#hm-missing)"
    assert int(background.get("width")) == 4 * int(svg.get("data-cell-width"))
    assert int(background.get("height")) == 3 * int(svg.get("data-cell-height"))


# ---------------------------------------------------------------------------------------------- legend, labels


def test_legend_names_every_level_and_missing_with_its_swatch():
    levels = _levels()
    svg = _parse(_chart(SMALL, levels=levels, id_prefix="hm"))
    items = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "heat-map__legend-item"]
    assert [item.find(f"{SVG}text").text for item in items] == [
        "Beginning",
        "Developing",
        "Mastery",
        "Not yet attained",
    ]
    fills = [item.find(f"{SVG}rect").get("fill") for item in items]
    assert fills == [level.colour for level in levels] + ["url(#hm-missing)"]
    assert all(item.find(f"{SVG}rect").get("stroke") == "currentColor" for item in items)


def test_accessible_name_and_description():
    svg = _parse(_chart(SMALL, id_prefix="hm", title="Class 7A", description="One row per student."))
    assert svg.get("role") == "group"  # SMALL links its rows; without links it is an img (test below)
    assert svg.get("aria-labelledby") == "hm-title hm-desc"
    assert svg.find(f"{SVG}title").get("id") == "hm-title"
    assert svg.find(f"{SVG}title").text == "Class 7A"
    desc = svg.find(f"{SVG}desc")
    assert desc.get("id") == "hm-desc"
    # the description, then how many cells are at each level: a text alternative of the whole grid
    assert desc.text == "One row per student. Beginning: 2; Developing: 3; Mastery: 4; Not yet attained: 3"


def test_row_titles_hold_the_label_and_note_and_labels_link():
    svg = _parse(_chart(SMALL))
    rows = _rows(svg)
    assert [row.find(f"{SVG}title").text for row in rows] == ["Ann — 1 of 4 mastered", "Bo", "Cai"]
    link = rows[0].find(f"{SVG}a")
    assert link.get("href") == "/students/ann/"
    assert link.find(f"{SVG}text").text == "Ann"
    assert rows[1].find(f"{SVG}a") is None
    assert rows[1].find(f"{SVG}text").text == "Bo"


def test_column_codes_with_their_full_titles():
    svg = _parse(_chart(SMALL, columns=["CBE-01", "CBE-02", "CBE-03", "CBE-04"], column_titles=list("ABCD")))
    columns = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "heat-map__column"]
    assert [g.find(f"{SVG}text").text for g in columns] == ["CBE-01", "CBE-02", "CBE-03", "CBE-04"]
    assert [g.find(f"{SVG}title").text for g in columns] == list("ABCD")
    assert all("rotate(-45" in g.find(f"{SVG}text").get("transform") for g in columns)


def test_labels_are_escaped():
    evil = '<script>alert("x")</script>'
    rows = [HeatRow(evil, [0], href='/x/?a=1&b="2"', note="<b>")]
    markup = str(_chart(rows, columns=["<i>"], column_titles=["<u>"], title="<t>", missing_label="<m>"))
    assert "<script" not in markup and "<b>" not in markup and "<i>" not in markup and "<u>" not in markup
    assert "&lt;script&gt;" in markup
    svg = _parse(markup)
    row = _rows(svg)[0]
    assert row.find(f"{SVG}title").text == f"{evil} — <b>"
    assert row.find(f"{SVG}a").get("href") == '/x/?a=1&b="2"'
    assert svg.find(f"{SVG}title").text == "<t>"


def test_long_chinese_names_are_cut_and_the_label_column_holds_them():
    name = "欧阳娜娜同学的名字特别特别长的例子"  # 17 CJK characters: 34 units
    svg = _parse(_chart([HeatRow(name, [0, 1]), HeatRow("王小明", [1, None])]))
    texts = [row.find(f"{SVG}text").text for row in _rows(svg)]
    assert texts[0] == name[:11] + "…"  # 24 units: 11 CJK characters and the ellipsis
    assert texts[1] == "王小明"
    assert _rows(svg)[0].find(f"{SVG}title").text == name
    # a CJK character is drawn about one font size wide: the label fits left of the grid (text-anchor end)
    font_size = int(svg.get("font-size"))
    label = _rows(svg)[0].find(f"{SVG}text")
    assert label.get("text-anchor") == "end"
    assert float(label.get("x")) - 12 * font_size >= 0


def test_the_chart_scales_from_its_view_box():
    svg = _parse(_chart(SMALL))
    _x, _y, width, height = (int(value) for value in svg.get("viewBox").split())
    assert (svg.get("width"), svg.get("height")) == (str(width), str(height))
    grid_right = int(svg.get("data-grid-x")) + 4 * int(svg.get("data-cell-width"))
    grid_bottom = int(svg.get("data-grid-y")) + 3 * int(svg.get("data-cell-height"))
    assert grid_right <= width and grid_bottom <= height


# ---------------------------------------------------------------------------------------------- edges


def test_no_rows_or_no_columns_draw_nothing():
    assert heat_map(rows=[], columns=["A"], levels=_levels(), title="t", description="", missing_label="m") == ""
    assert heat_map(rows=SMALL, columns=[], levels=_levels(), title="t", description="", missing_label="m") == ""


def test_bad_cells_are_refused():
    with pytest.raises(ValueError, match="cells"):
        _chart([HeatRow("A", [0, 1])], columns=["a", "b", "c"])
    with pytest.raises(ValueError, match="level"):
        _chart([HeatRow("A", [0, 3])])
    with pytest.raises(ValueError):
        _chart([HeatRow("A", [0, -1])])
    with pytest.raises(ValueError):
        _chart(SMALL, column_titles=["only one"])


def test_a_row_with_nothing_attained_has_no_paths():
    svg = _parse(_chart([HeatRow("Empty", [None, None]), HeatRow("Full", [0, 0])]))
    rows = _rows(svg)
    assert rows[0].findall(f"{SVG}path") == []
    assert _runs(svg, rows[1]) == {0: [(0, 2)]}


# ---------------------------------------------------------------------------------------------- a cohort


def test_a_cohort_of_1000_by_40_stays_small():
    generator = random.Random(2024)
    level_count = 5
    rows = [
        HeatRow(
            label=f"学生 {index:04d} 王小明" if index % 2 else f"Student {index:04d} Smith",
            cells=[generator.choice([None, *range(level_count)]) for _column in range(40)],
            href=f"/admin/ledger/?student=s{index}",
            note="12 of 40 competencies mastered",
        )
        for index in range(1000)
    ]
    markup = str(_chart(rows, columns=[f"CBE-{index:02d}" for index in range(40)], levels=_levels(level_count)))
    assert len(markup.encode()) < 1_500_000
    svg = _parse(markup)
    paths = list(svg.iter(f"{SVG}path"))
    assert len(paths) <= 1000 * level_count
    assert svg.get("data-rows") == "1000"
    # every attained cell is drawn exactly once
    drawn = sum(length for row in _rows(svg) for runs in _runs(svg, row).values() for _first, length in runs)
    assert drawn == sum(cell is not None for row in rows for cell in row.cells)


def test_a_heat_map_with_row_links_is_a_group_so_its_links_stay_reachable():
    from themes.heat_map import HeatLevel, HeatRow, heat_map

    levels = [HeatLevel(name="Low", colour="#eeeeee"), HeatLevel(name="High", colour="#333333")]

    def role(href: str) -> str:
        svg = heat_map(
            rows=[HeatRow(label="Wang", cells=[0, 1], href=href)],
            columns=["A", "B"],
            levels=levels,
            title="t",
            description="d",
            missing_label="none",
        )
        return re.search(r'<svg[^>]* role="(\w+)"', str(svg)).group(1)

    assert role("") == "img"
    assert role("/admin/evidence/?student=1") == "group"
