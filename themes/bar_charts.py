"""Server-rendered SVG bar charts for teacher analytics: 100%-stacked bars and dumbbells.

Same house rules as themes/charts.py: plain data in, every label escaped through ``format_html``, ink in
``currentColor``, figures written as text (in the chart, in each group's ``<title>`` and in the ``<desc>``),
so nothing depends on colour alone. Labels are fitted to a width counted in units (a CJK character counts
two), and the label column is as wide as the widest fitted label.

Stacked bars
    One horizontal bar per item, ``BAR_WIDTH`` long, split in proportion to its counts in series order. A
    count is written inside its segment when the segment is wide enough for it (in black or white, whichever
    reads on the segment's colour); every count and percentage is in the bar's ``<title>``. The note is
    written after the bar. A bar whose counts are all zero is an empty dashed outline with "0" in it.

Dumbbells
    Per row, the first value is a filled circle and the second an open diamond (so the two read apart in
    black and white), joined by a line, on a scale from 0 to ``maximum`` with ticks at a round step. The
    lower value is written left of the pair and the higher right of it (on a tie, first left, second right).
    Values outside the scale are drawn at its end and written as they are.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from themes.charts import _text_width, fit_label, format_number
from themes.heat_map import (
    LEGEND_ROW,
    LEGEND_SWATCH,
    HeatLevel,
    LegendItem,
    ink_on,
    legend,
    legend_height,
    legend_rows,
    legend_width,
)

FONT_SIZE = 11
SMALL_FONT_SIZE = 10
LABEL_UNITS = 24  # a CJK character counts two
EDGE_GAP = 4
GAP = 8  # between the label column, the plot and the note
ROW_PITCH = 26
BAR_HEIGHT = 18
BAR_WIDTH = 360
PLOT_WIDTH = 360
SEGMENT_PADDING = 3  # kept clear each side of a count inside its segment
AXIS_HEIGHT = 22  # the scale's labels and ticks above the first row
MARKER_RADIUS = 5
DIAMOND_RADIUS = 6


@dataclass(frozen=True)
class StackedBar:
    label: str
    counts: Sequence[int]  # one per series, in the series' order
    note: str = ""  # written after the bar, e.g. "62% at mastery"
    href: str = ""


@dataclass(frozen=True)
class DumbbellRow:
    label: str
    first: float | None
    second: float | None
    href: str = ""
    note: str = ""


def _number(value: float) -> str:
    """A coordinate: an integer when it is one, else one decimal."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.1f}"


