"""Plain data the rules read: the facts of one activity, loaded by the engine (no ORM here).

The engine builds these from the database; tests build them by hand. Every date-bearing fact
carries its date so that the rules can ignore what was not yet known on `as_of` — that is what
makes any date of 2016 replayable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class MilestoneFact:
    title: str
    due_date: date
    completed_on: date | None
    weight: int = 1


@dataclass(frozen=True, slots=True)
class MeasurementFact:
    measured_on: date
    value: Decimal


@dataclass(frozen=True, slots=True)
class IndicatorFact:
    name: str
    unit: str
    baseline: Decimal
    baseline_date: date
    target: Decimal
    target_date: date
    direction: str  # "increase" | "decrease"
    measurements: tuple[MeasurementFact, ...] = ()


@dataclass(frozen=True, slots=True)
class UpdateFact:
    """An approved progress update; `approved_on` is when it became an approved fact."""

    period_end: date
    percent_complete: int
    approved_on: date


@dataclass(frozen=True, slots=True)
class FundingFact:
    amount: Decimal
    status: str  # approached | pledged | committed | received
    date: date


@dataclass(frozen=True, slots=True)
class OverrideFact:
    status: str
    reason: str
    set_on: date
    expires_on: date | None
    set_by: str = ""


@dataclass(frozen=True, slots=True)
class ActivityFacts:
    activity_id: int
    code: str
    title: str
    lifecycle: str  # pipeline | implementation | finalisation | closed | cancelled | suspended
    start_date: date | None
    end_date: date | None
    budget_required: Decimal = Decimal("0")
    milestones: tuple[MilestoneFact, ...] = ()
    indicators: tuple[IndicatorFact, ...] = ()
    approved_updates: tuple[UpdateFact, ...] = ()
    funding: tuple[FundingFact, ...] = ()
    overrides: tuple[OverrideFact, ...] = field(default=())
