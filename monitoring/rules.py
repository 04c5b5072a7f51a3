"""The monitoring rules: pure functions from one activity's facts and a date to a status.

No ORM and no clock here. Each rule takes (facts, as_of, policy) and returns the reasons it finds;
`assess()` combines them, and the worst reason wins. Only facts dated on or before `as_of` count,
which is what makes re-assessing any past date give the answer that date would have given.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from activities.models import FundingCommitment, MonitoringStatus
from activities.rules import inside
from monitoring.facts import (
    ActivityFacts,
    IndicatorFact,
    MeasurementFact,
    MilestoneFact,
    OverrideFact,
    UpdateFact,
)
from monitoring.policy import Policy

INFO = "info"
WARNING = "warning"
CRITICAL = "critical"
_SEVERITY_RANK = {INFO: 0, WARNING: 1, CRITICAL: 2}

NOT_STARTED = MonitoringStatus.NOT_STARTED.value
ON_TRACK = MonitoringStatus.ON_TRACK.value
AT_RISK = MonitoringStatus.AT_RISK.value
OFF_TRACK = MonitoringStatus.OFF_TRACK.value
COMPLETED = MonitoringStatus.COMPLETED.value
SUSPENDED = MonitoringStatus.SUSPENDED.value

# A manual override carries a status; its reason carries the matching severity.
_STATUS_SEVERITY = {AT_RISK: WARNING, OFF_TRACK: CRITICAL}

_SECURED = frozenset(str(status) for status in FundingCommitment.SECURED)
_FINISHING_LIFECYCLES = frozenset({"finalisation", "closed"})
_STOPPED_LIFECYCLES = frozenset({"suspended", "cancelled"})


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    severity: str  # info | warning (→ at_risk) | critical (→ off_track)
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "message": self.message}


@dataclass(frozen=True, slots=True)
class AssessmentResult:
    status: str
    reasons: tuple[Reason, ...]
    expected_progress: int | None
    reported_progress: int | None
    funding_coverage: Decimal | None
    overridden: bool = False

    def reasons_as_dicts(self) -> list[dict[str, str]]:
        return [reason.as_dict() for reason in self.reasons]


Rule = Callable[[ActivityFacts, date, Policy], list[Reason]]


# --- Formatting: messages are read by managers ----------------------------------------------------


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _number(value: Decimal) -> str:
    """At most two decimals, no trailing zeros, thousands separated: 1,250.5."""
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def in_whole_units(values: Sequence[Decimal]) -> bool:
    """Whether an indicator counts in whole units (cases, officers, countries): its baseline,
    target and every value recorded are whole numbers. Its expected value, a point on a straight
    line, then reads as a whole number too: "29 cases expected", not "28.98"."""
    return all(Decimal(value) == Decimal(value).to_integral_value() for value in values)


def _quantity(value: Decimal, whole: bool) -> str:
    """A value as its unit needs it: whole numbers for what is counted, else `_number`."""
    if whole:
        return _number(Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    return _number(value)


def _percent(share: Decimal) -> int:
    """A share as whole percent, rounded down so that 49.99 % never reads as 50 %."""
    return int((share * 100).to_integral_value(rounding=ROUND_DOWN))


def _status_label(status: str) -> str:
    try:
        return str(MonitoringStatus(status).label)
    except ValueError:
        return status


# --- Derived facts, as known on as_of -----------------------------------------------------------


def latest_update(facts: ActivityFacts, as_of: date) -> UpdateFact | None:
    """The approved update that describes the latest period, among those approved by `as_of`.

    Ordered by the period it reports on (then by approval) so that a late-approved report on an
    older period does not replace a newer one.
    """
    known = [u for u in facts.approved_updates if u.approved_on <= as_of]
    return max(known, key=lambda u: (u.period_end, u.approved_on), default=None)


def reported_progress(facts: ActivityFacts, as_of: date) -> int | None:
    update = latest_update(facts, as_of)
    return None if update is None else update.percent_complete


def expected_progress(facts: ActivityFacts, as_of: date) -> int | None:
    """The elapsed share of start→end on `as_of`, as a whole percentage (0–100)."""
    start, end = facts.start_date, facts.end_date
    if start is None or end is None or end < start:
        return None
    if as_of <= start:
        return 0
    if as_of >= end:
        return 100
    share = Decimal((as_of - start).days) / Decimal((end - start).days)
    return int((share * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def secured_funding(facts: ActivityFacts, as_of: date) -> Decimal:
    """Committed plus received money dated on or before `as_of`."""
    return sum(
        (f.amount for f in facts.funding if f.status in _SECURED and f.date <= as_of),
        Decimal("0"),
    )


def funding_coverage(facts: ActivityFacts, as_of: date) -> Decimal | None:
    """Secured / required, to four places; None when nothing is required."""
    if facts.budget_required <= 0:
        return None
    share = secured_funding(facts, as_of) / facts.budget_required
    return share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def has_started(facts: ActivityFacts, as_of: date) -> bool:
    return facts.start_date is not None and facts.start_date <= as_of


def _days_since_start(facts: ActivityFacts, as_of: date) -> int | None:
    return None if facts.start_date is None else (as_of - facts.start_date).days


def _in_grace(facts: ActivityFacts, as_of: date, policy: Policy) -> bool:
    days = _days_since_start(facts, as_of)
    return days is not None and days <= policy.grace_days


def is_completed(facts: ActivityFacts, as_of: date) -> bool:
    """Done on `as_of`: 100 % reported and either the lifecycle says it is finishing, or every
    milestone due by then was completed by then."""
    if reported_progress(facts, as_of) != 100:
        return False
    if facts.lifecycle in _FINISHING_LIFECYCLES:
        return True
    return not _open_milestones_due(facts, as_of)


def _open_milestones_due(facts: ActivityFacts, as_of: date) -> list[MilestoneFact]:
    return [
        m
        for m in facts.milestones
        if m.due_date <= as_of and (m.completed_on is None or m.completed_on > as_of)
    ]


# --- The rules ----------------------------------------------------------------------------------


def milestone_overdue(facts: ActivityFacts, as_of: date, policy: Policy) -> list[Reason]:
    """One reason per milestone still open after its due date; the longest overdue first."""
    reasons = []
    overdue = sorted(
        (m for m in _open_milestones_due(facts, as_of) if m.due_date < as_of),
        key=lambda m: m.due_date,
    )
    for milestone in overdue:
        days = (as_of - milestone.due_date).days
        severity = CRITICAL if days > policy.milestone_off_track_days else WARNING
        reasons.append(
            Reason(
                "milestone_overdue",
                severity,
                f"Milestone '{milestone.title}' is {_days(days)} overdue "
                f"(due {milestone.due_date.isoformat()}).",
            )
        )
    return reasons


def progress_behind(facts: ActivityFacts, as_of: date, policy: Policy) -> list[Reason]:
    """Reported progress lagging the share of time elapsed. Nothing reported counts as 0 %."""
    expected = expected_progress(facts, as_of)
    if expected is None or not has_started(facts, as_of) or _in_grace(facts, as_of, policy):
        return []
    reported = reported_progress(facts, as_of)
    gap = expected - (reported or 0)
    if gap > policy.progress_off_track_gap:
        severity = CRITICAL
    elif gap > policy.progress_at_risk_gap:
        severity = WARNING
    else:
        return []
    if reported is None:
        message = (
            f"No progress reported yet, {expected} % expected by {as_of.isoformat()} "
            f"({gap} points behind)."
        )
    else:
        message = (
            f"Reported progress {reported} % is {gap} points behind the {expected} % "
            f"expected by {as_of.isoformat()}."
        )
    return [Reason("progress_behind", severity, message)]


def past_end_date(facts: ActivityFacts, as_of: date, policy: Policy) -> list[Reason]:
    end = facts.end_date
    if end is None or as_of <= end or is_completed(facts, as_of):
        return []
    reported = reported_progress(facts, as_of)
    progress = "no progress reported" if reported is None else f"{reported} % reported"
    return [
        Reason(
            "past_end_date",
            CRITICAL,
            f"Ended on {end.isoformat()}, {_days((as_of - end).days)} ago, "
            f"and is not completed ({progress}).",
        )
    ]


STALE_REPORTING = "stale_reporting"


def stale_reporting(facts: ActivityFacts, as_of: date, policy: Policy) -> list[Reason]:
    """Too long without an approved update, counted from the start date if there never was one."""
    last = max(
        (u.approved_on for u in facts.approved_updates if u.approved_on <= as_of), default=None
    )
    if last is None:
        if not has_started(facts, as_of):
            return []
        since, what = facts.start_date, "No approved progress update since the start on"
    else:
        since, what = last, "No approved progress update since"
    if _in_grace(facts, as_of, policy):
        return []
    days = (as_of - since).days
    if days > policy.stale_off_track_days:
        severity = CRITICAL
    elif days > policy.stale_at_risk_days:
        severity = WARNING
    else:
        return []
    return [Reason(STALE_REPORTING, severity, f"{what} {since.isoformat()} ({_days(days)}).")]


def trajectory_value(indicator: IndicatorFact, on: date) -> Decimal:
    """The value the straight baseline→target line gives on `on` (flat outside its dates)."""
    span = (indicator.target_date - indicator.baseline_date).days
    if span <= 0 or on >= indicator.target_date:
        return indicator.target
    if on <= indicator.baseline_date:
        return indicator.baseline
    share = Decimal((on - indicator.baseline_date).days) / Decimal(span)
    return indicator.baseline + (indicator.target - indicator.baseline) * share


def _latest_measurement(indicator: IndicatorFact, as_of: date) -> MeasurementFact | None:
    known = [m for m in indicator.measurements if m.measured_on <= as_of]
    return max(known, key=lambda m: m.measured_on, default=None)


def indicator_off_trajectory(facts: ActivityFacts, as_of: date, policy: Policy) -> list[Reason]:
    """Latest measurement short of its trajectory, in the wrong direction, by more than a share
    of the planned change. Running ahead of the line is never a problem."""
    found = (indicator_reason(indicator, as_of, policy) for indicator in facts.indicators)
    return [reason for reason in found if reason is not None]


def indicator_reason(indicator: IndicatorFact, as_of: date, policy: Policy) -> Reason | None:
    """One indicator's finding (also the results chain's, for an output's or outcome's
    indicator): None while it keeps to its line, or has no value yet."""
    latest = _latest_measurement(indicator, as_of)
    planned_change = abs(indicator.target - indicator.baseline)
    if latest is None or planned_change == 0:
        return None
    expected = trajectory_value(indicator, latest.measured_on)
    if indicator.direction == "decrease":
        shortfall = latest.value - expected
    else:
        shortfall = expected - latest.value
    share = shortfall / planned_change
    if share > policy.indicator_off_track_share:
        severity = CRITICAL
    elif share > policy.indicator_at_risk_share:
        severity = WARNING
    else:
        return None
    unit = f" {indicator.unit}" if indicator.unit else ""
    whole = in_whole_units(
        [indicator.baseline, indicator.target, *(m.value for m in indicator.measurements)]
    )
    return Reason(
        "indicator_off_trajectory",
        severity,
        f"Indicator '{indicator.name}' was {_quantity(latest.value, whole)}{unit} on "
        f"{latest.measured_on.isoformat()}, against {_quantity(expected, whole)}{unit} "
        f"expected on the way to {_quantity(indicator.target, whole)}{unit} by "
        f"{indicator.target_date.isoformat()} ({_percent(share)} % of the planned "
        f"change behind).",
    )


def funding_shortfall(facts: ActivityFacts, as_of: date, policy: Policy) -> list[Reason]:
    coverage = funding_coverage(facts, as_of)
    if coverage is None or not has_started(facts, as_of):
        return []
    secured = secured_funding(facts, as_of)
    # The exact share, not the four-place coverage, so 49.999 % is below 50 % and reads "49 %".
    share = secured / facts.budget_required
    if share >= policy.funding_min_share:
        return []
    return [
        Reason(
            "funding_shortfall",
            WARNING,
            f"Secured funding {_number(secured)} covers {_percent(share)} % of the "
            f"{_number(facts.budget_required)} required, below the "
            f"{_percent(policy.funding_min_share)} % expected once started.",
        )
    ]


RULES: tuple[Rule, ...] = (
    past_end_date,
    milestone_overdue,
    progress_behind,
    stale_reporting,
    indicator_off_trajectory,
    funding_shortfall,
)


# --- Combining ----------------------------------------------------------------------------------


def lifecycle_stopped(facts: ActivityFacts, as_of: date, policy: Policy) -> list[Reason]:
    if facts.lifecycle not in _STOPPED_LIFECYCLES:
        return []
    return [
        Reason(
            f"lifecycle_{facts.lifecycle}",
            INFO,
            f"The activity is {facts.lifecycle}; no progress is expected while it stays so.",
        )
    ]


def not_started(facts: ActivityFacts, as_of: date, policy: Policy) -> list[Reason]:
    start = facts.start_date
    if start is not None and as_of < start:
        return [Reason("not_started", INFO, f"Starts on {start.isoformat()}.")]
    if start is None and latest_update(facts, as_of) is None:
        return [Reason("not_started", INFO, "No start date set and no progress reported yet.")]
    return []


def active_override(facts: ActivityFacts, as_of: date) -> OverrideFact | None:
    """The override in force on `as_of` (expires_on is the first day it no longer applies);
    of several, the one set most recently."""
    active = [
        o
        for o in facts.overrides
        if o.set_on <= as_of and (o.expires_on is None or as_of < o.expires_on)
    ]
    return max(active, key=lambda o: o.set_on, default=None)


def worst_status(reasons: list[Reason] | tuple[Reason, ...]) -> str:
    severities = {reason.severity for reason in reasons}
    if CRITICAL in severities:
        return OFF_TRACK
    if WARNING in severities:
        return AT_RISK
    return ON_TRACK


def _computed(facts: ActivityFacts, as_of: date, policy: Policy) -> tuple[str, list[Reason]]:
    """Status and reasons from the facts alone, before any manual override."""
    if stopped := lifecycle_stopped(facts, as_of, policy):
        return SUSPENDED, stopped
    if is_completed(facts, as_of):
        return COMPLETED, []
    if waiting := not_started(facts, as_of, policy):
        return NOT_STARTED, waiting
    reasons = [reason for rule in RULES for reason in rule(facts, as_of, policy)]
    # Worst first, so a list view can show the first reason as "why".
    reasons.sort(key=lambda r: _SEVERITY_RANK[r.severity], reverse=True)
    return worst_status(reasons), reasons


def assess(facts: ActivityFacts, as_of: date, policy: Policy) -> AssessmentResult:
    status, reasons = _computed(facts, as_of, policy)
    overridden = False
    override = active_override(facts, as_of)
    if override is not None:
        until = override.expires_on.isoformat() if override.expires_on else "further notice"
        by = override.set_by or "a manager"
        # The computed reasons stay after the override's own, so nothing is hidden.
        reasons.insert(
            0,
            Reason(
                "manual_override",
                _STATUS_SEVERITY.get(override.status, INFO),
                f"Status set to {_status_label(override.status)} by {by} until {until}: "
                f"{override.reason}",
            ),
        )
        status, overridden = override.status, True
    return AssessmentResult(
        status=status,
        reasons=tuple(reasons),
        expected_progress=expected_progress(facts, as_of),
        reported_progress=reported_progress(facts, as_of),
        funding_coverage=funding_coverage(facts, as_of),
        overridden=overridden,
    )


# --- Dates a plan is assessed on ------------------------------------------------------------------
# A plan's activities are judged against the plan's period: a run dated ten years after it ends
# finds every activity "ended 3,625 days ago" and tells nobody anything. So no run, whoever asks
# for it, is made for a date outside the period; these functions decide which date, the same for
# every way in (the page, the API, the command, beat, a change's re-assessment).


def day_text(on: date) -> str:
    """A date as people read it in messages: 1 Feb 2016."""
    return f"{on.day} {on:%b %Y}"


def run_date_problem(*, as_of: date, period_start: date, period_end: date) -> str | None:
    """Why a run of a plan with this period may not be made as of `as_of`, or None when it may.
    The one message every way of asking for a run shows."""
    if inside(as_of, period_start, period_end):
        return None
    return (
        f"Choose a date from {day_text(period_start)} to {day_text(period_end)}, the plan's "
        f"period ({day_text(as_of)} is outside it)."
    )


def all_plans_run_date_problem(*, as_of: date, periods: list[tuple[date, date]]) -> str | None:
    """Why a run of every monitored plan may not be made as of `as_of`, given those plans'
    periods, or None. Such a run assesses each plan only if `as_of` lies inside its period, so it
    is refused when it lies inside none: it would assess nothing and look like a run that did."""
    if any(inside(as_of, start, end) for start, end in periods):
        return None
    if not periods:
        return f"No plan is monitored on {day_text(as_of)}: there is no adopted or closed plan."
    listed = "; ".join(f"{day_text(start)} to {day_text(end)}" for start, end in sorted(periods))
    return (
        f"No plan is monitored on {day_text(as_of)}: choose a date inside a plan's period "
        f"({listed})."
    )


def reassessment_date(
    *, today: date, period_start: date, period_end: date, latest: date | None
) -> date | None:
    """The date a change to an activity's facts re-assesses it as of: today inside the plan's
    period; else the plan's latest assessed date inside it (so the picture everyone sees is
    redrawn on the date they see it on); else None, nothing to re-assess on."""
    if inside(today, period_start, period_end):
        return today
    if latest is not None and inside(latest, period_start, period_end):
        return latest
    return None


def suggested_run_date(
    *, today: date, period_start: date, period_end: date, latest: date | None
) -> date:
    """The date a run request form offers: as `reassessment_date`, and for a plan never assessed
    the day of its period nearest to today (its end once it is over, its start before it
    begins)."""
    chosen = reassessment_date(
        today=today, period_start=period_start, period_end=period_end, latest=latest
    )
    return chosen or min(max(today, period_start), period_end)


def default_dashboard_date(
    *, assessed: list[date], period_start: date, period_end: date
) -> date | None:
    """The date a plan's dashboard opens on, given its assessed dates: the latest inside the
    plan's period. Dates outside it (recorded before runs were kept inside) are still listed
    and can be chosen, but a manager opening the dashboard sees the plan's own year; only when
    nothing inside was assessed is the latest of the others shown."""
    within = [on for on in assessed if inside(on, period_start, period_end)]
    if within:
        return max(within)
    return max(assessed, default=None)


def override_problems(values: Mapping[str, Any], *, set_on: date) -> dict[str, list[str]]:
    """What is wrong with a status override's input, by field: it must expire after the day it
    is set (the service refuses the same; the API reports it beside the fields' own errors)."""
    expires_on = values.get("expires_on")
    if expires_on is not None and expires_on <= set_on:
        return {"expires_on": ["An override must expire after the day it is set."]}
    return {}
