"""The stacked-bar and dumbbell SVG charts: proportions, written figures, legends, shapes, escaping, edges."""

import xml.etree.ElementTree as ET

import pytest

from themes.bar_charts import (
    BAR_WIDTH,
    PLOT_WIDTH,
    DumbbellRow,
    StackedBar,
    dumbbell_chart,
    nice_step,
    stacked_bar_chart,
)
from themes.heat_map import HeatLevel, level_colours

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 (markup this test just generated)


def _by_class(svg, css_class, tag="*"):
    return [e for e in svg.iter(f"{SVG}{tag}" if tag != "*" else None) if e.get("class") == css_class]


SERIES = [
    HeatLevel("Not yet attained", "#ffffff"),
    *(HeatLevel(n, c) for n, c in zip("ABC", level_colours(3), strict=True)),
]


def _stacked(bars, **options):
    options.setdefault("title", "Distribution")
    options.setdefault("description", "Students per level.")
    return _parse(stacked_bar_chart(bars=bars, series=SERIES, **options))


# ---------------------------------------------------------------------------------------------- stacked


def test_segments_split_the_bar_in_proportion_and_write_their_counts():
    svg = _stacked([StackedBar("CBE-01", [2, 3, 0, 5], note="50% at mastery")])
    segments = _by_class(svg, "stacked__segment")
    assert [s.get("fill") for s in segments] == [SERIES[0].colour, SERIES[1].colour, SERIES[3].colour]
    widths = [float(s.get("width")) for s in segments]
    assert widths == pytest.approx([BAR_WIDTH * 0.2, BAR_WIDTH * 0.3, BAR_WIDTH * 0.5], abs=0.1)
    lefts = [float(s.get("x")) for s in segments]
    assert lefts[1] == pytest.approx(lefts[0] + widths[0], abs=0.1)
    assert lefts[2] == pytest.approx(lefts[1] + widths[1], abs=0.1)
    assert [t.text for t in _by_class(svg, "stacked__count")] == ["2", "3", "5"]
    assert [t.text for t in _by_class(svg, "stacked__note")] == ["50% at mastery"]
    # each segment and the bar as a whole say their figures on hover
    assert [s.find(f"{SVG}title").text for s in segments] == [
        "Not yet attained: 2 (20%)",
        "A: 3 (30%)",
        "C: 5 (50%)",
    ]
    bar = _by_class(svg, "stacked__bar")[0]
    assert bar.find(f"{SVG}title").text == (
        "CBE-01: Not yet attained 2 (20%), A 3 (30%), B 0 (0%), C 5 (50%). 50% at mastery"
    )


def test_a_count_too_wide_for_its_segment_is_left_to_the_title():
    svg = _stacked([StackedBar("X", [1, 998, 0, 1])])
    assert [t.text for t in _by_class(svg, "stacked__count")] == ["998"]
    assert len(_by_class(svg, "stacked__segment")) == 3


def test_counts_are_written_in_a_colour_that_reads_on_the_segment():
    svg = _stacked([StackedBar("X", [5, 5, 5, 5])])
    inks = [t.get("fill") for t in _by_class(svg, "stacked__count")]
    assert inks[0] == "#000000"  # on white
    assert inks[1] == "#000000"  # on the palest level
    assert inks[3] == "#ffffff"  # on the darkest level


def test_an_all_zero_bar_is_an_empty_outline():
    svg = _stacked([StackedBar("Empty", [0, 0, 0, 0], note="no students"), StackedBar("Full", [0, 0, 0, 4])])
    bars = _by_class(svg, "stacked__bar")
    assert bars[0].findall(f"{SVG}rect")[0].get("class") == "stacked__empty"
    assert not [r for r in bars[0].iter(f"{SVG}rect") if r.get("class") == "stacked__segment"]
    assert "Empty: Not yet attained 0 (0%)" in bars[0].find(f"{SVG}title").text
    assert [r.get("width") for r in bars[1].iter(f"{SVG}rect") if r.get("class") == "stacked__segment"] == [
        str(BAR_WIDTH)
    ]


