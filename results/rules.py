"""Pure rules of the results chain (no ORM, no clock): what an indicator's value is on a date,
and which parents a result may have.

An output's or outcome's indicator is either measured on its own or computed from activity
indicators (its sources), by its method: the sum or the average of each source's latest value on
or before the date, or the latest value any source reported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

MEASURED = "measured"
SUM = "sum"
AVERAGE = "average"
LATEST = "latest"
METHODS = (MEASURED, SUM, AVERAGE, LATEST)


@dataclass(frozen=True, slots=True)
class Point:
    """One known value: the latest of one series (a source indicator, or the indicator's own
    measurements) on or before the date asked about."""

    measured_on: date
    value: Decimal


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    value: Decimal
    measured_on: date  # the newest point that went into it
    reported: int  # series that had a value
    expected: int  # series there are

    @property
    def complete(self) -> bool:
        return self.reported == self.expected


def latest_point(points: Sequence[Point], as_of: date) -> Point | None:
    """The newest point on or before `as_of` (points after it were not yet known)."""
    return max(
        (p for p in points if p.measured_on <= as_of), key=lambda p: p.measured_on, default=None
    )


def indicator_value(
    *,
    method: str,
    own: Sequence[Point] = (),
    sources: Sequence[Sequence[Point]] = (),
    as_of: date,
) -> IndicatorValue | None:
    """The value of a result indicator on `as_of`; None when nothing was known by then.

    `own`: the indicator's own measurements (method `measured`); `sources`: each source
    indicator's measurements. A source with nothing yet is left out of a sum or an average (and
    counted as not reported), rather than read as zero.
    """
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}")
    if method == MEASURED:
        point = latest_point(own, as_of)
        if point is None:
            return None
        return IndicatorValue(
            value=point.value, measured_on=point.measured_on, reported=1, expected=1
        )
    latest = [latest_point(series, as_of) for series in sources]
    known = [p for p in latest if p is not None]
    if not known:
        return None
    newest = max(known, key=lambda p: p.measured_on)
    if method == SUM:
        value = sum((p.value for p in known), Decimal("0"))
    elif method == AVERAGE:
        value = (sum((p.value for p in known), Decimal("0")) / len(known)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    else:
        value = newest.value
    return IndicatorValue(
        value=value, measured_on=newest.measured_on, reported=len(known), expected=len(latest)
    )


PARENT_LEVEL = {"outcome": "objective", "output": "outcome"}


def parent_problem(*, level: str, parent_level: str | None, same_plan: bool) -> str | None:
    """Why a result cannot hang under this parent, or None: an objective sits at the top of
    its plan, an outcome under an objective and an output under an outcome, of the same plan."""
    if level == "objective":
        return None if parent_level is None else "An objective has no parent."
    wanted = PARENT_LEVEL.get(level)
    if parent_level is None:
        return f"An {level} belongs to an {wanted}: choose one."
    if parent_level != wanted:
        return f"An {level} belongs to an {wanted}, not to an {parent_level}."
    if not same_plan:
        return "The parent belongs to another plan."
    return None


def shares_problem(*, shares: Sequence[Decimal]) -> str | None:
    """An activity's shares across the outputs it serves add up to at most 100 %."""
    total = sum(shares, Decimal("0"))
    if total > 100:
        return (
            f"This activity's shares across its outputs would add up to "
            f"{total.normalize():f} %, more than 100 %."
        )
    return None


@dataclass(frozen=True, slots=True)
class CategoryValue:
    """A computed indicator's value for one category, from its sources' values by category."""

    category_id: int
    dimension: str
    name: str
    value: Decimal
    reported: int  # sources that gave this category
    expected: int  # sources that reported a value at all
    target: Decimal | None = None

    @property
    def complete(self) -> bool:
        return self.reported == self.expected

    @property
    def label(self) -> str:
        return f"{self.dimension}: {self.name}"


def _combine(method: str, values: Sequence[Decimal]) -> Decimal:
    if method == AVERAGE:
        return (sum(values, Decimal("0")) / len(values)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    return sum(values, Decimal("0"))


def category_values(
    *,
    method: str,
    sources: Sequence[tuple[date, Mapping[int, Decimal], Mapping[int, Decimal]]],
    names: Mapping[int, tuple[str, str]],
) -> list[CategoryValue]:
    """A computed indicator's breakdown: for each category any source gave, the sum or average
    of the sources' values for it (the newest source's alone, for `latest`), how many of the
    sources that reported gave it (fewer: "not all categories reported"), and the target their
    category targets add up to (or average). `sources`: for each source that reported, its
    latest measurement's date, values by category and category targets; `names`: category id
    → (dimension, category)."""
    if method == MEASURED or not sources:
        return []
    if method == LATEST:
        sources = [max(sources, key=lambda source: source[0])]
    found = sorted({category for _, values, _ in sources for category in values})
    rows = []
    for category in found:
        given = [values[category] for _, values, _ in sources if category in values]
        wanted = [targets[category] for _, _, targets in sources if category in targets]
        dimension, name = names.get(category, ("", str(category)))
        rows.append(
            CategoryValue(
                category_id=category,
                dimension=dimension,
                name=name,
                value=_combine(method, given),
                reported=len(given),
                expected=len(sources),
                target=_combine(method, wanted) if len(wanted) == len(sources) else None,
            )
        )
    return rows
