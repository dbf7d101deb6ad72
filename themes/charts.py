"""Server-rendered SVG charts: readable without JavaScript, in print and in the transcript PDF.

The builders take plain data (labels and numbers), never models, so any app can draw with them. Every label is
escaped through ``format_html``; nothing here marks text safe by hand. Shapes carry presentation attributes in
``currentColor`` (so a chart prints in black and white with no stylesheet, as in WeasyPrint) and CSS classes
the site's stylesheet colours on screen. Numbers are written as text beside each axis and in the ``<desc>``,
so the chart never relies on colour or on reading the shape.

Geometry of the radar chart
    Axis i of n points at −90° + i·360°/n (the first straight up, then clockwise). A value v on an axis whose
    maximum is m sits at R·v/m from the centre, clamped to the ring; coordinates are rounded to one decimal.
    R is ``radius``, grown in proportion past 20 axes (R = ``radius``·n/20, rounded up) so the spokes stay apart.

    The more axes share the circle, the less each label says (the <title> of each label and the chart's <desc>
    always hold the whole label and figure, and the page's table repeats them):
      up to 10 axes   the label, cut to 22 units (16 from 7 axes; a CJK character counts two), over its figure;
      11 to 20        the short label (the competency's code) and the figure on one line;
      more than 20    the short label alone, in a smaller font.
    A label starts 14 units beyond the ring on its spoke: right of that point (text-anchor start) on the right
    side, left of it (end) on the left, centred (middle) within ~17° of straight up or down; vertically it
    stands above the point at the top, hangs below it at the bottom and is centred on it at the sides, moving
    smoothly in between. Text widths are estimated (0.6 × font size per unit); a label that would come within
    3 units of one placed before it moves outward along its spoke until it is clear.

    The margins are what the labels need: at least 150 units each side and 50 above and below while labels
    carry names, so the centre is (``radius`` + 150, ``radius`` + 50) for short names; the chart is never
    narrower than 2·``radius`` + 300, so text reads the same size on every chart; a 24-unit legend strip is at
    the foot.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

LABEL_SIDE = 150  # the least margin each side while labels carry names
LABEL_ABOVE_BELOW = 50  # the least margin above and below while labels carry names
LEGEND_HEIGHT = 24
LABEL_OFFSET = 14  # from the ring's end of a spoke to its label
LABEL_WIDTH_UNITS = 22  # a CJK character counts two units, anything else one
ROOMY_AXES = 6  # up to this many axes a name may take LABEL_WIDTH_UNITS
NAMED_AXES = 10  # up to this many axes a label gives the name, over its figure
FIGURED_AXES = 20  # up to this many axes a label gives the figure (beside the short label past NAMED_AXES)
CROWDED_LABEL_UNITS = 16  # the name's budget from 7 axes
SHORT_LABEL_UNITS = 12  # the short label's budget
FONT_SIZE = 11
SMALL_FONT_SIZE = 10  # past FIGURED_AXES
LABEL_FONT_WEIGHT = 600  # of a label's name, unless bold_labels=False
LINE_HEIGHT = 14
UNIT_WIDTH = 0.6  # of the font size: the estimated width of one unit (so 1.2 for a CJK character)
ASCENT, DESCENT = 0.9, 0.25  # of the font size, above and below the baseline
LABEL_GAP = 3  # kept clear between two labels
EDGE_GAP = 4  # kept clear between a label and the edge of the chart
LEGEND_GAP = 12  # kept clear between a label and the legend strip
_ELLIPSIS = "…"


@dataclass(frozen=True)
class RadarAxis:
    label: str
    value: Decimal | None
    maximum: Decimal
    reference: Decimal | None = None
    value_text: str = ""  # how the value reads beside the axis; "value / maximum" when empty
    short_label: str = ""  # a code such as "CBE-08", shown instead of the label on a crowded chart


def _char_units(char: str) -> int:
    code = ord(char)
    wide = (
        0x1100 <= code <= 0x115F
        or 0x2E80 <= code <= 0xA4CF
        or 0xAC00 <= code <= 0xD7A3
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFF60
        or 0xFFE0 <= code <= 0xFFE6
    )
    return 2 if wide else 1


def fit_label(label: str, *, units: int = LABEL_WIDTH_UNITS) -> str:
    """``label`` cut to ``units`` (CJK characters count double) with an ellipsis when it is longer."""
    if sum(_char_units(char) for char in label) <= units:
        return label
    kept, used = [], 1  # the ellipsis takes one unit
    for char in label:
        used += _char_units(char)
        if used > units:
            break
        kept.append(char)
    return "".join(kept).rstrip() + _ELLIPSIS


def _text_width(text: str, font_size: float) -> float:
    """A generous estimate of how wide ``text`` is drawn: no font is at hand when the chart is built."""
    return sum(_char_units(char) for char in text) * UNIT_WIDTH * font_size


def format_number(value: Decimal | float) -> str:
    """A figure as people write it: 2.5, 4, 3.25 (at most two decimals, no trailing zeros)."""
    rounded = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    return f"{rounded + 0:f}"  # + 0 turns -0 into 0


def _coordinate(value: float) -> str:
    rounded = round(value, 1)
    return f"{rounded + 0.0:.1f}"  # + 0.0 turns -0.0 into 0.0


def _ratio(value: Decimal | None, maximum: Decimal) -> float:
    if value is None or not maximum or maximum <= 0:
        return 0.0
    return min(max(float(value) / float(maximum), 0.0), 1.0)


def _direction(index: int, count: int) -> tuple[float, float]:
    """(cos, sin) of axis ``index`` of ``count``: the first straight up, then clockwise."""
    angle = math.radians(-90 + index * 360 / count)
    return math.cos(angle), math.sin(angle)


@dataclass(frozen=True)
class _Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: "_Box", *, gap: float) -> bool:
        return (
            self.left < other.right + gap
            and other.left < self.right + gap
            and self.top < other.bottom + gap
            and other.top < self.bottom + gap
        )


@dataclass(frozen=True)
class _LabelText:
    """What one axis's label says: fewer words the more axes share the circle."""

    title: str  # the whole label (and the figure when it is not drawn), shown on hover
    name: str  # bold: the label cut to fit, or the short label
    figure: str  # "" when the chart is too crowded for figures
    figure_beside: bool  # on the name's line, or on a line of its own below it
    font_size: int

    @property
    def width(self) -> float:
        if not self.figure:
            return _text_width(self.name, self.font_size)
        if self.figure_beside:
            return _text_width(f"{self.name} {self.figure}", self.font_size)
        return max(_text_width(self.name, self.font_size), _text_width(self.figure, self.font_size))

    @property
    def height(self) -> float:
        lines = 2 if self.figure and not self.figure_beside else 1
        return (lines - 1) * LINE_HEIGHT + (ASCENT + DESCENT) * self.font_size


