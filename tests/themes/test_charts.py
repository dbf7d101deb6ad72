"""The SVG radar chart and bar: geometry, escaping, degenerate cases.

Geometry (see themes/charts.py): with the default radius 100 the centre is (100 + 150, 100 + 50) = (250, 150);
axis i of n points at −90° + i·360°/n, so with four axes: up, right, down, left.
"""

import xml.etree.ElementTree as ET
from decimal import Decimal

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
    figures = [e.text for e in svg.iter(f"{SVG}text") if e.get("class") == "radar__figure"]
    assert figures == ["2.5 / 4", "4 / 4", "1 / 4"]


def test_the_axis_can_say_its_value_in_its_own_words():
    axes = [RadarAxis("A", Decimal("3"), Decimal("4"), value_text="3.00 / 4 (mastered)")]
    svg = _svg(axes)
    assert [e.text for e in svg.iter(f"{SVG}text") if e.get("class") == "radar__figure"] == ["3.00 / 4 (mastered)"]


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


def test_the_same_axes_draw_the_same_chart():
    axes = _axes("1.5", None, "3", "2.25", "4")
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
