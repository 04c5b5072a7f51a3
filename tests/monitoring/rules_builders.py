"""Small builders of monitoring facts for the pure rule tests.

The default activity runs 100 days, from START (2016-01-01) to day(100) (2016-04-10), so on
day(n) exactly n % of its time has elapsed.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from monitoring.facts import (
    ActivityFacts,
    FundingFact,
    IndicatorFact,
    MeasurementFact,
    MilestoneFact,
    OverrideFact,
    UpdateFact,
)

START = date(2016, 1, 1)
END = START + timedelta(days=100)


def day(n: int) -> date:
    """The date n days after START (negative: before it)."""
    return START + timedelta(days=n)


def make_facts(**fields) -> ActivityFacts:
    values = {
        "activity_id": 1,
        "code": "TER-01",
        "title": "Foreign terrorist fighters",
        "lifecycle": "implementation",
        "start_date": START,
        "end_date": END,
        "budget_required": Decimal("0"),
    }
    values.update(fields)
    return ActivityFacts(**values)


def milestone(
    title: str = "Regional workshop", *, due: date, completed: date | None = None
) -> MilestoneFact:
    return MilestoneFact(title=title, due_date=due, completed_on=completed)


def update(percent: int, *, approved: date, period_end: date | None = None) -> UpdateFact:
    return UpdateFact(
        period_end=period_end or approved, percent_complete=percent, approved_on=approved
    )


def funding(amount: str, *, on: date = START, status: str = "committed") -> FundingFact:
    return FundingFact(amount=Decimal(amount), status=status, date=on)


def indicator(
    *measurements: tuple[date, str],
    baseline: str = "0",
    target: str = "100",
    direction: str = "increase",
    name: str = "Officers trained",
    unit: str = "officers",
) -> IndicatorFact:
    """Baseline on START, target on END: a straight line of one unit a day by default."""
    return IndicatorFact(
        name=name,
        unit=unit,
        baseline=Decimal(baseline),
        baseline_date=START,
        target=Decimal(target),
        target_date=END,
        direction=direction,
        measurements=tuple(
            MeasurementFact(measured_on=d, value=Decimal(v)) for d, v in measurements
        ),
    )


def override(
    status: str = "at_risk",
    *,
    set_on: date,
    expires: date | None = None,
    reason: str = "Donor review pending",
    by: str = "m.rossi",
) -> OverrideFact:
    return OverrideFact(status=status, reason=reason, set_on=set_on, expires_on=expires, set_by=by)
