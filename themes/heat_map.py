"""A server-rendered SVG heat map of levels: students (rows) by competencies (columns).

Built for a whole cohort (1,000 rows by 40 columns) in a few tens of milliseconds and about a megabyte of
markup, so it never emits one element per cell. Each row is one ``<g>`` whose ``<title>`` names the row (and
its note), holding one ``<path>`` per level present in the row; a path's ``d`` is a run of rectangles
``M x y h w v h h -w z``, one per stretch of horizontally adjacent cells at that level. Missing cells ("no
evidence", "not yet attained") draw nothing: the grid's background is a white, lightly hatched pattern, so
they read as empty on screen and in print. A white polyline lattice over the cells keeps the columns
countable inside a merged run.

Every label is escaped through ``format_html``. Ink (text, frame) is ``currentColor``; the level colours
are explicit fills from :func:`level_colours`, whose darkness rises strictly from level to level, so the
chart reads in greyscale and with colour-blindness. The ``<desc>`` gives the caller's description and how
many cells are at each level; the page's table (which exports to CSV and XLSX) is the full text alternative.

Layout, from the top: the legend (wrapped to the chart's width), the column codes (rotated 45°, each with a
``<title>`` holding the column's full title), then the grid, whose cell (i, j) spans
x = ``data-grid-x`` + j·``data-cell-width``, y = ``data-grid-y`` + i·``data-cell-height``.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import index as as_index

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from themes.charts import _text_width, fit_label

CELL_WIDTH = 18
CELL_HEIGHT = 16
FONT_SIZE = 11
COLUMN_FONT_SIZE = 10
ROW_LABEL_UNITS = 24  # a CJK character counts two units
COLUMN_LABEL_UNITS = 12
EDGE_GAP = 4
LABEL_GAP = 6  # between a row label and the grid
LEGEND_SWATCH = 12
LEGEND_ROW = 18
LEGEND_ITEM_GAP = 16
HEADER_GAP = 6  # between the legend and the tallest column code
HATCH_INK = "#8a949e"  # fixed, not currentColor: a pattern's content does not inherit from where it is used
MAX_LEVELS = 8
_SIN45 = math.sqrt(0.5)


@dataclass(frozen=True)
class HeatLevel:
    name: str
    colour: str  # a CSS colour, normally from level_colours()


@dataclass(frozen=True)
class HeatRow:
    label: str
    cells: Sequence[int | None]  # an index into the levels, or None for no evidence / not yet attained
    href: str = ""
    note: str = ""


# ---------------------------------------------------------------------------------------------- palette


def _oklab_to_linear_srgb(lightness: float, a: float, b: float) -> tuple[float, float, float]:
    """Björn Ottosson's OKLab to linear sRGB (the published matrices)."""
    l_ = lightness + 0.3963377774 * a + 0.2158037573 * b
    m_ = lightness - 0.1055613458 * a - 0.0638541728 * b
    s_ = lightness - 0.0894841775 * a - 1.2914855480 * b
    long, medium, short = l_**3, m_**3, s_**3
    return (
        4.0767416621 * long - 3.3077115913 * medium + 0.2309699292 * short,
        -1.2684380046 * long + 2.6097574011 * medium - 0.3413193965 * short,
        -0.0041960863 * long - 0.7034186147 * medium + 1.7076147010 * short,
    )


def _encode(channel: float) -> int:
    channel = min(max(channel, 0.0), 1.0)
    encoded = 12.92 * channel if channel <= 0.0031308 else 1.055 * channel ** (1 / 2.4) - 0.055
    return round(encoded * 255)


def _ramp(t: float) -> str:
    """The colour at ``t`` (0 light … 1 dark) on a pale-yellow → green → teal → deep-blue ramp.

    Lightness falls linearly in OKLab (0.95 → 0.32), which is what keeps neighbouring levels apart in
    greyscale; the hue turns through the blue–yellow axis that red–green colour-blindness leaves intact.
    Chroma is reduced until the colour is inside sRGB.
    """
    lightness = 0.95 - 0.63 * t
    chroma = 0.07 + 0.06 * math.sin(math.pi * t)
    hue = math.radians(105 + 170 * t)
    for _step in range(60):
        rgb = _oklab_to_linear_srgb(lightness, chroma * math.cos(hue), chroma * math.sin(hue))
        if all(-1e-9 <= channel <= 1 + 1e-9 for channel in rgb):
            break
        chroma *= 0.95
    return "#" + "".join(f"{_encode(channel):02x}" for channel in rgb)


