"""The SVG radar chart and bar: geometry, escaping, degenerate cases, legible labels from 3 to 40 axes.

Geometry (see themes/charts.py): with the default radius 100 and short names the centre is (100 + 150, 100 + 50)
= (250, 150); axis i of n points at −90° + i·360°/n, so with four axes: up, right, down, left.

The label tests measure text as a browser roughly would, independently of the chart's own (more generous)
estimate: 0.6 × font size per character, 1 × font size per wide (CJK) character, from one font size above the
baseline to a quarter below it.
"""

import math
import unicodedata
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from themes.charts import RadarAxis, fit_label, measure_bar, radar_chart

SVG = "{http://www.w3.org/2000/svg}"


def _axes(*values, maximum="4", reference="3", label="Axis"):
    return [
        RadarAxis(
            label=f"{label} {index}",
            value=None if value is None else Decimal(value),
            maximum=Decimal(maximum),
            reference=None if reference is None else Decimal(reference),
        )
        for index, value in enumerate(values, start=1)
    ]


def _parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 (markup this test just generated, not untrusted input)


def _svg(axes, **options):
    options.setdefault("title", "Competencies")
    return _parse(radar_chart(axes, **options))


def _points(svg, css_class):
    return [e.get("points") for e in svg.iter(f"{SVG}polygon") if e.get("class") == css_class]


def _figures(svg):
    return [e.text for e in svg.iter() if e.get("class") == "radar__figure"]


def _labels(svg):
    return [g for g in svg.iter(f"{SVG}g") if g.get("class") == "radar__label"]


def _label_texts(svg):
    """The visible text of each label, its lines joined by " | "."""
    return [" | ".join("".join(t.itertext()) for t in g.findall(f"{SVG}text")) for g in _labels(svg)]


# The demo framework's competencies (lms/demo/content.py) with a figure each, as the portfolio page draws them.
DEMO = [
    ("CBE-01", "Foreign language and intercultural communication", "外语与跨文化沟通能力"),
    ("CBE-02", "Economic and trade knowledge", "经济贸易知识"),
    ("CBE-03", "Oral communication", "口头表达能力"),
    ("CBE-04", "Computer operation", "计算机操作能力"),
    ("CBE-05", "Management", "管理能力"),
    ("CBE-06", "Teamwork", "团队协作能力"),
    ("CBE-07", "Market insight", "市场洞察能力"),
    ("CBE-08", "Cross-border platform operation", "跨境平台运营能力"),
    ("CBE-08.1", "Product listing and store optimisation", "产品上架与店铺优化"),
    ("CBE-09", "Off-site (external) marketing", "站外营销能力"),
    ("CBE-09.1", "Live-streaming sales", "直播带货能力"),
    ("CBE-10", "International logistics and customs", "国际物流与报关能力"),
    ("CBE-11", "Laws and regulations", "法律法规知识"),
    ("CBE-12", "Innovation and entrepreneurship", "创新创业能力"),
]


def _competency_axes(count, language):
    """``count`` axes named like the demo's (past its fourteen: CBE-15.2, CBE-16.0, …, all named like CBE-08),
    at 3.16 of 4 but the third and every fourth after it, not yet attained."""
    axes = []
    for index in range(count):
        code, name, name_zh = DEMO[index] if index < len(DEMO) else (f"CBE-{index + 1}.{index % 3}", *DEMO[7][1:])
        value = None if index % 4 == 2 else Decimal("3.16")
        not_attained = "not yet attained" if language == "en" else "尚未达成"
        axes.append(
            RadarAxis(
                label=f"{code} {name if language == 'en' else name_zh}",
                value=value,
                maximum=Decimal("4"),
                reference=Decimal("3"),
                value_text=not_attained if value is None else "3.16 / 4",
                short_label=code,
            )
        )
    return axes


def _estimated_width(text, font_size):
    wide = {"W", "F"}
    return sum(font_size if unicodedata.east_asian_width(char) in wide else 0.6 * font_size for char in text)