def _join(parts: Sequence[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _svg(
    *,
    css_class: str,
    width: float,
    height: float,
    prefix: str,
    title: str,
    description: str,
    data: dict[str, object],
    body: Sequence[SafeString],
) -> SafeString:
    attributes = format_html_join("", ' data-{}="{}"', data.items())
    return format_html(
        '<svg class="{css_class}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
        ' width="{width}" height="{height}" role="img" aria-labelledby="{prefix}-title {prefix}-desc"'
        ' fill="currentColor" font-size="{font}"{attributes}><title id="{prefix}-title">{title}</title>'
        '<desc id="{prefix}-desc">{description}</desc>{body}</svg>',
        css_class=css_class,
        width=math.ceil(width),
        height=math.ceil(height),
        prefix=prefix,
        font=FONT_SIZE,
        attributes=attributes,
        title=title,
        description=description,
        body=_join(body),
    )


def _row_label(label: str, href: str, *, x: float, baseline: float) -> SafeString:
    """The fitted label, right-aligned to ``x``, linked when there is an ``href``."""
    text = format_html(
        '<text x="{}" y="{}" text-anchor="end">{}</text>',
        _number(x),
        _number(baseline),
        fit_label(label, units=LABEL_UNITS),
    )
    return format_html('<a href="{}">{}</a>', href, text) if href else text


def _label_column(labels: Sequence[str]) -> float:
    return max((_text_width(fit_label(label, units=LABEL_UNITS), FONT_SIZE) for label in labels), default=0.0)


def _percent(part: int, whole: int) -> str:
    return f"{format_number(Decimal(100 * part) / whole)}%" if whole else "0%"


# ---------------------------------------------------------------------------------------------- stacked


def stacked_bar_chart(
    *,
    bars: Sequence[StackedBar],
    series: Sequence[HeatLevel],
    title: str,
    description: str,
    id_prefix: str = "stacked",
) -> SafeString:
    """An accessible SVG of one 100%-stacked horizontal bar per item of ``bars``.

    ``series`` names and colours the parts of every bar, in order (typically "not yet attained" first, then
    the scale's levels). Raises ValueError when a bar's counts do not match the series or a count is negative.
    An empty string when there are no bars.
    """
    if not bars:
        return SafeString("")
    if not series:
        raise ValueError("a stacked bar chart needs at least one series")
    for bar in bars:
        if len(bar.counts) != len(series):
            raise ValueError(f"bar {bar.label!r} has {len(bar.counts)} counts for {len(series)} series")
        if any(count < 0 for count in bar.counts):
            raise ValueError(f"bar {bar.label!r} has a negative count")

    items = [LegendItem(item.name, item.colour) for item in series]
    bar_x = math.ceil(EDGE_GAP + _label_column([bar.label for bar in bars]) + GAP)
    note_x = bar_x + BAR_WIDTH + GAP
    note_width = max((_text_width(bar.note, FONT_SIZE) for bar in bars), default=0.0)
    width = max(note_x + note_width + EDGE_GAP, legend_width(items) + 2 * EDGE_GAP)
    legend_top = EDGE_GAP
    axis_top = legend_top + legend_height(items, width - 2 * EDGE_GAP) + 6
    first_top = axis_top + AXIS_HEIGHT
    height = first_top + len(bars) * ROW_PITCH + EDGE_GAP

    parts = [
        legend(items, left=EDGE_GAP, top=legend_top, width=width - 2 * EDGE_GAP, css_class="stacked__legend"),
        _percent_axis(bar_x, axis_top, first_top + len(bars) * ROW_PITCH - (ROW_PITCH - BAR_HEIGHT)),
    ]
    summaries = []
    for position, bar in enumerate(bars):
        top = first_top + position * ROW_PITCH + (ROW_PITCH - BAR_HEIGHT) / 2
        summary = _bar_summary(bar, series)
        summaries.append(summary)
        parts.append(_bar(bar, series, summary, bar_x=bar_x, note_x=note_x, top=top))
    return _svg(
        css_class="stacked",
        width=width,
        height=height,
        prefix=id_prefix,
        title=title,
        description=f"{description} {'; '.join(summaries)}".strip(),
        data={"bars": len(bars), "series": len(series)},
        body=parts,
    )


def _bar_summary(bar: StackedBar, series: Sequence[HeatLevel]) -> str:
    total = sum(bar.counts)
    figures = ", ".join(
        f"{item.name} {count} ({_percent(count, total)})" for item, count in zip(series, bar.counts, strict=True)
    )
    summary = f"{bar.label}: {figures}"
    return f"{summary}. {bar.note}" if bar.note else summary


def _percent_axis(left: float, top: float, bottom: float) -> SafeString:
    """0%, 25% … 100% above the bars, with light guides down through them."""
    parts = []
    for step in range(5):
        x = left + BAR_WIDTH * step / 4
        anchor = "start" if step == 0 else "end" if step == 4 else "middle"
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}" font-size="{}" fill-opacity="0.8">{}%</text>'
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="currentColor" stroke-opacity="0.3"'
                ' stroke-width="1" stroke-dasharray="2 3"/>',
                _number(x),
                _number(top + SMALL_FONT_SIZE),
                anchor,
                SMALL_FONT_SIZE,
                step * 25,
                _number(x),
                _number(top + AXIS_HEIGHT - 8),
                _number(x),
                _number(bottom),
            )
        )
    return format_html('<g class="stacked__axis" aria-hidden="true">{}</g>', _join(parts))