@dataclass(frozen=True)
class _Label:
    """One axis's label placed relative to the chart's centre: ``x`` and the first ``baseline`` for the text."""

    text: _LabelText
    x: float
    baseline: float
    anchor: str
    box: _Box


def _label_text(axis: RadarAxis, count: int, missing_text: str) -> _LabelText:
    figure = _value_text(axis, missing_text)
    if count <= NAMED_AXES:
        units = LABEL_WIDTH_UNITS if count <= ROOMY_AXES else CROWDED_LABEL_UNITS
        return _LabelText(axis.label, fit_label(axis.label, units=units), figure, False, FONT_SIZE)
    short = fit_label(axis.short_label or axis.label, units=SHORT_LABEL_UNITS)
    if count <= FIGURED_AXES:
        return _LabelText(axis.label, short, figure, True, FONT_SIZE)
    return _LabelText(f"{axis.label}: {figure}", short, "", False, SMALL_FONT_SIZE)


def _place_label(text: _LabelText, cos: float, sin: float, radius: float, placed: Sequence[_Box]) -> _Label:
    """The label just beyond the ring on its spoke (direction ``cos``, ``sin``), moved outward along the spoke
    a unit at a time until it is LABEL_GAP clear of every ``placed`` box."""
    width, height = text.width, text.height
    anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
    shift = {"start": 0.0, "middle": width / 2, "end": width}[anchor]
    distance = radius + LABEL_OFFSET
    while True:
        x, y = distance * cos, distance * sin
        top = y - height * (1 - sin) / 2  # above the point at the top, below it at the bottom, centred between
        box = _Box(x - shift, top, x - shift + width, top + height)
        if not any(box.overlaps(other, gap=LABEL_GAP) for other in placed):
            return _Label(text, x, top + ASCENT * text.font_size, anchor, box)
        distance += 1