def _text_box(text):
    """(left, top, right, bottom) of a <text>, its <tspan>s included."""
    size = float(text.get("font-size"))
    width = _estimated_width("".join(text.itertext()), size)
    x, y = float(text.get("x")), float(text.get("y"))
    left = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor", "start")]
    return left, y - size, left + width, y + size / 4


def _label_boxes(svg):
    """One box per label (around all its lines), then one per legend text."""
    boxes = []
    for group in _labels(svg):
        lines = [_text_box(text) for text in group.findall(f"{SVG}text")]
        boxes.append(
            (
                min(box[0] for box in lines),
                min(box[1] for box in lines),
                max(box[2] for box in lines),
                max(box[3] for box in lines),
            )
        )
    legend = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "radar__legend")
    return boxes + [_text_box(text) for text in legend.iter(f"{SVG}text")]


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _centre_and_radius(svg):
    spoke = next(e for e in svg.iter(f"{SVG}line") if e.get("class") == "radar__spoke")
    x1, y1, x2, y2 = (float(spoke.get(name)) for name in ("x1", "y1", "x2", "y2"))
    return x1, y1, math.hypot(x2 - x1, y2 - y1)


CROWDS = [(count, language) for count in (3, 5, 7, 10, 11, 14, 20, 21, 30, 40) for language in ("en", "zh")]


def test_value_polygon_of_four_axes():
    svg = _svg(_axes("1", "2", "3", "4"))
    # up:    1/4 of 100 = 25 above the centre → (250, 150 − 25) = (250, 125)
    # right: 2/4 of 100 = 50 → (250 + 50, 150) = (300, 150)
    # down:  3/4 of 100 = 75 → (250, 150 + 75) = (250, 225)
    # left:  4/4 of 100 = 100 → (250 − 100, 150) = (150, 150)
    assert _points(svg, "radar__value") == ["250.0,125.0 300.0,150.0 250.0,225.0 150.0,150.0"]


def test_reference_polygon_is_dashed_at_the_reference_on_every_axis():
    svg = _svg(_axes("1", "2", "3", "4", reference="3"))
    # 3/4 of 100 = 75 from the centre on each axis: (250, 75), (325, 150), (250, 225), (175, 150)
    assert _points(svg, "radar__reference") == ["250.0,75.0 325.0,150.0 250.0,225.0 175.0,150.0"]
    reference = next(e for e in svg.iter(f"{SVG}polygon") if e.get("class") == "radar__reference")
    assert reference.get("stroke-dasharray")


def test_each_axis_is_scaled_to_its_own_maximum():
    axes = [
        RadarAxis("A", Decimal("50"), Decimal("100")),
        RadarAxis("B", Decimal("2"), Decimal("4")),
        RadarAxis("C", Decimal("5"), Decimal("5")),
    ]
    svg = _svg(axes, radius=60)
    # centre (60 + 150, 60 + 50) = (210, 110); A: 50/100·60 = 30 up → (210, 80)
    # B at −90° + 120° = 30°: 2/4·60 = 30 → (210 + 30·cos 30°, 110 + 30·sin 30°) = (235.98…, 125) → (236.0, 125.0)
    # C at 150°: 60 → (210 − 60·cos 30°, 110 + 60·sin 30°) = (158.03…, 140) → (158.0, 140.0)
    assert _points(svg, "radar__value") == ["210.0,80.0 236.0,125.0 158.0,140.0"]


def test_values_beyond_the_maximum_stay_on_the_outer_ring():
    svg = _svg(_axes("9", "-1", "4", "4"))
    # 9 of 4 is drawn at 4 (100 up → (250, 50)); −1 at the centre (250, 150)
    assert _points(svg, "radar__value") == ["250.0,50.0 250.0,150.0 250.0,250.0 150.0,150.0"]


def test_a_missing_value_is_plotted_at_the_centre_and_written_as_missing():
    chart = radar_chart(_axes(None, "2", "3", "4"), title="T", missing_text="not yet attained")
    svg = _parse(chart)
    assert _points(svg, "radar__value")[0].startswith("250.0,150.0 ")
    assert "not yet attained" in chart
    assert svg.get("data-values") == "0,2,3,4"