@lru_cache(maxsize=MAX_LEVELS)
def _palette(count: int) -> tuple[str, ...]:
    if count == 1:
        return (_ramp(0.7),)
    return tuple(_ramp(step / (count - 1)) for step in range(count))


def level_colours(count: int) -> list[str]:
    """``count`` (1 to 8) hex colours from light to dark, each strictly darker than the one before.

    Colour-blind safe and distinguishable in greyscale print (neighbours differ in relative luminance by a
    contrast ratio of at least 1.3 at eight levels). The lightest is a pale yellow, not white, so a level is
    never mistaken for a missing cell.
    """
    if not 1 <= count <= MAX_LEVELS:
        raise ValueError(f"level_colours() draws 1 to {MAX_LEVELS} levels, not {count}")
    return list(_palette(count))


def relative_luminance(colour: str) -> float:
    """The WCAG relative luminance of a ``#rrggbb`` (or ``#rgb``) colour."""
    digits = colour.strip().lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    if len(digits) != 6:
        raise ValueError(f"not a hex colour: {colour!r}")

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def ink_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (black when the colour is not a hex colour)."""
    try:
        luminance = relative_luminance(colour)
    except ValueError:
        return "#000000"
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


# ---------------------------------------------------------------------------------------------- shared parts


def hatch_pattern(pattern_id: str) -> SafeString:
    """White with light diagonal hatching: how "missing" prints."""
    return format_html(
        '<pattern id="{}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="3" y1="0" x2="3" y2="6" stroke="{}" stroke-width="1.2"/></pattern>',
        pattern_id,
        HATCH_INK,
    )


@dataclass(frozen=True)
class LegendItem:
    name: str
    fill: str  # a colour or url(#…)


def legend_rows(items: Sequence[LegendItem], width: float, *, font_size: int = FONT_SIZE) -> list[list[float]]:
    """The x of each item, item by item, wrapped into rows no wider than ``width``."""
    rows: list[list[float]] = [[]]
    x = 0.0
    for item in items:
        item_width = LEGEND_SWATCH + 4 + _text_width(item.name, font_size)
        if rows[-1] and x + item_width > width:
            rows.append([])
            x = 0.0
        rows[-1].append(x)
        x += item_width + LEGEND_ITEM_GAP
    return rows


def legend_width(items: Sequence[LegendItem], *, font_size: int = FONT_SIZE) -> float:
    """The width of the widest single item: the least width the legend can wrap to."""
    return max((LEGEND_SWATCH + 4 + _text_width(item.name, font_size) for item in items), default=0.0)


def legend(items: Sequence[LegendItem], *, left: float, top: float, width: float, css_class: str) -> SafeString:
    """Swatches with their names in rows from (``left``, ``top``), wrapped to ``width``."""
    positions = legend_rows(items, width)
    parts = []
    flat = [(row, x) for row, xs in enumerate(positions) for x in xs]
    for item, (row, x) in zip(items, flat, strict=True):
        y = top + row * LEGEND_ROW
        parts.append(
            format_html(
                '<g class="{}-item"><rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="currentColor"'
                ' stroke-opacity="0.5" stroke-width="1"/><text x="{}" y="{}" font-size="{}" fill="currentColor">'
                "{}</text></g>",
                css_class,
                _number(left + x),
                _number(y),
                LEGEND_SWATCH,
                LEGEND_SWATCH,
                item.fill,
                _number(left + x + LEGEND_SWATCH + 4),
                _number(y + LEGEND_SWATCH - 2),
                FONT_SIZE,
                item.name,
            )
        )
    return format_html('<g class="{}">{}</g>', css_class, format_html_join("", "{}", ((part,) for part in parts)))


def legend_height(items: Sequence[LegendItem], width: float) -> int:
    return len(legend_rows(items, width)) * LEGEND_ROW if items else 0


def _number(value: float) -> str:
    """A coordinate: an integer when it is one, else one decimal."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.1f}"


# ---------------------------------------------------------------------------------------------- heat map


def _checked_cells(row: HeatRow, columns: int, levels: int) -> list[int | None]:
    if len(row.cells) != columns:
        raise ValueError(f"row {row.label!r} has {len(row.cells)} cells for {columns} columns")
    cells: list[int | None] = []
    for cell in row.cells:
        if cell is None:
            cells.append(None)
            continue
        level = as_index(cell)
        if not 0 <= level < levels:
            raise ValueError(f"row {row.label!r}: level {level} is not one of the {levels} levels")
        cells.append(level)
    return cells


