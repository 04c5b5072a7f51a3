"""The dashboard charts as SVG geometry, computed on the server.

Pure functions of plain numbers (no ORM, no clock): the templates draw the rectangles and lines
these return, so the charts need neither JavaScript nor a chart library, and each comes with a
table that says the same in text. Colours are CSS classes (`seg-<status>`, `line-<status>`) set in
static/css/app.css; sizes are SVG attributes, which a Content-Security-Policy without
'unsafe-inline' styles still allows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
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
    left, right, top, bottom = 44, width - 16, 12, height - 32
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
    x_ticks = tuple(Tick(x_of(on), on.strftime("%b %d")) for on in dates)
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