def test_data_values_lists_the_plotted_values_in_axis_order():
    svg = _svg(_axes("2.50", "3.25", "4.00"))
    assert svg.get("data-values") == "2.5,3.25,4"
    assert svg.get("data-axes") == "3"


def test_values_are_written_beside_their_axes():
    svg = _svg(_axes("2.5", "4", "1"))
    assert _figures(svg) == ["2.5 / 4", "4 / 4", "1 / 4"]


def test_the_axis_can_say_its_value_in_its_own_words():
    axes = [RadarAxis("A", Decimal("3"), Decimal("4"), value_text="3.00 / 4 (mastered)")]
    svg = _svg(axes)
    assert _figures(svg) == ["3.00 / 4 (mastered)"]


def test_the_chart_is_an_image_with_a_title_and_a_description_naming_every_value():
    svg = _svg(_axes("2", "3", "4"), title="Radar of Chen", description="Attainment.", id_prefix="me")
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "me-title me-desc"
    assert svg.find(f"{SVG}title").get("id") == "me-title"
    assert svg.find(f"{SVG}title").text == "Radar of Chen"
    assert svg.find(f"{SVG}desc").text == "Attainment. Axis 1: 2 / 4; Axis 2: 3 / 4; Axis 3: 4 / 4"


def test_a_label_with_markup_is_escaped_everywhere():
    axes = [RadarAxis('<script>alert("x")</script>', Decimal("1"), Decimal("4")), *_axes("2", "3")]
    chart = str(radar_chart(axes, title="<b>T</b>", description="<i>d</i>"))
    assert "<script>" not in chart
    assert "<b>" not in chart and "<i>" not in chart
    assert "&lt;script&gt;" in chart
    svg = _parse(chart)  # still well-formed
    assert svg.find(f"{SVG}g[@class='radar__label']/{SVG}title").text == '<script>alert("x")</script>'


def test_no_axes_draw_nothing():
    assert radar_chart([], title="Empty") == ""


def test_one_axis_draws_circles_a_spoke_and_its_point():
    svg = _svg(_axes("2", reference="3"))
    rings = [e for e in svg.iter(f"{SVG}circle") if e.get("class") == "radar__ring"]
    # four rings at 25, 50, 75 and 100 around (250, 150)
    assert [(e.get("cx"), e.get("cy"), e.get("r")) for e in rings] == [
        ("250.0", "150.0", "25.0"),
        ("250.0", "150.0", "50.0"),
        ("250.0", "150.0", "75.0"),
        ("250.0", "150.0", "100.0"),
    ]
    # the value 2 of 4: 50 up → (250, 100)
    points = [(e.get("cx"), e.get("cy")) for e in svg.iter(f"{SVG}circle") if e.get("class") == "radar__point"]
    assert points == [("250.0", "100.0")]
    # no reference polygon through one point; a tick across the spoke at 3 of 4 (75 up → y 75), 5 each side
    assert _points(svg, "radar__reference") == []
    ticks = [e for e in svg.iter(f"{SVG}line") if e.get("class") == "radar__reference-tick"]
    assert [(e.get("x1"), e.get("y1"), e.get("x2"), e.get("y2")) for e in ticks] == [("245.0", "75.0", "255.0", "75.0")]


def test_two_axes_point_up_and_down():
    svg = _svg(_axes("4", "2"))
    # up: 100 → (250, 50); down (−90° + 180°): 50 → (250, 200)
    assert _points(svg, "radar__value") == ["250.0,50.0 250.0,200.0"]
    spokes = [(e.get("x2"), e.get("y2")) for e in svg.iter(f"{SVG}line") if e.get("class") == "radar__spoke"]
    assert spokes == [("250.0", "50.0"), ("250.0", "250.0")]


def test_scale_numbers_are_written_up_the_first_spoke_when_the_axes_share_a_maximum():
    svg = _svg(_axes("1", "2", "3"))
    assert [e.text for e in svg.iter(f"{SVG}text") if e.get("class") == "radar__scale"] == ["1", "2", "3", "4"]