def _runs(cells: Sequence[int | None]) -> list[tuple[int, int, int]]:
    """(level, first column, length) of each stretch of equal, present cells."""
    runs = []
    start, count = 0, len(cells)
    while start < count:
        level = cells[start]
        end = start + 1
        while end < count and cells[end] == level:
            end += 1
        if level is not None:
            runs.append((level, start, end - start))
        start = end
    return runs


def _row_markup(
    row: HeatRow,
    label: str,
    runs: Sequence[tuple[int, int, int]],
    colours: Sequence[str],
    *,
    grid_x: int,
    top: int,
) -> SafeString:
    segments: dict[int, list[str]] = {}
    for level, first, length in runs:
        width = length * CELL_WIDTH
        segments.setdefault(level, []).append(f"M{grid_x + first * CELL_WIDTH} {top}h{width}v{CELL_HEIGHT}h-{width}z")
    paths = format_html_join(
        "",
        '<path data-level="{}" fill="{}" d="{}"/>',
        ((level, colours[level], "".join(segments[level])) for level in sorted(segments)),
    )
    baseline = top + CELL_HEIGHT / 2 + FONT_SIZE * 0.35
    text = format_html('<text x="{}" y="{}" text-anchor="end">{}</text>', grid_x - LABEL_GAP, _number(baseline), label)
    if row.href:
        text = format_html('<a href="{}">{}</a>', row.href, text)
    title = f"{row.label} — {row.note}" if row.note else row.label
    return format_html('<g class="heat-map__row"><title>{}</title>{}{}</g>', title, text, paths)


def _lattice(*, left: int, top: int, columns: int, rows: int) -> SafeString:
    """White lines between the cells, as two zig-zag polylines (the zags run along the frame)."""
    right, bottom = left + columns * CELL_WIDTH, top + rows * CELL_HEIGHT
    vertical, horizontal = [], []
    for column in range(1, columns):
        x = left + column * CELL_WIDTH
        ends = [(x, top), (x, bottom)]
        vertical.extend(ends if column % 2 else reversed(ends))
    for row in range(1, rows):
        y = top + row * CELL_HEIGHT
        ends = [(left, y), (right, y)]
        horizontal.extend(ends if row % 2 else reversed(ends))
    return format_html_join(
        "",
        '<polyline class="heat-map__lattice" points="{}" fill="none" stroke="#ffffff" stroke-width="1"/>',
        ((" ".join(f"{x},{y}" for x, y in points),) for points in (vertical, horizontal) if points),
    )


def _header_reach(codes: Sequence[str], *, grid_x: int) -> float:
    """How far the rotated column codes reach right of the grid (the last ones lean past it)."""
    right = grid_x + len(codes) * CELL_WIDTH
    reach = max(
        grid_x + column * CELL_WIDTH + CELL_WIDTH / 2 + _text_width(code, COLUMN_FONT_SIZE) * _SIN45
        for column, code in enumerate(codes)
    )
    return max(reach + COLUMN_FONT_SIZE - right, 0.0)


def _column_headers(codes: Sequence[str], titles: Sequence[str], *, grid_x: int, baseline: float) -> SafeString:
    """The column codes rotated 45° up to the right from the foot of each column, each with its title."""
    parts = []
    for column, (code, title) in enumerate(zip(codes, titles, strict=True)):
        x = _number(grid_x + column * CELL_WIDTH + CELL_WIDTH / 2)
        y = _number(baseline)
        parts.append(
            format_html(
                '<g class="heat-map__column"><title>{}</title><text x="{}" y="{}" transform="rotate(-45 {} {})"'
                ' font-size="{}">{}</text></g>',
                title,
                x,
                y,
                x,
                y,
                COLUMN_FONT_SIZE,
                code,
            )
        )
    return format_html_join("", "{}", ((part,) for part in parts))