def _bar(
    bar: StackedBar, series: Sequence[HeatLevel], summary: str, *, bar_x: float, note_x: float, top: float
) -> SafeString:
    baseline = top + BAR_HEIGHT / 2 + FONT_SIZE * 0.35
    parts = [_row_label(bar.label, bar.href, x=bar_x - GAP, baseline=baseline)]
    total = sum(bar.counts)
    if total == 0:
        parts.append(
            format_html(
                '<rect class="stacked__empty" x="{}" y="{}" width="{}" height="{}" fill="none" stroke="currentColor"'
                ' stroke-opacity="0.6" stroke-dasharray="3 3"/><text x="{}" y="{}" text-anchor="middle">0</text>',
                _number(bar_x),
                _number(top),
                BAR_WIDTH,
                BAR_HEIGHT,
                _number(bar_x + BAR_WIDTH / 2),
                _number(baseline),
            )
        )
    else:
        running = 0
        for item, count in zip(series, bar.counts, strict=True):
            if not count:
                continue
            left = bar_x + BAR_WIDTH * running / total
            running += count
            right = bar_x + BAR_WIDTH * running / total
            parts.append(_segment(item, count, total, left=left, right=right, top=top, baseline=baseline))
        parts.append(
            format_html(
                '<rect class="stacked__outline" x="{}" y="{}" width="{}" height="{}" fill="none"'
                ' stroke="currentColor" stroke-opacity="0.6" stroke-width="1"/>',
                _number(bar_x),
                _number(top),
                BAR_WIDTH,
                BAR_HEIGHT,
            )
        )
    if bar.note:
        parts.append(
            format_html(
                '<text class="stacked__note" x="{}" y="{}">{}</text>', _number(note_x), _number(baseline), bar.note
            )
        )
    return format_html('<g class="stacked__bar"><title>{}</title>{}</g>', summary, _join(parts))


def _segment(
    item: HeatLevel, count: int, total: int, *, left: float, right: float, top: float, baseline: float
) -> SafeString:
    segment = format_html(
        '<rect class="stacked__segment" x="{}" y="{}" width="{}" height="{}" fill="{}">'
        "<title>{}: {} ({})</title></rect>",
        _number(left),
        _number(top),
        _number(right - left),
        BAR_HEIGHT,
        item.colour,
        item.name,
        count,
        _percent(count, total),
    )
    figure = str(count)
    if _text_width(figure, FONT_SIZE) + 2 * SEGMENT_PADDING > right - left:
        return segment
    return format_html(
        '{}<text class="stacked__count" x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
        segment,
        _number((left + right) / 2),
        _number(baseline),
        ink_on(item.colour),
        figure,
    )


# ---------------------------------------------------------------------------------------------- dumbbell


def nice_step(maximum: float, *, most: int = 8) -> float:
    """The round step (1, 2, 2.5 or 5 × 10ⁿ) that divides 0..``maximum`` into at most ``most`` intervals.

    2.5 is skipped below 0.25, where it would need a third decimal (figures are written with at most two).
    """
    rough = maximum / most
    magnitude = 10 ** math.floor(math.log10(rough))
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple == 2.5 and magnitude < 0.1:
            continue
        if multiple * magnitude >= rough:
            return multiple * magnitude
    return 10 * magnitude  # pragma: no cover (10 always qualifies)


def _ticks(maximum: float) -> list[float]:
    step = nice_step(maximum)
    count = math.floor(maximum / step + 1e-9)
    ticks = [step * index for index in range(count + 1)]
    if maximum - ticks[-1] > step * 1e-6:
        if maximum - ticks[-1] < step / 2:
            ticks.pop()  # too close to the maximum to write both
        ticks.append(maximum)
    return ticks


def _value_text(value: float | None, unit: str, missing: str) -> str:
    return missing if value is None else f"{format_number(value)}{unit}"


