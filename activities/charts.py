"""The small indicator chart of the activity page, computed on the server as SVG geometry.

Pure functions of an indicator and its measurements (no ORM, no clock): the template draws the
numbers this returns, so the page needs no JavaScript and no chart library. Every chart also
carries a sentence that says what it shows, for screen readers and for anyone who prefers text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

WIDTH, HEIGHT = 320, 160
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 28


class IndicatorLike(Protocol):
    name: str
    unit: str
    baseline: Decimal
    baseline_date: dt.date
    target: Decimal
    target_date: dt.date


class MeasurementLike(Protocol):
    measured_on: dt.date
    value: Decimal


@dataclass(frozen=True, slots=True)
class ChartPoint:
    x: float
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True, slots=True)
class IndicatorChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    # The straight line from baseline to target: where the indicator is expected to be.
    trajectory: tuple[float, float, float, float]
    # The measured values, starting from the baseline, as an SVG polyline "x,y x,y …".
    line: str
    points: tuple[ChartPoint, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    summary: str

    @property
    def y_label_x(self) -> float:
        """Where the value labels end, just left of the vertical axis."""
        return self.left - 4

    @property
    def x_label_y(self) -> float:
        """The baseline of the date labels, below the horizontal axis."""
        return self.bottom + 16


def _number(value: Decimal) -> str:
    """2 decimals only where they say something: 50 rather than 50.00."""
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".")


def in_whole_units(values: Sequence[Decimal]) -> bool:
    """Whether the indicator counts in whole units: its baseline, target and values are all
    whole numbers (as `monitoring.rules` judges it for its messages)."""
    return all(Decimal(v) == Decimal(v).to_integral_value() for v in values)


def quantity(value: Decimal, unit: str, *, whole: bool) -> str:
    """A value with its unit, as the unit needs it: "29 cases" for what is counted (an expected
    28.98 is rounded), "1.25 USD million" otherwise."""
    shown = Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP) if whole else value
    return f"{_number(shown)} {unit}".strip()


def expected_value(indicator: IndicatorLike, on: dt.date) -> Decimal:
    """Where the straight baseline → target trajectory puts the indicator on a date (clamped to
    the baseline before it starts and to the target after it ends)."""
    span = (indicator.target_date - indicator.baseline_date).days
    elapsed = min(max((on - indicator.baseline_date).days, 0), span)
    share = Decimal(elapsed) / Decimal(span) if span > 0 else Decimal(1)
    return indicator.baseline + (indicator.target - indicator.baseline) * share


def indicator_chart(
    *, indicator: IndicatorLike, measurements: Sequence[MeasurementLike]
) -> IndicatorChart:
    values = sorted(measurements, key=lambda m: m.measured_on)
    first = indicator.baseline_date
    last = max([indicator.target_date, *(m.measured_on for m in values)])
    low = min([indicator.baseline, indicator.target, *(m.value for m in values)])
    high = max([indicator.baseline, indicator.target, *(m.value for m in values)])
    if high == low:
        high = low + 1
    days = max((last - first).days, 1)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM

    def x(on: dt.date) -> float:
        return round(LEFT + plot_width * max((on - first).days, 0) / days, 1)

    def y(value: Decimal) -> float:
        return round(TOP + plot_height * float((high - value) / (high - low)), 1)

    unit = indicator.unit
    whole = in_whole_units([indicator.baseline, indicator.target, *(m.value for m in values)])
    points = tuple(
        ChartPoint(
            x=x(m.measured_on),
            y=y(m.value),
            label=f"{m.measured_on.isoformat()}: {quantity(m.value, unit, whole=whole)}",
        )
        for m in values
    )
    line = " ".join(
        f"{px},{py}"
        for px, py in [
            (x(indicator.baseline_date), y(indicator.baseline)),
            *((p.x, p.y) for p in points),
        ]
    )
    summary = (
        f"{indicator.name}: baseline {quantity(indicator.baseline, unit, whole=whole)} on "
        f"{indicator.baseline_date.isoformat()}, target "
        f"{quantity(indicator.target, unit, whole=whole)} by "
        f"{indicator.target_date.isoformat()}."
    )
    if values:
        latest = values[-1]
        expected = expected_value(indicator, latest.measured_on)
        summary += (
            f" Latest value {quantity(latest.value, unit, whole=whole)} on "
            f"{latest.measured_on.isoformat()}, against "
            f"{quantity(expected, unit, whole=whole)} expected by then."
        )
    else:
        summary += " No value recorded yet."
    return IndicatorChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        trajectory=(
            x(indicator.baseline_date),
            y(indicator.baseline),
            x(indicator.target_date),
            y(indicator.target),
        ),
        line=line,
        points=points,
        x_ticks=(Tick(x(first), first.isoformat()), Tick(x(last), last.isoformat())),
        y_ticks=(Tick(y(low), _number(low)), Tick(y(high), _number(high))),
        summary=summary,
    )
