"""Ruled tables for the transcript PDF, laid out in Python so that WeasyPrint lays out a handful of boxes.

WeasyPrint spends about half a millisecond on every box it lays out, so 40 competencies and 100 evidence rows as
<table> cells (some 700 boxes) would take most of the 0.5 s budget on their own. A table here is instead a few
*text columns*: one cell per column holding every row's text, a line per line (``white-space: pre``) at a fixed
line height, so that line n of every column stands at the same height; the rules and the attainment bars are one
SVG drawn as the table's background. Narrow columns that sit side by side share one cell, a tab between their
texts (WeasyPrint's cost is per line, not per character). Python decides where a long text wraps (from the font's
advance widths, erring wide, so WeasyPrint never wraps a line again), pads the shorter cells of a row with empty
lines, and cuts the rows into sheets that each fit on a page, in one or two runs side by side.

Lengths are millimetres unless a name says points. The template writes the sizes into each sheet's style
attribute from here, so a sheet's height in Python is its height on the page.
"""

import functools
import math
import unicodedata
from base64 import b64encode
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, cast

MM_PER_PT = 25.4 / 72
PX = 25.4 / 96  # a CSS pixel: WeasyPrint sets tab stops in whole pixels
CELL_PADDING = 0.8  # left and right of every cell's text
RUN_GAP = 6.0  # between two runs of a sheet
BAR_WIDTH = 10.0
BAR_HEIGHT = 1.9
MAX_CELL_LINES = 6  # a longer text is cut with an ellipsis
SHORT_HEADER = 12.0  # a header up to this wide never wraps
RELAXED_MAX_WIDTH = 40.0  # the widest a fixed column's part grows when the flexible column has room to spare


def _table(first: int, widths: str) -> dict[str, int]:
    return {chr(first + index): int(width) for index, width in enumerate(widths.split())}


#: Advance widths (thousandths of an em) in Noto Sans CJK SC Regular, the transcript's one font (Source Han Sans SC
#: has the same): printable ASCII, Latin-1 and the Russian alphabet. Any other character counts as wide (1 em)
#: when Unicode calls it wide, full-width or ambiguous (the CJK font draws those full width), and as 0.72 em
#: otherwise, so that a width comes out no narrower than the font draws it (kerning only narrows).
_ADVANCES = {
    **_table(
        0x20,
        """
    224 323 474 555 555 921 680 278 338 338 467 555 278 347 278 392
    555 555 555 555 555 555 555 555 555 555 278 278 555 555 555 474
    946 608 657 638 688 589 552 689 728 293 535 646 543 812 723 742
    633 742 635 596 599 721 575 878 573 531 603 338 392 338 555 559
    606 563 618 510 620 554 325 564 607 275 275 552 284 926 610 606
    620 620 388 468 377 607 521 802 498 521 475 338 270 338 555
    """,
    ),
    **_table(
        0xA0,
        """
    224 323 555 555 555 555 270 1000 606 832 386 479 555 347 473 606
    370 1000 411 411 606 628 1000 1000 606 411 407 479 873 903 889 474
    608 608 608 608 608 608 918 638 589 589 589 589 293 293 293 293
    712 723 742 742 742 742 742 1000 742 721 721 721 721 531 652 643
    563 563 563 563 563 563 877 510 554 554 554 554 275 275 275 275
    608 610 606 606 606 606 606 1000 606 607 607 607 607 521 620 521
    """,
    ),
    **_table(
        0x410,
        """
    608 648 657 557 712 589 898 620 733 733 648 704 812 728 742 721
    633 638 599 575 818 573 718 668 966 976 805 891 648 638 1014 650
    563 608 567 459 594 554 760 510 631 631 556 593 707 629 606 618
    620 510 514 521 820 498 619 572 837 845 665 753 548 510 825 574
    """,
    ),
    "Ё": 589,
    "ё": 554,
}
_OTHER_ADVANCE = 720
_WIDE_ADVANCE = 1000
#: Characters a line may not start with, and characters it may not end with (a simplified kinsoku).
_NO_LINE_START = set("，。、；：？！）」』】》〉”’…·,.;:?!)]}%")
_NO_LINE_END = set("（「『【《〈“‘([{")