def test_a_long_label_is_cut_with_an_ellipsis_and_kept_whole_in_its_title():
    label = "COMM Buyer communication in English and Spanish"
    svg = _svg([RadarAxis(label, Decimal("1"), Decimal("4")), *_axes("2", "3")])
    group = svg.find(f"{SVG}g[@class='radar__label']")
    assert group.find(f"{SVG}title").text == label
    # 22 units: the first 21 characters ("COMM " 5 + "Buyer " 6 + "communicat" 10) and the ellipsis
    assert group.find(f"{SVG}text").text == "COMM Buyer communicat…"


def test_chinese_characters_count_double_when_a_label_is_cut():
    # 外贸基础知识与国际贸易实务 is 13 characters = 26 units; 22 units hold 10 characters and the ellipsis
    # (10·2 + 1 = 21; an eleventh would make 23)
    assert fit_label("外贸基础知识与国际贸易实务") == "外贸基础知识与国际贸…"


def test_a_label_that_fits_is_left_alone():
    assert fit_label("TRADE 外贸基础") == "TRADE 外贸基础"  # 6 + 4·2 = 14 units


@pytest.mark.parametrize("count", [5, 40])
def test_the_same_axes_draw_the_same_chart(count):
    axes = _competency_axes(count, "zh")
    assert radar_chart(axes, title="T") == radar_chart(axes, title="T")


def test_every_shape_is_drawn_in_the_current_colour_so_it_prints_in_black_and_white():
    svg = _svg(_axes("1", "2", "3"))
    colours = {e.get("fill") for e in svg.iter() if e.get("fill") not in (None, "none")}
    colours |= {e.get("stroke") for e in svg.iter() if e.get("stroke") is not None}
    assert colours == {"currentColor"}


def test_measure_bar_fills_its_share_and_marks_the_reference():
    bar = _parse(measure_bar(Decimal("2.5"), Decimal("4"), reference=Decimal("3"), width=160))
    fill = next(e for e in bar.iter(f"{SVG}rect") if e.get("class") == "measure-bar__fill")
    assert fill.get("width") == "100.0"  # 2.5/4 of 160 = 100
    mark = bar.find(f"{SVG}line")
    assert (mark.get("x1"), mark.get("x2")) == ("120.0", "120.0")  # 3/4 of 160 = 120
    assert bar.get("aria-hidden") == "true"


def test_measure_bar_of_a_missing_value_is_empty():
    bar = _parse(measure_bar(None, Decimal("4")))
    fill = next(e for e in bar.iter(f"{SVG}rect") if e.get("class") == "measure-bar__fill")
    assert fill.get("width") == "0.0"
    assert bar.find(f"{SVG}line") is None


def test_from_seven_axes_a_name_is_cut_to_sixteen_units():
    svg = _svg(_competency_axes(7, "en"))
    # "CBE-08" is the eighth; the first axis: "CBE-01 Foreign language…" is 48 units; 16 hold 15 characters
    # ("CBE-01 " 7 + "Foreign " 8) and the ellipsis; the trailing space is dropped
    assert _label_texts(svg)[0] == "CBE-01 Foreign… | 3.16 / 4"


def test_past_ten_axes_a_label_gives_the_short_label_and_the_figure_on_one_line():
    svg = _svg(_competency_axes(14, "en"))
    eighth = _labels(svg)[7]
    assert eighth.find(f"{SVG}title").text == "CBE-08 Cross-border platform operation"
    (text,) = eighth.findall(f"{SVG}text")
    code, figure = text.findall(f"{SVG}tspan")
    assert (code.text, code.get("font-weight")) == ("CBE-08", "600")
    assert (figure.text, figure.get("class")) == ("3.16 / 4", "radar__figure")


def test_past_twenty_axes_a_label_gives_the_short_label_alone_and_its_title_the_figure():
    svg = _svg(_competency_axes(21, "en"))
    third = _labels(svg)[2]
    assert _label_texts(svg)[2] == "CBE-03"
    assert third.find(f"{SVG}title").text == "CBE-03 Oral communication: not yet attained"
    assert _figures(svg) == []