def _place_labels(axes: Sequence[RadarAxis], radius: float, missing_text: str) -> list[_Label]:
    """Every axis's label, placed in axis order, each clear of those before it."""
    labels: list[_Label] = []
    for index, axis in enumerate(axes):
        text = _label_text(axis, len(axes), missing_text)
        cos, sin = _direction(index, len(axes))
        labels.append(_place_label(text, cos, sin, radius, [label.box for label in labels]))
    return labels


class _Frame:
    def __init__(self, count: int, radius: int, *, side: int, above: int, below: int):
        self.count = count
        self.radius = radius
        self.cx = radius + side
        self.cy = radius + above
        self.width = 2 * self.cx
        self.height = self.cy + radius + below + LEGEND_HEIGHT

    def angle(self, index: int) -> float:
        return math.radians(-90 + index * 360 / self.count)

    def point(self, index: int, ratio: float) -> tuple[float, float]:
        cos, sin = _direction(index, self.count)
        distance = self.radius * ratio
        return self.cx + distance * cos, self.cy + distance * sin

    def points(self, ratios: Sequence[float]) -> str:
        return " ".join(
            f"{_coordinate(x)},{_coordinate(y)}" for x, y in (self.point(i, r) for i, r in enumerate(ratios))
        )


def _grid(frame: _Frame, rings: int) -> list[SafeString]:
    parts = []
    for step in range(1, rings + 1):
        ratio = step / rings
        if frame.count >= 3:
            parts.append(
                format_html(
                    '<polygon class="radar__ring" points="{}" fill="none" stroke="currentColor"'
                    ' stroke-opacity="0.3" stroke-width="1"/>',
                    frame.points([ratio] * frame.count),
                )
            )
        else:
            parts.append(
                format_html(
                    '<circle class="radar__ring" cx="{}" cy="{}" r="{}" fill="none" stroke="currentColor"'
                    ' stroke-opacity="0.3" stroke-width="1"/>',
                    _coordinate(frame.cx),
                    _coordinate(frame.cy),
                    _coordinate(frame.radius * ratio),
                )
            )
    for index in range(frame.count):
        x, y = frame.point(index, 1.0)
        parts.append(
            format_html(
                '<line class="radar__spoke" x1="{}" y1="{}" x2="{}" y2="{}" stroke="currentColor"'
                ' stroke-opacity="0.45" stroke-width="1"/>',
                _coordinate(frame.cx),
                _coordinate(frame.cy),
                _coordinate(x),
                _coordinate(y),
            )
        )
    return parts


def _ring_labels(frame: _Frame, axes: Sequence[RadarAxis], rings: int) -> list[SafeString]:
    """The scale's numbers up the first spoke, when every axis shares one maximum."""
    maxima = {axis.maximum for axis in axes}
    if len(maxima) != 1:
        return []
    maximum = maxima.pop()
    labels = []
    for step in range(1, rings + 1):
        x, y = frame.point(0, step / rings)
        labels.append(
            format_html(
                '<text class="radar__scale" x="{}" y="{}" dx="3" dy="-2" font-size="9" fill="currentColor"'
                ' fill-opacity="0.7">{}</text>',
                _coordinate(x),
                _coordinate(y),
                format_number(Decimal(maximum) * step / rings),
            )
        )
    return labels