@functools.cache
def _advance(char: str) -> int:
    if char in _ADVANCES:
        return _ADVANCES[char]
    if unicodedata.east_asian_width(char) in ("W", "F", "A"):
        return _WIDE_ADVANCE
    if unicodedata.combining(char):
        return 0
    return _OTHER_ADVANCE


def _units(text: str) -> int:
    return sum(map(_advance, text))


def _to_units(width: float, font_size: float) -> float:
    """``width`` mm in thousandths of an em at ``font_size`` points (a hair over, so that a text measured to
    fit a width is not wrapped in it by a rounding error)."""
    return width * 1000 / (font_size * MM_PER_PT) + 0.5


def text_width(text: str, *, font_size: float) -> float:
    """How wide ``text`` is drawn at ``font_size`` points, in millimetres (never less than the font draws it)."""
    return _units(text) / 1000 * font_size * MM_PER_PT


@functools.cache
def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _breaks_between(before: str, after: str) -> bool:
    """Whether a line may break between two characters: after spaces and around wide (CJK) ones, kinsoku aside."""
    if after in _NO_LINE_START or before in _NO_LINE_END or after == " ":
        return False
    return before == " " or _is_wide(before) or _is_wide(after)


def _tokens(text: str) -> list[str]:
    """``text`` cut where a line may break, each piece keeping the spaces that follow it."""
    tokens: list[str] = []
    for char in text:
        if tokens and not _breaks_between(tokens[-1][-1], char):
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


def _cut(text: str, limit: float) -> list[str]:
    """A token wider than a line (``limit`` units), cut character by character."""
    lines, line, used = [], "", 0
    for char in text:
        advance = _advance(char)
        if line and used + advance > limit:
            lines.append(line)
            line, used = "", 0
        line += char
        used += advance
    return [*lines, line]