def dumbbell_chart(
    *,
    rows: Sequence[DumbbellRow],
    first_label: str,
    second_label: str,
    maximum: float,
    title: str,
    description: str,
    unit: str = "",
    id_prefix: str = "dumbbell",
) -> SafeString:
    """An accessible SVG dumbbell chart: per row, ``first`` (circle) and ``second`` (diamond) joined by a line.

    Rows are drawn in the order given (rank them first, e.g. by gap). ``unit`` is appended to every figure as
    is (pass " pts" with its space, or "%" without). A row with one value draws that marker alone; with none,
    it writes "no value". Raises ValueError unless ``maximum`` is positive. An empty string when there are no
    rows.
    """
    if not rows:
        return SafeString("")
    if not maximum or maximum <= 0:
        raise ValueError("maximum must be positive")
    maximum = float(maximum)
    missing = _("no value")
    items = [LegendItem(first_label, ""), LegendItem(second_label, "")]
    values_width = max(
        _text_width(_value_text(value, unit, missing), FONT_SIZE) for row in rows for value in (row.first, row.second)
    )
    label_right = EDGE_GAP + _label_column([row.label for row in rows])
    plot_x = math.ceil(label_right + GAP + values_width + GAP)
    note_x = plot_x + PLOT_WIDTH + GAP + values_width + GAP
    note_width = max((_text_width(row.note, FONT_SIZE) for row in rows), default=0.0)
    width = max(note_x + note_width + EDGE_GAP, legend_width(items) + 2 * EDGE_GAP)
    legend_top = EDGE_GAP
    axis_top = legend_top + legend_height(items, width - 2 * EDGE_GAP) + 6
    first_top = axis_top + AXIS_HEIGHT
    height = first_top + len(rows) * ROW_PITCH + EDGE_GAP

    def x_of(value: float) -> float:
        return plot_x + PLOT_WIDTH * min(max(float(value), 0.0), maximum) / maximum

    parts = [
        _dumbbell_legend(items, width=width),
        _scale(_ticks(maximum), x_of, unit, top=axis_top, bottom=first_top + len(rows) * ROW_PITCH),
    ]
    summaries = []
    for position, row in enumerate(rows):
        middle = first_top + position * ROW_PITCH + ROW_PITCH / 2
        summary = (
            f"{row.label}: {first_label} {_value_text(row.first, unit, missing)}, "
            f"{second_label} {_value_text(row.second, unit, missing)}"
        )
        summary = f"{summary}. {row.note}" if row.note else summary
        summaries.append(summary)
        parts.append(
            _dumbbell_row(
                row, summary, x_of, unit, missing, label_right=label_right, plot_x=plot_x, note_x=note_x, middle=middle
            )
        )
    return _svg(
        css_class="dumbbell",
        width=width,
        height=height,
        prefix=id_prefix,
        title=title,
        description=f"{description} {'; '.join(summaries)}".strip(),
        data={"rows": len(rows), "maximum": format_number(maximum)},
        body=parts,
    )


def _circle(x: float, y: float) -> SafeString:
    return format_html(
        '<circle class="dumbbell__first" cx="{}" cy="{}" r="{}" fill="currentColor" stroke="currentColor"'
        ' stroke-width="1"/>',
        _number(x),
        _number(y),
        MARKER_RADIUS,
    )


def _diamond(x: float, y: float) -> SafeString:
    r = DIAMOND_RADIUS
    points = f"{_number(x)},{_number(y - r)} {_number(x + r)},{_number(y)} {_number(x)},{_number(y + r)} " + (
        f"{_number(x - r)},{_number(y)}"
    )
    return format_html(
        '<polygon class="dumbbell__second" points="{}" fill="#ffffff" stroke="currentColor" stroke-width="2"/>',
        points,
    )


def _dumbbell_legend(items: Sequence[LegendItem], *, width: float) -> SafeString:
    """A circle and the first name, then a diamond and the second, laid out (and wrapped) as a swatch legend."""
    positions = [(row, x) for row, xs in enumerate(legend_rows(items, width - 2 * EDGE_GAP)) for x in xs]
    parts = []
    for (row, x), item, marker in zip(positions, items, (_circle, _diamond), strict=True):
        left, middle = EDGE_GAP + x, EDGE_GAP + row * LEGEND_ROW + LEGEND_SWATCH / 2
        parts.append(
            format_html(
                '{}<text x="{}" y="{}">{}</text>',
                marker(left + LEGEND_SWATCH / 2, middle),
                _number(left + LEGEND_SWATCH + 4),
                _number(middle + FONT_SIZE * 0.35),
                item.name,
            )
        )
    return format_html('<g class="dumbbell__legend">{}</g>', _join(parts))