def _reference(frame: _Frame, axes: Sequence[RadarAxis]) -> list[SafeString]:
    """A dashed polygon through the references, and a tick across each spoke at its reference."""
    if all(axis.reference is None for axis in axes):
        return []
    parts = []
    if all(axis.reference is not None for axis in axes) and frame.count >= 3:
        parts.append(
            format_html(
                '<polygon class="radar__reference" points="{}" fill="none" stroke="currentColor"'
                ' stroke-width="1.5" stroke-dasharray="5 3"/>',
                frame.points([_ratio(axis.reference, axis.maximum) for axis in axes]),
            )
        )
    for index, axis in enumerate(axes):
        if axis.reference is None:
            continue
        ratio = _ratio(axis.reference, axis.maximum)
        angle = frame.angle(index)
        x, y = frame.point(index, ratio)
        dx, dy = -math.sin(angle) * 5, math.cos(angle) * 5  # half a tick, across the spoke
        parts.append(
            format_html(
                '<line class="radar__reference-tick" x1="{}" y1="{}" x2="{}" y2="{}" stroke="currentColor"'
                ' stroke-width="2"/>',
                _coordinate(x - dx),
                _coordinate(y - dy),
                _coordinate(x + dx),
                _coordinate(y + dy),
            )
        )
    return parts


def _values(frame: _Frame, axes: Sequence[RadarAxis]) -> list[SafeString]:
    ratios = [_ratio(axis.value, axis.maximum) for axis in axes]
    parts = [
        format_html(
            '<polygon class="radar__value" points="{}" fill="currentColor" fill-opacity="0.18"'
            ' stroke="currentColor" stroke-width="2" stroke-linejoin="round"/>',
            frame.points(ratios),
        )
    ]
    for index, ratio in enumerate(ratios):
        x, y = frame.point(index, ratio)
        parts.append(
            format_html(
                '<circle class="radar__point" cx="{}" cy="{}" r="3" fill="currentColor"/>',
                _coordinate(x),
                _coordinate(y),
            )
        )
    return parts


def _value_text(axis: RadarAxis, missing_text: str) -> str:
    if axis.value_text:
        return axis.value_text
    if axis.value is None:
        return missing_text
    return f"{format_number(axis.value)} / {format_number(axis.maximum)}"


def _labels(frame: _Frame, labels: Sequence[_Label], *, bold: bool) -> list[SafeString]:
    weight = format_html(' font-weight="{}"', LABEL_FONT_WEIGHT) if bold else ""
    parts = []
    for label in labels:
        text = label.text
        x = _coordinate(frame.cx + label.x)
        y = frame.cy + label.baseline
        if text.figure and text.figure_beside:
            lines = format_html(
                '<text x="{}" y="{}" text-anchor="{}" font-size="{}" fill="currentColor">'
                '<tspan{}>{}</tspan> <tspan class="radar__figure">{}</tspan></text>',
                x,
                _coordinate(y),
                label.anchor,
                text.font_size,
                weight,
                text.name,
                text.figure,
            )
        else:
            lines = format_html(
                '<text x="{}" y="{}" text-anchor="{}" font-size="{}"{} fill="currentColor">{}</text>',
                x,
                _coordinate(y),
                label.anchor,
                text.font_size,
                weight,
                text.name,
            )
        if text.figure and not text.figure_beside:
            lines = format_html(
                '{}<text class="radar__figure" x="{}" y="{}" text-anchor="{}" font-size="{}"'
                ' fill="currentColor">{}</text>',
                lines,
                x,
                _coordinate(y + LINE_HEIGHT),
                label.anchor,
                text.font_size,
                text.figure,
            )
        parts.append(format_html('<g class="radar__label"><title>{}</title>{}</g>', text.title, lines))
    return parts