def heat_map(
    *,
    rows: Sequence[HeatRow],
    columns: Sequence[str],
    column_titles: Sequence[str] | None = None,
    levels: Sequence[HeatLevel],
    title: str,
    description: str,
    missing_label: str,
    id_prefix: str = "heat-map",
) -> SafeString:
    """An accessible SVG heat map: one row per ``rows`` item, one column per ``columns`` code.

    ``column_titles`` (the columns' full names, hover text) defaults to the codes. A cell is an index into
    ``levels`` or None (drawn hatched as ``missing_label``). Raises ValueError when a row's cells do not match
    the columns or a cell is not a level. Returns an empty string when there are no rows or no columns.
    ``id_prefix`` keeps the ids of several charts on one page apart. The root carries ``data-rows``,
    ``data-columns``, ``data-levels`` and the grid's geometry for tests and scripts.
    """
    if not rows or not columns:
        return SafeString("")
    if not levels:
        raise ValueError("a heat map needs at least one level")
    titles = list(column_titles) if column_titles is not None else list(columns)
    if len(titles) != len(columns):
        raise ValueError("column_titles must match columns")
    codes = [fit_label(code, units=COLUMN_LABEL_UNITS) for code in columns]
    labels = [fit_label(row.label, units=ROW_LABEL_UNITS) for row in rows]
    colours = [level.colour for level in levels]
    missing_fill = f"url(#{id_prefix}-missing)"
    legend_items = [LegendItem(level.name, level.colour) for level in levels] + [
        LegendItem(missing_label, missing_fill)
    ]

    label_width = max(_text_width(label, FONT_SIZE) for label in labels)
    grid_x = math.ceil(EDGE_GAP + label_width + LABEL_GAP)
    grid_width = len(columns) * CELL_WIDTH
    header_height = math.ceil(
        max(_text_width(code, COLUMN_FONT_SIZE) for code in codes) * _SIN45 + COLUMN_FONT_SIZE + HEADER_GAP
    )
    width = max(
        math.ceil(grid_x + grid_width + _header_reach(codes, grid_x=grid_x) + EDGE_GAP),
        math.ceil(legend_width(legend_items) + 2 * EDGE_GAP),
    )
    legend_top = EDGE_GAP
    grid_y = legend_top + legend_height(legend_items, width - 2 * EDGE_GAP) + header_height
    height = grid_y + len(rows) * CELL_HEIGHT + EDGE_GAP
    headers = _column_headers(codes, titles, grid_x=grid_x, baseline=grid_y - 4)

    counts = [0] * len(levels)
    missing = 0
    row_parts = []
    for position, (row, label) in enumerate(zip(rows, labels, strict=True)):
        cells = _checked_cells(row, len(columns), len(levels))
        runs = _runs(cells)
        for level, _first, length in runs:
            counts[level] += length
        missing += cells.count(None)
        row_parts.append(_row_markup(row, label, runs, colours, grid_x=grid_x, top=grid_y + position * CELL_HEIGHT))

    tallies = [*((level.name, counts[i]) for i, level in enumerate(levels)), (missing_label, missing)]
    summary = "; ".join(f"{name}: {count}" for name, count in tallies)
    grid_height = len(rows) * CELL_HEIGHT
    return format_html(
        '<svg class="heat-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}"'
        ' height="{height}" role="{role}" aria-labelledby="{prefix}-title {prefix}-desc" fill="currentColor"'
        ' font-size="{font}" data-rows="{rows}" data-columns="{columns}" data-levels="{levels}"'
        ' data-grid-x="{grid_x}" data-grid-y="{grid_y}" data-cell-width="{cell_width}"'
        ' data-cell-height="{cell_height}"><title id="{prefix}-title">{title}</title>'
        '<desc id="{prefix}-desc">{description}</desc><defs>{hatch}</defs>{legend}'
        '<g class="heat-map__columns">{headers}</g>'
        '<rect class="heat-map__missing" x="{grid_x}" y="{grid_y}" width="{grid_width}" height="{grid_height}"'
        ' fill="{missing_fill}"/><g class="heat-map__rows">{body}</g>{lattice}'
        '<rect class="heat-map__frame" x="{grid_x}" y="{grid_y}" width="{grid_width}" height="{grid_height}"'
        ' fill="none" stroke="currentColor" stroke-opacity="0.45" stroke-width="1"/></svg>',
        width=width,
        height=height,
        prefix=id_prefix,
        # An image hides its content from assistive technology: with row links, the chart is a group instead.
        role="group" if any(row.href for row in rows) else "img",
        font=FONT_SIZE,
        rows=len(rows),
        columns=len(columns),
        levels=len(levels),
        grid_x=grid_x,
        grid_y=grid_y,
        cell_width=CELL_WIDTH,
        cell_height=CELL_HEIGHT,
        title=title,
        description=f"{description} {summary}".strip(),
        hatch=hatch_pattern(f"{id_prefix}-missing"),
        legend=legend(
            legend_items, left=EDGE_GAP, top=legend_top, width=width - 2 * EDGE_GAP, css_class="heat-map__legend"
        ),
        headers=headers,
        grid_width=grid_width,
        grid_height=grid_height,
        missing_fill=missing_fill,
        body=format_html_join("", "{}", ((part,) for part in row_parts)),
        lattice=_lattice(left=grid_x, top=grid_y, columns=len(columns), rows=len(rows)),
    )
