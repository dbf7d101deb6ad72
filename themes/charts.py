"""Server-rendered SVG charts: readable without JavaScript, in print and in the transcript PDF.

The builders take plain data (labels and numbers), never models, so any app can draw with them. Every label is
escaped through ``format_html``; nothing here marks text safe by hand. Shapes carry presentation attributes in
``currentColor`` (so a chart prints in black and white with no stylesheet, as in WeasyPrint) and CSS classes
the site's stylesheet colours on screen. Numbers are written as text beside each axis and in the ``<desc>``,
so the chart never relies on colour or on reading the shape.

Geometry of the radar chart
    The centre is (``radius`` + 150, ``radius`` + 50): 150 units each side for the axis labels, 50 above and
    below, and a 24-unit legend strip at the foot. Axis i of n points at −90° + i·360°/n (the first straight up,
    then clockwise). A value v on an axis whose maximum is m sits at ``radius``·v/m from the centre, clamped to
    the ring; coordinates are rounded to one decimal.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

LABEL_SIDE = 150
LABEL_ABOVE_BELOW = 50
LEGEND_HEIGHT = 24
LABEL_OFFSET = 14
LABEL_WIDTH_UNITS = 22  # a CJK character counts two units, anything else one
_ELLIPSIS = "…"


@dataclass(frozen=True)
class RadarAxis:
    label: str
    value: Decimal | None
    maximum: Decimal
    reference: Decimal | None = None
    value_text: str = ""  # how the value reads beside the axis; "value / maximum" when empty


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


class _Frame:
    def __init__(self, count: int, radius: int):
        self.count = count
        self.radius = radius
        self.cx = radius + LABEL_SIDE
        self.cy = radius + LABEL_ABOVE_BELOW
        self.width = 2 * self.cx
        self.height = 2 * self.cy + LEGEND_HEIGHT

    def angle(self, index: int) -> float:
        return math.radians(-90 + index * 360 / self.count)

    def point(self, index: int, ratio: float, extra: float = 0.0) -> tuple[float, float]:
        angle = self.angle(index)
        distance = self.radius * ratio + extra
        return self.cx + distance * math.cos(angle), self.cy + distance * math.sin(angle)

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


def _labels(frame: _Frame, axes: Sequence[RadarAxis], missing_text: str) -> list[SafeString]:
    parts = []
    for index, axis in enumerate(axes):
        angle = frame.angle(index)
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = frame.point(index, 1.0, LABEL_OFFSET)
        anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
        if sin < -0.3:  # above the chart: both lines sit above the spoke's end
            first, second = y - 14, y
        elif sin > 0.3:  # below
            first, second = y + 10, y + 24
        else:
            first, second = y - 3, y + 11
        parts.append(
            format_html(
                '<g class="radar__label"><title>{}</title>'
                '<text x="{}" y="{}" text-anchor="{}" font-size="11" font-weight="600" fill="currentColor">{}</text>'
                '<text class="radar__figure" x="{}" y="{}" text-anchor="{}" font-size="11"'
                ' fill="currentColor">{}</text></g>',
                axis.label,
                _coordinate(x),
                _coordinate(first),
                anchor,
                fit_label(axis.label),
                _coordinate(x),
                _coordinate(second),
                anchor,
                _value_text(axis, missing_text),
            )
        )
    return parts


def _legend(frame: _Frame, value_label: str, reference_label: str, has_reference: bool) -> SafeString:
    y = frame.height - 8
    left = frame.cx - 110
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
    reference_left = frame.cx + 10
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
) -> SafeString:
    """An accessible SVG radar chart of ``axes``; an empty string when there are none.

    Each axis is scaled to its own maximum; a missing value is plotted at 0 and written as ``missing_text``.
    ``id_prefix`` keeps the ids of several charts on one page apart. The plotted values, in axis order, are in
    ``data-values`` (missing ones as 0) for tests and scripts.
    """
    if not axes:
        return SafeString("")
    value_label = value_label or _("Value")
    reference_label = reference_label or _("Reference")
    missing_text = missing_text or _("no value")
    frame = _Frame(len(axes), radius)
    has_reference = any(axis.reference is not None for axis in axes)
    summary = _summary(axes, missing_text)
    parts = [
        *_grid(frame, max(rings, 1)),
        *_ring_labels(frame, axes, max(rings, 1)),
        *_reference(frame, axes),
        *_values(frame, axes),
        *_labels(frame, axes, missing_text),
        _legend(frame, value_label, reference_label, has_reference),
    ]
    plotted = ",".join(format_number(axis.value or Decimal("0")) for axis in axes)
    return format_html(
        '<svg class="radar" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}"'
        ' height="{height}" role="img" aria-labelledby="{prefix}-title {prefix}-desc" data-axes="{count}"'
        ' data-values="{plotted}"><title id="{prefix}-title">{title}</title>'
        '<desc id="{prefix}-desc">{description}</desc>{body}</svg>',
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