def _legend_width(value_label: str, reference_label: str, has_reference: bool) -> float:
    """A 16-unit key and its text 6 units on, and the same for the reference 16 units further."""
    width = 22 + _text_width(value_label, FONT_SIZE)
    if has_reference:
        width += 16 + 24 + _text_width(reference_label, FONT_SIZE)
    return width


def _legend(frame: _Frame, value_label: str, reference_label: str, has_reference: bool) -> SafeString:
    """The keys in a row centred under the chart."""
    y = frame.height - 8
    left = frame.cx - _legend_width(value_label, reference_label, has_reference) / 2
    value_key = format_html(
        '<rect x="{}" y="{}" width="16" height="10" fill="currentColor" fill-opacity="0.18" stroke="currentColor"'
        ' stroke-width="2" class="radar__value"/><text x="{}" y="{}" font-size="11" fill="currentColor">{}</text>',
        _coordinate(left),
        _coordinate(y - 9),
        _coordinate(left + 22),
        _coordinate(y),
        value_label,
    )
    if not has_reference:
        return format_html('<g class="radar__legend">{}</g>', value_key)
    reference_left = left + 22 + _text_width(value_label, FONT_SIZE) + 16
    return format_html(
        '<g class="radar__legend">{}<line x1="{}" y1="{}" x2="{}" y2="{}" class="radar__reference"'
        ' stroke="currentColor" stroke-width="1.5" stroke-dasharray="5 3"/>'
        '<text x="{}" y="{}" font-size="11" fill="currentColor">{}</text></g>',
        value_key,
        _coordinate(reference_left),
        _coordinate(y - 4),
        _coordinate(reference_left + 18),
        _coordinate(y - 4),
        _coordinate(reference_left + 24),
        _coordinate(y),
        reference_label,
    )


def _summary(axes: Sequence[RadarAxis], missing_text: str) -> str:
    return "; ".join(f"{axis.label}: {_value_text(axis, missing_text)}" for axis in axes)


def _grown_radius(radius: int, count: int) -> int:
    """``radius``, grown in proportion to the axes past FIGURED_AXES so the spokes and labels stay apart."""
    return max(radius, math.ceil(radius * count / FIGURED_AXES))


def _frame(labels: Sequence[_Label], radius: int, *, grown_radius: int, legend_width: float, named: bool) -> _Frame:
    """The frame whose margins hold every label (and the legend) with EDGE_GAP to spare.

    The frame is at least 2·``radius`` + 2·LABEL_SIDE wide whatever the count, so the text, which scales with
    the frame on the page, reads the same size on every chart.
    """
    least_side = radius + LABEL_SIDE - grown_radius
    least_above_below = LABEL_ABOVE_BELOW if named else 0
    radius = grown_radius
    boxes = [label.box for label in labels]
    reach = max(max(-box.left, box.right) for box in boxes)
    side = max(least_side, math.ceil(reach + EDGE_GAP - radius), math.ceil(legend_width / 2 + EDGE_GAP - radius))
    above = max(least_above_below, math.ceil(max(-box.top for box in boxes) + EDGE_GAP - radius))
    below = max(least_above_below, math.ceil(max(box.bottom for box in boxes) + LEGEND_GAP - radius))
    return _Frame(len(labels), radius, side=side, above=above, below=below)