def wrap(text: str, width: float, *, font_size: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` mm (greedily, at :func:`_tokens`); never empty."""
    limit = _to_units(width, font_size)
    if "\n" not in text and _units(text) <= limit:
        return [text]
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0  # used: the line's units, its trailing spaces included
        for token in _tokens(paragraph):
            body = token.rstrip(" ")
            if line and used + _units(body) > limit:
                lines.append(line.rstrip(" "))
                line, used, token, body = "", 0, token.lstrip(" "), body.lstrip(" ")
            if _units(body) > limit - used:
                *full, token = _cut(line + token, limit)
                lines.extend(full)
                line, used = "", 0
            line += token
            used += _units(token)
        lines.append(line.rstrip(" "))
    return lines


def _limit(lines: list[str], *, width: float, font_size: float) -> list[str]:
    if len(lines) <= MAX_CELL_LINES:
        return lines
    last = lines[MAX_CELL_LINES - 1]
    while last and text_width(last + "…", font_size=font_size) > width:
        last = last[:-1]
    return [*lines[: MAX_CELL_LINES - 1], last + "…"]


@dataclass(frozen=True)
class Bar:
    """A bar filled to ``ratio`` (0 to 1) with a tick at ``mark`` (0 to 1, or None for no tick)."""

    ratio: float
    mark: float | None = None


@dataclass(frozen=True)
class Lines:
    """A cell's lines given as they are (each still cut to the column if too long): several codes, say."""

    lines: tuple[str, ...]


#: What a part of a cell holds: a text, wrapped to its width, or lines.
Part = str | Lines
#: One cell: a part, a tuple of parts (one per part of its column), or a bar.
Cell = Part | tuple[Part, ...] | Bar


@dataclass(frozen=True)
class Column:
    """A column of a ruled sheet: one text (one ``header``) or several parts side by side (a tuple of headers).

    The parts of a column are set in one text with a tab between them, every part but the last as wide as the
    widest of them (the tab stop): half the lines of two columns, and WeasyPrint's cost is per line.
    """

    header: str | tuple[str, ...]
    align: Literal["start", "end"] = "start"
    #: Takes the width the other columns leave (its last part does); the others are as wide as their texts.
    flexible: bool = False
    max_width: float = 40.0  # of each part
    #: Draws :class:`Bar` cells (no text); its header may run on over the next column's, which has none.
    bar: bool = False

    @property
    def headers(self) -> tuple[str, ...]:
        return self.header if isinstance(self.header, tuple) else (self.header,)


@dataclass(frozen=True)
class TextStyle:
    font_size: float  # points
    header_font_size: float  # points
    line_height: float  # points

    @property
    def line(self) -> float:
        return self.line_height * MM_PER_PT


@dataclass(frozen=True)
class PrintCell:
    """One column of one run as the template writes it: a table cell ``width`` mm wide (padding included)."""

    width: float
    align: str
    header: str
    text: str
    tab: int  # CSS px between tab stops, 0 for a column of one part

    @property
    def style(self) -> str:
        """The cell's content width (the stylesheet pads it by CELL_PADDING each side) and its tab stops."""
        width = f"width: {_mm(max(self.width - 2 * CELL_PADDING, 0.0))}mm"
        return f"{width}; tab-size: {self.tab}px" if self.tab else width


@dataclass(frozen=True)
class Sheet:
    """Rows in one or two runs side by side, on one page: a one-row table of :class:`PrintCell`."""

    cells: list[PrintCell]
    text: TextStyle
    width: float
    height: float
    lines: int
    rows: int
    grid: str  # the rules and bars: an SVG data: URI

    @property
    def style(self) -> str:
        """The sheet's size, type size and line height, and its rules and bars as its background."""
        return (
            f"width: {_mm(self.width)}mm; height: {_mm(self.height)}mm; font-size: {self.text.font_size}pt; "
            f"line-height: {self.text.line_height}pt; background-image: url({self.grid})"
        )

    @property
    def header_font_size(self) -> float:
        return self.text.header_font_size


def _mm(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _header_width(header: str, *, font_size: float) -> float:
    """The width a header needs: a short one on one line, a long one on two at most."""
    whole = text_width(header, font_size=font_size)
    if whole <= SHORT_HEADER:
        return whole
    longest = max(text_width(token.strip(), font_size=font_size) for token in _tokens(header))
    return max(longest, whole / 2)


def _parts(column: Column, cell: Cell) -> tuple[Part, ...]:
    if isinstance(cell, tuple):
        if len(cell) != len(column.headers):
            raise ValueError(f"A cell of {column.headers!r} has {len(cell)} parts.")
        return cell
    return (cast(Part, cell),)


def _part_lines(part: Part) -> list[str]:
    return list(part.lines) if isinstance(part, Lines) else part.split("\n")


@dataclass(frozen=True)
class _Layout:
    """A column's widths (mm): each part's text width, the tab stop, and the column's, padding included."""

    parts: tuple[float, ...]
    tab: int  # CSS px
    width: float


def _content_widths(column: Column, index: int, rows: Sequence[Sequence[Cell]], style: TextStyle) -> list[float]:
    """The widest line of each part of ``column``, as given (before any wrapping)."""
    widths = [0.0] * len(column.headers)
    for row in rows:
        cell = row[index]
        if isinstance(cell, Bar):
            continue
        for part_number, part in enumerate(_parts(column, cell)):
            for line in _part_lines(part):
                widths[part_number] = max(widths[part_number], text_width(line, font_size=style.font_size))
    return widths


def _fitted(column: Column, content: list[float], style: TextStyle, *, roomy: bool) -> list[float]:
    """The width each part of ``column`` gets: its widest line, or its header if wider (on one line if ``roomy``,
    else on up to two), capped at the column's ``max_width`` (at RELAXED_MAX_WIDTH if ``roomy``)."""
    widths = []
    for header, widest in zip(column.headers, content, strict=True):
        if roomy:
            header_width = text_width(header, font_size=style.header_font_size)
            cap = max(column.max_width, RELAXED_MAX_WIDTH)
        else:
            header_width, cap = _header_width(header, font_size=style.header_font_size), column.max_width
        widths.append(min(max(widest, header_width), cap))
    return widths


def _tab(fitted: list[float]) -> int:
    """The tab stop (CSS px) of parts this wide: the widest of all but the last, padded."""
    return math.ceil((max(fitted[:-1]) + 2 * CELL_PADDING) / PX) if len(fitted) > 1 else 0


def _layout(fitted: list[float], *, width: float | None = None) -> _Layout:
    """Parts this wide in a column: all but the last at the tab stop, the last as fitted or taking the rest of
    ``width``."""
    tab = _tab(fitted)
    stops = (tab * PX - 2 * CELL_PADDING,) * (len(fitted) - 1)
    if width is None:
        return _Layout((*stops, fitted[-1]), tab, sum(stops) + fitted[-1] + len(fitted) * 2 * CELL_PADDING)
    return _Layout((*stops, width - (len(fitted) - 1) * tab * PX - 2 * CELL_PADDING), tab, width)


def _layouts(
    columns: Sequence[Column], rows: Sequence[Sequence[Cell]], *, width: float, style: TextStyle, roomy: bool
) -> tuple[list[_Layout], bool]:
    """Every column's :class:`_Layout` (fixed columns fit their widest text, flexible ones share the rest), and
    whether each flexible column's last part got the width of its widest line."""
    content = [
        [] if column.bar else _content_widths(column, index, rows, style) for index, column in enumerate(columns)
    ]
    fixed = {
        index: _Layout((BAR_WIDTH,), 0, BAR_WIDTH + 2 * CELL_PADDING)
        if column.bar
        else _layout(_fitted(column, content[index], style, roomy=roomy))
        for index, column in enumerate(columns)
        if not column.flexible
    }
    flexible = [index for index, column in enumerate(columns) if column.flexible]
    share = max((width - sum(layout.width for layout in fixed.values())) / max(len(flexible), 1), 10.0)
    layouts = {
        **fixed,
        **{
            index: _layout(_fitted(columns[index], content[index], style, roomy=roomy), width=share)
            for index in flexible
        },
    }
    enough = all(layouts[index].parts[-1] >= content[index][-1] for index in flexible)
    return [layouts[index] for index in range(len(columns))], enough


def _column_layouts(columns: Sequence[Column], rows: Sequence[Sequence[Cell]], *, width: float, style: TextStyle):
    """Roomy fixed columns (headers on one line, texts up to RELAXED_MAX_WIDTH) where the flexible column still
    gets the width of its widest line, otherwise fixed columns as narrow as their texts allow."""
    roomy, enough = _layouts(columns, rows, width=width, style=style, roomy=True)
    return roomy if enough else _layouts(columns, rows, width=width, style=style, roomy=False)[0]


def _set(parts: Sequence[Part], widths: Sequence[float], *, font_size: float) -> list[str]:
    """The lines of parts set side by side, a tab between them, each part wrapped to its width."""
    columns = []
    for part, width in zip(parts, widths, strict=True):
        if isinstance(part, Lines):
            lines = [line for given in part.lines for line in wrap(given, width, font_size=font_size)]
        else:
            lines = wrap(part, width, font_size=font_size)
        columns.append(_limit(lines, width=width, font_size=font_size))
    height = max(len(lines) for lines in columns)
    return [
        "\t".join(lines[number] if number < len(lines) else "" for lines in columns).rstrip("\t")
        for number in range(height)
    ]


@dataclass(frozen=True)
class _Row:
    cells: list[list[str] | Bar]
    height: int  # lines


def _prepare(columns: Sequence[Column], rows: Sequence[Sequence[Cell]], layouts: list[_Layout], style: TextStyle):
    prepared = []
    for row in rows:
        cells: list[list[str] | Bar] = []
        for column, layout, cell in zip(columns, layouts, row, strict=True):
            if isinstance(cell, Bar) != column.bar:
                raise ValueError(f"Bars go in bar columns only (column {column.headers!r}).")
            if isinstance(cell, Bar):
                cells.append(cell)
            else:
                cells.append(_set(_parts(column, cell), layout.parts, font_size=style.font_size))
        height = max((len(cell) for cell in cells if not isinstance(cell, Bar)), default=1)
        prepared.append(_Row(cells, max(height, 1)))
    return prepared


def _split(rows: list[_Row], runs: int, capacity: int) -> list[list[_Row]]:
    """``rows`` in ``runs`` runs of at most ``capacity`` lines each, as even as they can be (the first the longer)."""
    if runs == 1:
        return [rows]
    total = sum(row.height for row in rows)
    best: tuple[tuple[int, bool], int] | None = None
    left = 0
    for index in range(len(rows) + 1):
        right = total - left
        if left <= capacity and right <= capacity:
            key = (max(left, right), left < right)
            if best is None or key < best[0]:
                best = (key, index)
        if index < len(rows):
            left += rows[index].height
    split = best[1] if best is not None else len(rows)
    return [rows[:split], rows[split:]]


def _sheets(rows: list[_Row], *, runs: int, first_capacity: int, capacity: int) -> list[list[list[_Row]]]:
    """The rows cut into sheets: each sheet ``runs`` runs side by side, none longer than its page's capacity."""
    sheets = []
    start = 0
    while start < len(rows) or not sheets:
        limit = first_capacity if not sheets else capacity
        taken, lines_in_run, run = start, 0, 0
        while taken < len(rows) and run < runs:
            height = rows[taken].height
            if lines_in_run and lines_in_run + height > limit:
                run += 1
                lines_in_run = 0
                continue
            lines_in_run += height
            taken += 1
        if taken == start:  # not even one row fits: give it a sheet of its own
            taken += 1
        sheets.append(_split(rows[start:taken], runs, limit))
        start = taken
    return sheets


def _grid_svg(
    *,
    runs: list[list[_Row]],
    columns: Sequence[Column],
    widths: list[float],
    header_lines: int,
    style: TextStyle,
    width: float,
    height: float,
    colour: str,
) -> str:
    line = style.line
    run_width = sum(widths)
    header_rule, row_rule, bottom_rule = 0.25, 0.15, 0.25
    rules: list[str] = []
    light: list[str] = []
    tracks: list[str] = []
    fills: list[str] = []
    ticks: list[str] = []
    bar_offsets = [sum(widths[:index]) + CELL_PADDING for index, column in enumerate(columns) if column.bar]
    for run_number, run in enumerate(runs):
        left = run_number * (run_width + RUN_GAP)
        right = left + run_width
        top = header_lines * line
        rules.append(f"M{_mm(left)} {_mm(top - header_rule)}H{_mm(right)}v{header_rule}H{_mm(left)}Z")
        bar_cells = [index for index, column in enumerate(columns) if column.bar]
        for row_number, row in enumerate(run):
            for offset, index in zip(bar_offsets, bar_cells, strict=True):
                bar = row.cells[index]
                if not isinstance(bar, Bar):
                    continue
                x = left + offset
                y = top + (line - BAR_HEIGHT) / 2
                tracks.append(f"M{_mm(x)} {_mm(y)}h{_mm(BAR_WIDTH)}v{_mm(BAR_HEIGHT)}h-{_mm(BAR_WIDTH)}Z")
                filled = BAR_WIDTH * min(max(bar.ratio, 0.0), 1.0)
                if filled > 0:
                    fills.append(f"M{_mm(x)} {_mm(y)}h{_mm(filled)}v{_mm(BAR_HEIGHT)}h-{_mm(filled)}Z")
                if bar.mark is not None:
                    mark = x + BAR_WIDTH * min(max(bar.mark, 0.0), 1.0)
                    ticks.append(f"M{_mm(mark)} {_mm(y - 0.6)}v{_mm(BAR_HEIGHT + 1.2)}")
            top += row.height * line
            last = row_number == len(run) - 1
            thickness = bottom_rule if last else row_rule
            (rules if last else light).append(
                f"M{_mm(left)} {_mm(top - thickness)}H{_mm(right)}v{thickness}H{_mm(left)}Z"
            )
    parts = [
        f'<path d="{"".join(light)}" fill="#999999"/>' if light else "",
        f'<path d="{"".join(rules)}" fill="#000000"/>' if rules else "",
        f'<path d="{"".join(tracks)}" fill="#ffffff" stroke="#444444" stroke-width="0.15"/>' if tracks else "",
        f'<path d="{"".join(fills)}" fill="{colour}"/>' if fills else "",
        f'<path d="{"".join(ticks)}" fill="none" stroke="#000000" stroke-width="0.45"/>' if ticks else "",
    ]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_mm(width)}mm" height="{_mm(height)}mm"'
        f' viewBox="0 0 {_mm(width)} {_mm(height)}">{"".join(parts)}</svg>'
    )
    return "data:image/svg+xml;base64," + b64encode(svg.encode("utf-8")).decode("ascii")


def ruled_sheets(
    *,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    width: float,
    runs: int,
    style: TextStyle,
    first_capacity: int,
    capacity: int,
    colour: str,
) -> list[Sheet]:
    """``rows`` as sheets ``width`` mm wide in ``runs`` runs, the first sheet at most ``first_capacity`` lines
    tall (its header included) and every later one ``capacity``; ``colour`` (a #rrggbb) fills the bars."""
    run_width = (width - (runs - 1) * RUN_GAP) / runs
    layouts = _column_layouts(columns, rows, width=run_width, style=style)
    widths = [layout.width for layout in layouts]
    headers = [
        [str(column.header)] if column.bar else _set(column.headers, layout.parts, font_size=style.header_font_size)
        for column, layout in zip(columns, layouts, strict=True)
    ]
    header_lines = max(len(lines) for lines in headers)
    prepared = _prepare(columns, rows, layouts, style)
    sheets = []
    for sheet_runs in _sheets(
        prepared,
        runs=runs,
        first_capacity=max(first_capacity - header_lines, 1),
        capacity=max(capacity - header_lines, 1),
    ):
        cells = []
        for run_number, run in enumerate(sheet_runs):
            if run_number:
                cells.append(PrintCell(width=RUN_GAP, align="start", header="", text="", tab=0))
            for index, (column, layout) in enumerate(zip(columns, layouts, strict=True)):
                # An empty last line inside the header's <span> would vanish (WeasyPrint): a space holds it.
                header = [line or " " for line in headers[index] + [""] * (header_lines - len(headers[index]))]
                lines: list[str] = []
                if not column.bar:
                    for row in run:
                        cell = cast(list[str], row.cells[index])
                        lines.extend(cell + [""] * (row.height - len(cell)))
                    while lines and not lines[-1]:
                        lines.pop()
                cells.append(
                    PrintCell(
                        width=layout.width,
                        align=column.align,
                        header="\n".join(header),
                        text="\n".join(lines),
                        tab=layout.tab,
                    )
                )
        body_lines = max(sum(row.height for row in run) for run in sheet_runs)
        lines_total = header_lines + body_lines
        height = lines_total * style.line
        sheets.append(
            Sheet(
                cells=cells,
                text=style,
                width=width if runs > 1 else sum(widths),
                height=height,
                lines=lines_total,
                rows=sum(len(run) for run in sheet_runs),
                grid=_grid_svg(
                    runs=sheet_runs,
                    columns=columns,
                    widths=widths,
                    header_lines=header_lines,
                    style=style,
                    width=width if runs > 1 else sum(widths),
                    height=height,
                    colour=colour,
                ),
            )
        )
    return sheets