def test_a_crowded_chart_without_short_labels_cuts_the_label_to_twelve_units():
    axes = [RadarAxis("外贸基础知识与国际贸易实务", Decimal("2"), Decimal("4"))] * 12
    # 12 units hold five CJK characters (5·2 = 10) and the ellipsis (11); a sixth would make 13
    assert _label_texts(_svg(axes))[0] == "外贸基础知… 2 / 4"


def test_past_twenty_axes_the_radius_grows_with_the_count():
    _x, _y, radius = _centre_and_radius(_svg(_competency_axes(40, "en")))
    assert radius == pytest.approx(200)  # 100 · 40 / 20


def test_a_crowded_chart_is_as_wide_as_a_named_one_so_its_text_reads_the_same_size():
    svg = _svg(_competency_axes(21, "en"))
    # radius 100 · 21 / 20 = 105 (rounded up); the codes need 14 + 6 · 0.6 · 10 = 50 beyond the ring, less
    # than 2 · 100 + 300 asks: the frame stays 500 wide
    assert svg.get("viewBox").split()[2] == "500"


@pytest.mark.parametrize(("count", "language"), CROWDS)
def test_no_two_labels_overlap(count, language):
    boxes = _label_boxes(_svg(_competency_axes(count, language), value_label="Attainment"))
    overlapping = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if _overlap(a, b)]
    assert overlapping == []


@pytest.mark.parametrize(("count", "language"), CROWDS)
def test_labels_stay_inside_the_view_box(count, language):
    svg = _svg(_competency_axes(count, language), value_label="Attainment")
    _x, _y, width, height = (float(n) for n in svg.get("viewBox").split())
    outside = [box for box in _label_boxes(svg) if box[0] < 0 or box[1] < 0 or box[2] > width or box[3] > height]
    assert outside == []


@pytest.mark.parametrize(("count", "language"), CROWDS)
def test_labels_stay_off_the_ring(count, language):
    svg = _svg(_competency_axes(count, language))
    cx, cy, radius = _centre_and_radius(svg)
    on_the_ring = []
    for left, top, right, bottom in _label_boxes(svg)[:count]:
        nearest_x, nearest_y = min(max(cx, left), right), min(max(cy, top), bottom)
        if math.hypot(nearest_x - cx, nearest_y - cy) <= radius:
            on_the_ring.append((left, top, right, bottom))
    assert on_the_ring == []


def test_a_short_label_with_markup_is_escaped():
    axes = [RadarAxis("A", Decimal("1"), Decimal("4"), short_label="<b>A</b>")] * 12
    chart = str(radar_chart(axes, title="T"))
    assert "<b>" not in chart
    assert _label_texts(_parse(chart))[0] == "<b>A</b> 1 / 4"


# --- Font keywords, for renderers that style an SVG only from the SVG itself (WeasyPrint) ---------------------


def test_font_family_goes_on_the_root_svg():
    svg = _svg(_axes("2", "3", "4"), font_family="Noto Sans CJK SC, sans-serif")
    assert svg.get("font-family") == "Noto Sans CJK SC, sans-serif"


def test_without_font_family_the_chart_names_no_font():
    assert _svg(_axes("2", "3", "4")).get("font-family") is None


def test_a_font_family_with_markup_is_escaped():
    chart = str(radar_chart(_axes("2", "3", "4"), title="T", font_family='x" onload="alert(1)'))
    assert 'onload="' not in chart
    assert _parse(chart).get("font-family") == 'x" onload="alert(1)'


@pytest.mark.parametrize("count", [5, 12, 25])
def test_labels_are_drawn_regular_when_bold_labels_is_off(count):
    # Named labels (5 axes), short labels with figures (12) and short labels alone (25) all lose the weight.
    svg = _svg(_axes(*["2"] * count), bold_labels=False)
    assert [e.tag for e in svg.iter() if e.get("font-weight")] == []


def test_labels_are_bold_by_default():
    svg = _svg(_axes("2", "3", "4"))
    assert {e.get("font-weight") for e in svg.iter(f"{SVG}text") if e.get("font-weight")} == {"600"}