def radar_chart(
    axes: Sequence[RadarAxis],
    *,
    title: str,
    description: str = "",
    radius: int = 100,
    rings: int = 4,
    id_prefix: str = "radar",
    value_label: str = "",
    reference_label: str = "",
    missing_text: str = "",
    font_family: str | None = None,
    bold_labels: bool = True,
) -> SafeString:
    """An accessible SVG radar chart of ``axes``; an empty string when there are none.

    Each axis is scaled to its own maximum; a missing value is plotted at 0 and written as ``missing_text``.
    ``id_prefix`` keeps the ids of several charts on one page apart. The plotted values, in axis order, are in
    ``data-values`` (missing ones as 0) for tests and scripts. Past FIGURED_AXES axes ``radius`` grows with
    the count (see the module's docstring).

    ``font_family`` (a CSS font-family list) goes on the root <svg> for renderers that style an SVG only from
    the SVG itself, as WeasyPrint does (its page stylesheet never reaches an inline or <img> SVG), and
    ``bold_labels=False`` draws the labels in the regular weight: a PDF then embeds one face instead of two.
    """
    if not axes:
        return SafeString("")
    value_label = value_label or _("Value")
    reference_label = reference_label or _("Reference")
    missing_text = missing_text or _("no value")
    has_reference = any(axis.reference is not None for axis in axes)
    grown_radius = _grown_radius(radius, len(axes))
    labels = _place_labels(axes, grown_radius, missing_text)
    frame = _frame(
        labels,
        radius,
        grown_radius=grown_radius,
        legend_width=_legend_width(value_label, reference_label, has_reference),
        named=len(axes) <= NAMED_AXES,
    )
    summary = _summary(axes, missing_text)
    parts = [
        *_grid(frame, max(rings, 1)),
        *_ring_labels(frame, axes, max(rings, 1)),
        *_reference(frame, axes),
        *_values(frame, axes),
        *_labels(frame, labels, bold=bold_labels),
        _legend(frame, value_label, reference_label, has_reference),
    ]
    plotted = ",".join(format_number(axis.value or Decimal("0")) for axis in axes)
    return format_html(
        '<svg class="radar" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}"'
        ' height="{height}"{font} role="img" aria-labelledby="{prefix}-title {prefix}-desc" data-axes="{count}"'
        ' data-values="{plotted}"><title id="{prefix}-title">{title}</title>'
        '<desc id="{prefix}-desc">{description}</desc>{body}</svg>',
        font=format_html(' font-family="{}"', font_family) if font_family else "",
        width=frame.width,
        height=frame.height,
        prefix=id_prefix,
        count=len(axes),
        plotted=plotted,
        title=title,
        description=f"{description} {summary}".strip(),
        body=format_html_join("", "{}", ((part,) for part in parts)),
    )


def measure_bar(
    value: Decimal | None, maximum: Decimal, *, reference: Decimal | None = None, width: int = 160
) -> SafeString:
    """A small horizontal bar of ``value`` out of ``maximum`` with a mark at ``reference``.

    Decorative (``aria-hidden``): put the figure in text beside it.
    """
    height = 14
    filled = _ratio(value, maximum) * width
    parts = [
        format_html(
            '<rect class="measure-bar__track" x="0" y="3" width="{}" height="8" rx="4" fill="currentColor"'
            ' fill-opacity="0.12" stroke="currentColor" stroke-opacity="0.5" stroke-width="0.5"/>',
            width,
        ),
        format_html(
            '<rect class="measure-bar__fill" x="0" y="3" width="{}" height="8" rx="4" fill="currentColor"/>',
            _coordinate(filled),
        ),
    ]
    if reference is not None:
        x = _coordinate(_ratio(reference, maximum) * width)
        parts.append(
            format_html(
                '<line class="measure-bar__reference" x1="{}" y1="0" x2="{}" y2="{}" stroke="currentColor"'
                ' stroke-width="2"/>',
                x,
                x,
                height,
            )
        )
    return format_html(
        '<svg class="measure-bar" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="{}" height="{}"'
        ' aria-hidden="true" focusable="false">{}</svg>',
        width,
        height,
        width,
        height,
        format_html_join("", "{}", ((part,) for part in parts)),
    )
