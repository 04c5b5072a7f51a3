"""Pure rules of the reporting calendar: the periods of a plan, and where a report stands.

No ORM: the services and selectors hand in plain dates. A period's submission window runs from
`opens_on` through `due_on`; an update submitted after `due_on` is late, and a period past its
due date with nothing submitted is missing (late too, by the days since).
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

MONTHLY, QUARTERLY, CUSTOM = "monthly", "quarterly", "custom"


@dataclass(frozen=True, slots=True)
class PeriodSpec:
    label: str
    starts_on: dt.date
    ends_on: dt.date
    opens_on: dt.date
    due_on: dt.date


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def generate(
    frequency: str,
    *,
    start: dt.date,
    end: dt.date,
    due_after_days: int,
    opens_before_days: int,
) -> list[PeriodSpec]:
    """The monthly or quarterly periods from `start` to `end` (the plan's period), calendar
    months or quarters cut to the plan's first and last day."""
    step = 3 if frequency == QUARTERLY else 1
    periods = []
    year, month = start.year, ((start.month - 1) // step) * step + 1
    while dt.date(year, month, 1) <= end:
        last_month = month + step - 1
        period_start = max(dt.date(year, month, 1), start)
        period_end = min(_month_end(year, last_month), end)
        if frequency == QUARTERLY:
            label = f"Q{(month - 1) // 3 + 1} {year}"
        else:
            label = dt.date(year, month, 1).strftime("%B %Y")
        periods.append(
            PeriodSpec(
                label=label,
                starts_on=period_start,
                ends_on=period_end,
                opens_on=max(period_start, period_end - dt.timedelta(days=opens_before_days)),
                due_on=period_end + dt.timedelta(days=due_after_days),
            )
        )
        month = last_month + 1
        if month > 12:
            year, month = year + 1, month - 12
    return periods


def calendar_errors(
    periods: Sequence[PeriodSpec], *, plan_start: dt.date, plan_end: dt.date
) -> list[str]:
    """What is wrong with a (custom) calendar: every error at once."""
    errors = []
    if not periods:
        errors.append("A calendar needs at least one period.")
    ordered = sorted(periods, key=lambda p: p.starts_on)
    for period in ordered:
        if period.ends_on < period.starts_on:
            errors.append(f"{period.label}: it ends before it starts.")
        if period.due_on < period.opens_on:
            errors.append(f"{period.label}: the report is due before its window opens.")
        if period.starts_on < plan_start or period.ends_on > plan_end:
            errors.append(f"{period.label}: it lies outside the plan's period.")
    for earlier, later in itertools.pairwise(ordered):
        if later.starts_on <= earlier.ends_on:
            errors.append(f"{earlier.label} and {later.label} overlap.")
    return errors


def period_for(day: dt.date, periods: Sequence[PeriodSpec]) -> int | None:
    """The index of the period that contains `day`, None when none does."""
    for index, period in enumerate(periods):
        if period.starts_on <= day <= period.ends_on:
            return index
    return None


# Where a report stands.
UPCOMING, OPEN, ON_TIME, SUBMITTED_LATE, MISSING = (
    "upcoming",
    "open",
    "on_time",
    "submitted_late",
    "missing",
)
LABELS = {
    UPCOMING: "Not yet open",
    OPEN: "Due",
    ON_TIME: "Submitted on time",
    SUBMITTED_LATE: "Submitted late",
    MISSING: "Missing",
}


@dataclass(frozen=True, slots=True)
class ReportState:
    state: str
    days_late: int = 0

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def is_late(self) -> bool:
        return self.state in (SUBMITTED_LATE, MISSING)


def report_state(
    *, opens_on: dt.date, due_on: dt.date, first_submitted_on: dt.date | None, today: dt.date
) -> ReportState:
    if first_submitted_on is not None:
        late = (first_submitted_on - due_on).days
        return ReportState(SUBMITTED_LATE, late) if late > 0 else ReportState(ON_TIME)
    if today > due_on:
        return ReportState(MISSING, (today - due_on).days)
    if today >= opens_on:
        return ReportState(OPEN)
    return ReportState(UPCOMING)


def reports_on(
    *,
    activity_start: dt.date | None,
    activity_end: dt.date | None,
    starts_on: dt.date,
    ends_on: dt.date,
) -> bool:
    """Whether an activity reports on a period: it runs during some of it (an activity without
    dates reports on every period)."""
    if activity_start is not None and activity_start > ends_on:
        return False
    return not (activity_end is not None and activity_end < starts_on)
