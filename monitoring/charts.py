"""The dashboard charts as SVG geometry, computed on the server.

Pure functions of plain numbers (no ORM, no clock): the templates draw the rectangles and lines
these return, so the charts need neither JavaScript nor a chart library, and each comes with a
table that says the same in text. Colours are CSS classes (`seg-<status>`, `line-<status>`) set in
static/css/app.css; sizes are SVG attributes, which a Content-Security-Policy without
'unsafe-inline' styles still allows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

# Stacking order: the good news first, then what needs attention, then what is not in play.
STATUS_ORDER: tuple[str, ...] = (
    "completed",
    "on_track",
    "at_risk",
    "off_track",
    "not_started",
    "suspended",
    "unassessed",
)


def _round(value: float) -> float:
    return round(value, 2)


# --- Stacked bars: status counts per group -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    status: str
    count: int
    x: float
    width: float


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    total: int
    y: float
    text_y: float
    segments: tuple[Segment, ...]
    # Where the total is written, just right of the bar.
    total_x: float


@dataclass(frozen=True, slots=True)
class StackedBarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: tuple[Bar, ...]


def stacked_bars(
    rows: Sequence[tuple[str, Mapping[str, int]]],
    *,
    statuses: Sequence[str] = STATUS_ORDER,
    width: int = 720,
    label_width: int = 260,
    bar_height: int = 22,
    gap: int = 10,
) -> StackedBarChart:
    """One horizontal bar per row, split by status, all on one scale (the largest total fills the
    plot), so bars compare in size as well as in mix. Statuses absent from `statuses` are left
    out; zero counts draw no segment."""
    plot_width = width - label_width - 48  # room for the total after the longest bar
    largest = max((sum(counts.get(s, 0) for s in statuses) for _, counts in rows), default=0)
    scale = plot_width / largest if largest else 0.0
    bars = []
    for index, (label, counts) in enumerate(rows):
        y = index * (bar_height + gap)
        x = float(label_width)
        segments = []
        for status in statuses:
            count = counts.get(status, 0)
            if count <= 0:
                continue
            segment_width = count * scale
            segments.append(Segment(status, count, _round(x), _round(segment_width)))
            x += segment_width
        bars.append(
            Bar(
                label=label,
                total=sum(counts.get(s, 0) for s in statuses),
                y=y,
                text_y=_round(y + bar_height * 0.7),
                segments=tuple(segments),
                total_x=_round(x + 6),
            )
        )
    height = max(len(rows) * (bar_height + gap) - gap, bar_height)
    return StackedBarChart(width, height, label_width, bar_height, tuple(bars))


# --- Trend: status counts through the year -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrendMarker:
    x: float
    y: float
    count: int
    label: str  # the date


@dataclass(frozen=True, slots=True)
class TrendSeries:
    status: str
    points: str  # SVG polyline "x,y x,y …"
    markers: tuple[TrendMarker, ...]


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str
    # The year, on a second line, on the first date and wherever it changes ("" elsewhere):
    # a trend across two years must not read as one.
    year: str = ""
    # SVG text-anchor: a label at either edge of the chart is aligned inward, so none is cut.
    anchor: str = "middle"


# An axis label's width in px per character at the charts' 11px font (digits and short month
# names run about 6 px): enough to keep a label inside the chart at either edge.
CHAR_WIDTH = 6.5


def anchor_inside(position: float, label: str, *, width: int) -> str:
    """The text-anchor that keeps a label centred on `position` unless that would cut it at an
    edge of a chart `width` wide."""
    half = len(label) * CHAR_WIDTH / 2
    if position - half < 0:
        return "start"
    if position + half > width:
        return "end"
    return "middle"


def date_ticks(
    dates: Sequence[dt.date], x_of: Callable[[dt.date], float], *, width: int
) -> tuple[Tick, ...]:
    """Ticks for these dates (oldest first): "31 Jan", with the year below on the first tick and
    wherever the year changes. A label that would overlap the one before is left out (the table
    under the chart lists every date); the last date is always labelled, as the one the chart is
    drawn up to."""

    def extent(tick: Tick) -> tuple[float, float]:
        span = len(tick.label) * CHAR_WIDTH
        if tick.anchor == "start":
            return tick.position, tick.position + span
        if tick.anchor == "end":
            return tick.position - span, tick.position
        return tick.position - span / 2, tick.position + span / 2

    def overlaps(tick: Tick, before: Tick) -> bool:
        return extent(tick)[0] < extent(before)[1] + 4  # at least 4 px between labels

    shown: list[tuple[dt.date, Tick]] = []
    for index, on in enumerate(dates):
        x, label = x_of(on), f"{on.day} {on:%b}"
        tick = Tick(x, label, anchor=anchor_inside(x, label, width=width))
        if shown and overlaps(tick, shown[-1][1]):
            if index < len(dates) - 1:
                continue
            while shown and overlaps(tick, shown[-1][1]):
                shown.pop()
        shown.append((on, tick))
    ticks, year = [], None
    for on, tick in shown:
        named = str(on.year) if on.year != year else ""
        year = on.year
        ticks.append(Tick(tick.position, tick.label, named, tick.anchor))
    return tuple(ticks)


@dataclass(frozen=True, slots=True)
class TrendChart:
    width: int
    height: int
    left: int
    right: int  # x of the plot's right edge
    top: int
    bottom: int  # y of the plot's bottom edge (the x axis)
    series: tuple[TrendSeries, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]


def _nice_step(largest: int, ticks: int = 4) -> int:
    """A step of 1, 2 or 5 times a power of ten giving about `ticks` gridlines up to `largest`."""
    raw = max(largest / ticks, 1)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def trend_lines(
    points: Sequence[tuple[dt.date, Mapping[str, int]]],
    *,
    statuses: Sequence[str] = STATUS_ORDER,
    width: int = 720,
    height: int = 260,
) -> TrendChart:
    """One line per status across the dates given (oldest first), x spaced by calendar days so a
    gap between two runs shows as a gap. A status that is zero throughout draws no line."""
    # The bottom margin holds two lines of date labels (the day, the year where it changes).
    left, right, top, bottom = 44, width - 24, 12, height - 44
    plot_w, plot_h = right - left, bottom - top
    dates = [on for on, _ in points]
    first, last = (dates[0], dates[-1]) if dates else (None, None)
    span = (last - first).days if first and last else 0

    def x_of(on: dt.date) -> float:
        if not span:
            return _round(left + plot_w / 2)
        return _round(left + plot_w * (on - first).days / span)

    largest = max((counts.get(s, 0) for _, counts in points for s in statuses), default=0)
    step = _nice_step(largest)
    top_value = max(step * -(-largest // step), step)  # round up to a whole step, at least one

    def y_of(count: int) -> float:
        return _round(bottom - plot_h * count / top_value)

    series = []
    for status in statuses:
        values = [(on, counts.get(status, 0)) for on, counts in points]
        if not any(count for _, count in values):
            continue
        markers = tuple(
            TrendMarker(x_of(on), y_of(count), count, on.isoformat()) for on, count in values
        )
        series.append(
            TrendSeries(status, " ".join(f"{m.x},{m.y}" for m in markers), markers=markers)
        )
    x_ticks = date_ticks(dates, x_of, width=width)
    y_ticks = tuple(Tick(y_of(v), str(v)) for v in range(0, top_value + 1, step))
    return TrendChart(width, height, left, right, top, bottom, tuple(series), x_ticks, y_ticks)


def monthly_points(dates: Sequence[dt.date], *, until: dt.date) -> list[dt.date]:
    """The dates a trend shows: the last assessed date of each month up to `until` (oldest
    first), and `until` itself. Daily runs would otherwise give a year 365 points."""
    last_of_month: dict[tuple[int, int], dt.date] = {}
    for on in dates:
        if on <= until:
            key = (on.year, on.month)
            last_of_month[key] = max(on, last_of_month.get(key, on))
    last_of_month[(until.year, until.month)] = until
    return sorted(last_of_month.values())


# --- Funding: required against secured -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FundingBar:
    label: str
    y: float
    text_y: float
    required_width: float
    secured_width: float
    required: Decimal
    secured: Decimal


@dataclass(frozen=True, slots=True)
class FundingChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: tuple[FundingBar, ...]


def funding_bars(
    rows: Sequence[tuple[str, Decimal, Decimal]],
    *,
    width: int = 720,
    label_width: int = 260,
    bar_height: int = 22,
    gap: int = 10,
) -> FundingChart:
    """Per row (label, required, secured): an outlined bar for the requirement with the secured
    part filled inside it; what stays empty is the gap. Secured beyond the requirement is drawn to
    the requirement's length only, so one generous donor does not squash every other bar."""
    plot_width = width - label_width - 16
    largest = max((max(required, secured) for _, required, secured in rows), default=Decimal(0))
    scale = plot_width / float(largest) if largest else 0.0
    bars = []
    for index, (label, required, secured) in enumerate(rows):
        y = index * (bar_height + gap)
        shown_secured = min(secured, required) if required else secured
        bars.append(
            FundingBar(
                label=label,
                y=y,
                text_y=_round(y + bar_height * 0.7),
                required_width=_round(float(required) * scale),
                secured_width=_round(float(shown_secured) * scale),
                required=required,
                secured=secured,
            )
        )
    height = max(len(rows) * (bar_height + gap) - gap, bar_height)
    return FundingChart(width, height, label_width, bar_height, tuple(bars))