def _scale(
    ticks: Sequence[float], x_of: Callable[[float], float], unit: str, *, top: float, bottom: float
) -> SafeString:
    """The scale's figures over a line, with a light guide down from each tick."""
    axis_y = top + AXIS_HEIGHT - 6
    parts = [
        format_html(
            '<line class="dumbbell__axis" x1="{}" y1="{}" x2="{}" y2="{}" stroke="currentColor" stroke-width="1"/>',
            _number(x_of(0)),
            _number(axis_y),
            _number(x_of(ticks[-1])),
            _number(axis_y),
        )
    ]
    for tick in ticks:
        x = _number(x_of(tick))
        parts.append(
            format_html(
                '<text class="dumbbell__tick" x="{}" y="{}" text-anchor="middle" font-size="{}">{}{}</text>'
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="currentColor" stroke-width="1"/>'
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="currentColor" stroke-opacity="0.25" stroke-width="1"'
                ' stroke-dasharray="2 3"/>',
                x,
                _number(top + SMALL_FONT_SIZE),
                SMALL_FONT_SIZE,
                format_number(tick),
                unit,
                x,
                _number(axis_y - 4),
                x,
                _number(axis_y),
                x,
                _number(axis_y),
                x,
                _number(bottom),
            )
        )
    return format_html('<g class="dumbbell__scale" aria-hidden="true">{}</g>', _join(parts))


def _dumbbell_row(
    row: DumbbellRow,
    summary: str,
    x_of: Callable[[float], float],
    unit: str,
    missing: str,
    *,
    label_right: float,
    plot_x: float,
    note_x: float,
    middle: float,
) -> SafeString:
    baseline = middle + FONT_SIZE * 0.35
    parts = [_row_label(row.label, row.href, x=label_right, baseline=baseline)]
    present = [(value, order) for order, value in enumerate((row.first, row.second)) if value is not None]
    if not present:
        parts.append(
            format_html(
                '<text class="dumbbell__missing" x="{}" y="{}" fill-opacity="0.7">{}</text>',
                _number(plot_x),
                _number(baseline),
                missing,
            )
        )
    else:
        low, high = min(present), max(present)
        low_x, high_x = x_of(low[0]), x_of(high[0])
        if len(present) == 2:
            parts.append(
                format_html(
                    '<line class="dumbbell__bar" x1="{}" y1="{}" x2="{}" y2="{}" stroke="currentColor"'
                    ' stroke-opacity="0.55" stroke-width="2"/>',
                    _number(low_x),
                    _number(middle),
                    _number(high_x),
                    _number(middle),
                )
            )
            parts.append(_value_label(low[0], unit, x=low_x - DIAMOND_RADIUS - 4, baseline=baseline, anchor="end"))
        parts.append(_value_label(high[0], unit, x=high_x + DIAMOND_RADIUS + 4, baseline=baseline, anchor="start"))
        # the first drawn last, so a filled circle stays visible inside an open diamond at the same value
        if row.second is not None:
            parts.append(_diamond(x_of(row.second), middle))
        if row.first is not None:
            parts.append(_circle(x_of(row.first), middle))
    if row.note:
        parts.append(
            format_html(
                '<text class="dumbbell__note" x="{}" y="{}">{}</text>', _number(note_x), _number(baseline), row.note
            )
        )
    return format_html('<g class="dumbbell__row"><title>{}</title>{}</g>', summary, _join(parts))


def _value_label(value: float, unit: str, *, x: float, baseline: float, anchor: str) -> SafeString:
    return format_html(
        '<text class="dumbbell__value" x="{}" y="{}" text-anchor="{}">{}{}</text>',
        _number(x),
        _number(baseline),
        anchor,
        format_number(value),
        unit,
    )