def test_stacked_legend_axis_and_accessible_text():
    svg = _stacked([StackedBar("A bar", [1, 1, 1, 1])], id_prefix="dist")
    items = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "stacked__legend-item"]
    assert [g.find(f"{SVG}text").text for g in items] == [s.name for s in SERIES]
    assert [g.find(f"{SVG}rect").get("fill") for g in items] == [s.colour for s in SERIES]
    axis = _by_class(svg, "stacked__axis")[0]
    assert [t.text for t in axis.iter(f"{SVG}text")] == ["0%", "25%", "50%", "75%", "100%"]
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "dist-title dist-desc"
    assert svg.find(f"{SVG}title").text == "Distribution"
    assert svg.find(f"{SVG}desc").text.startswith("Students per level. A bar: Not yet attained 1 (25%)")
    assert svg.get("fill") == "currentColor"


def test_stacked_labels_link_escape_and_fit():
    name = "沟通与协作能力沟通与协作能力沟通与协作"
    svg_markup = stacked_bar_chart(
        bars=[StackedBar("<script>", [1, 0, 0, 0], href="/c/1/", note="<b>"), StackedBar(name, [0, 0, 0, 1])],
        series=SERIES,
        title="t",
        description="d",
    )
    assert "<script" not in str(svg_markup) and "<b>" not in str(svg_markup)
    svg = _parse(svg_markup)
    bars = _by_class(svg, "stacked__bar")
    assert bars[0].find(f"{SVG}a").get("href") == "/c/1/"
    assert bars[0].find(f"{SVG}a/{SVG}text").text == "<script>"
    assert [t.text for t in _by_class(svg, "stacked__note")] == ["<b>"]
    label = bars[1].find(f"{SVG}text")
    assert label.text == name[:11] + "…"
    # the label, drawn right-aligned, fits left of its bar even at one font size per CJK character
    assert float(label.get("x")) - 12 * 11 >= 0


def test_stacked_refuses_mismatched_or_negative_counts_and_draws_nothing_without_bars():
    with pytest.raises(ValueError):
        stacked_bar_chart(bars=[StackedBar("x", [1, 2])], series=SERIES, title="t", description="d")
    with pytest.raises(ValueError):
        stacked_bar_chart(bars=[StackedBar("x", [1, -2, 0, 0])], series=SERIES, title="t", description="d")
    assert stacked_bar_chart(bars=[], series=SERIES, title="t", description="d") == ""


# ---------------------------------------------------------------------------------------------- dumbbell


def _dumbbell(rows, **options):
    options.setdefault("first_label", "Class attainment")
    options.setdefault("second_label", "Industry demand")
    options.setdefault("maximum", 4)
    options.setdefault("title", "Gap")
    options.setdefault("description", "Largest gap first.")
    return _parse(dumbbell_chart(rows=rows, **options))


def _tick_x(svg):
    return {t.text: float(t.get("x")) for t in _by_class(svg, "dumbbell__tick")}


def test_markers_sit_on_the_scale_with_different_shapes():
    svg = _dumbbell([DumbbellRow("CBE-01", 1, 3, note="gap 2")])
    ticks = _tick_x(svg)
    assert list(ticks) == ["0", "0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4"]
    assert ticks["4"] - ticks["0"] == pytest.approx(PLOT_WIDTH)
    row = _by_class(svg, "dumbbell__row")[0]
    circle = row.find(f"{SVG}circle")
    diamond = row.find(f"{SVG}polygon")
    assert circle.get("class") == "dumbbell__first"
    assert diamond.get("class") == "dumbbell__second"
    assert float(circle.get("cx")) == pytest.approx(ticks["1"], abs=0.1)
    diamond_x = [float(point.split(",")[0]) for point in diamond.get("points").split()]
    assert (min(diamond_x) + max(diamond_x)) / 2 == pytest.approx(ticks["3"], abs=0.1)
    line = row.find(f"{SVG}line")
    assert (float(line.get("x1")), float(line.get("x2"))) == pytest.approx((ticks["1"], ticks["3"]), abs=0.1)
    # in black and white: a filled circle against an open diamond
    assert circle.get("fill") == "currentColor"
    assert diamond.get("fill") == "#ffffff" and diamond.get("stroke") == "currentColor"


def test_both_values_are_written_lower_left_higher_right():
    svg = _dumbbell([DumbbellRow("A", 3.25, 1.5), DumbbellRow("B", 2, 2)], unit=" pts")
    first, second = _by_class(svg, "dumbbell__row")
    values = [(t.text, t.get("text-anchor")) for t in first.iter(f"{SVG}text") if t.get("class") == "dumbbell__value"]
    assert values == [("1.5 pts", "end"), ("3.25 pts", "start")]
    tie = [(t.text, t.get("text-anchor")) for t in second.iter(f"{SVG}text") if t.get("class") == "dumbbell__value"]
    assert tie == [("2 pts", "end"), ("2 pts", "start")]
    assert first.find(f"{SVG}title").text == "A: Class attainment 3.25 pts, Industry demand 1.5 pts"


def test_missing_values_and_values_off_the_scale():
    svg = _dumbbell([DumbbellRow("One", None, 3), DumbbellRow("None", None, None), DumbbellRow("Over", 5, 0)])
    one, none, over = _by_class(svg, "dumbbell__row")
    assert one.find(f"{SVG}circle") is None and one.find(f"{SVG}polygon") is not None
    assert [t.text for t in one.iter(f"{SVG}text") if t.get("class") == "dumbbell__value"] == ["3"]
    assert "Class attainment no value" in one.find(f"{SVG}title").text
    assert none.find(f"{SVG}circle") is None and none.find(f"{SVG}polygon") is None
    assert [t.text for t in none.iter(f"{SVG}text") if t.get("class") == "dumbbell__missing"] == ["no value"]
    ticks = _tick_x(svg)
    assert float(over.find(f"{SVG}circle").get("cx")) == pytest.approx(ticks["4"], abs=0.1)  # drawn at the end
    assert "5" in [t.text for t in over.iter(f"{SVG}text") if t.get("class") == "dumbbell__value"]


def test_dumbbell_legend_accessibility_and_escaping():
    markup = dumbbell_chart(
        rows=[DumbbellRow("<script>", 1, 2, href="/c/?a=1&b=2", note="<i>")],
        first_label="平均达成度",
        second_label="行业需求",
        maximum=100,
        title="差距",
        description="<desc>",
        id_prefix="gap",
    )
    assert "<script" not in str(markup) and "<i>" not in str(markup)
    svg = _parse(markup)
    legend = _by_class(svg, "dumbbell__legend")[0]
    assert [t.text for t in legend.iter(f"{SVG}text")] == ["平均达成度", "行业需求"]
    assert legend.find(f"{SVG}circle") is not None and legend.find(f"{SVG}polygon") is not None
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "gap-title gap-desc"
    assert svg.find(f"{SVG}title").text == "差距"
    assert svg.find(f"{SVG}desc").text == "<desc> <script>: 平均达成度 1, 行业需求 2. <i>"
    row = _by_class(svg, "dumbbell__row")[0]
    assert row.find(f"{SVG}a").get("href") == "/c/?a=1&b=2"
    assert list(_tick_x(svg)) == ["0", "20", "40", "60", "80", "100"]


def test_dumbbell_refuses_a_scale_without_length_and_draws_nothing_without_rows():
    with pytest.raises(ValueError):
        _dumbbell([DumbbellRow("x", 1, 2)], maximum=0)
    assert dumbbell_chart(rows=[], first_label="a", second_label="b", maximum=4, title="t", description="") == ""


@pytest.mark.parametrize(
    ("maximum", "step"), [(4, 0.5), (5, 1), (100, 20), (3, 0.5), (1, 0.2), (10, 2), (7, 1), (20, 2.5), (0.2, 0.05)]
)
def test_nice_steps(maximum, step):
    assert nice_step(maximum) == pytest.approx(step)
