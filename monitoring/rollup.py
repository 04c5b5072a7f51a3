"""The roll-up rule of the results chain: pure functions from the statuses below a result (its
activities for an output, its outputs for an outcome, its outcomes for an objective) and its own
indicators to a status with reasons ("2 of 5 outputs off track").

No ORM and no clock, like monitoring.rules, whose Reason, severities and indicator rule it
shares: an output's indicator off its line is the same finding as an activity's. The engine
(monitoring.engine.roll_up_plan) loads the facts and stores what this returns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from monitoring.facts import IndicatorFact
from monitoring.policy import Policy
from monitoring.rules import (
    AT_RISK,
    COMPLETED,
    CRITICAL,
    INFO,
    NOT_STARTED,
    OFF_TRACK,
    ON_TRACK,
    SUSPENDED,
    WARNING,
    Reason,
    indicator_reason,
    worst_status,
)

# What a result's children are called, by the result's level.
CHILDREN = {
    "output": ("activity", "activities"),
    "outcome": ("output", "outputs"),
    "objective": ("outcome", "outcomes"),
}
# The order statuses are listed in a summary.
_ORDER = (OFF_TRACK, AT_RISK, ON_TRACK, NOT_STARTED, COMPLETED, SUSPENDED)
NOT_ASSESSED = ""


@dataclass(frozen=True, slots=True)
class ResultFacts:
    """One result of the chain as the rule reads it. `indicators` carry one measurement each:
    the indicator's value on the date (measured, or computed from its activities')."""

    result_id: int
    parent_id: int | None
    level: str  # objective | outcome | output
    indicators: tuple[IndicatorFact, ...] = ()
    # Categories of its indicators that not every source reported, said as they are shown.
    incomplete: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RollUp:
    status: str
    reasons: tuple[Reason, ...]
    counts: Mapping[str, int] = field(default_factory=dict)

    def reasons_as_dicts(self) -> list[dict[str, str]]:
        return [reason.as_dict() for reason in self.reasons]


def _share(part: int, whole: int) -> Decimal:
    return Decimal(part) / Decimal(whole)


def _label(status: str) -> str:
    return status.replace("_", " ")


def roll_up(*, level: str, counts: Mapping[str, int], policy: Policy) -> RollUp:
    """A result's status from how many of its children have each status (NOT_ASSESSED: a child
    with no assessment by the date, left out of the shares).

    - off track: the share of assessed children off track is above `rollup_off_track_share`;
    - at risk: any child off track, or the share at risk or off track is above
      `rollup_at_risk_share`;
    - completed / not started / suspended: every assessed child is; otherwise on track.
    "Above" everywhere: a share equal to a threshold passes.
    """
    one, many = CHILDREN[level]
    counts = {status: n for status, n in counts.items() if n}
    total = sum(counts.values())
    if total == 0:
        what = "No activity contributes yet." if level == "output" else f"No {many} yet."
        return RollUp(NOT_STARTED, (Reason("rollup_empty", INFO, what),), {})
    unassessed = counts.get(NOT_ASSESSED, 0)
    assessed = total - unassessed
    noun = one if total == 1 else many
    parts = [f"{counts[s]} {_label(s)}" for s in _ORDER if counts.get(s)]
    if unassessed:
        parts.append(f"{unassessed} not assessed")
    reasons = [Reason("rollup_summary", INFO, f"{total} {noun}: {', '.join(parts)}.")]
    if assessed == 0:
        return RollUp(NOT_STARTED, tuple(reasons), counts)

    off, risk = counts.get(OFF_TRACK, 0), counts.get(AT_RISK, 0)
    of = f"of {assessed} {many if assessed != 1 else one}"
    if off:
        severity = CRITICAL if _share(off, assessed) > policy.rollup_off_track_share else WARNING
        reasons.append(Reason("rollup_off_track", severity, f"{off} {of} off track."))
    if risk:
        trouble = _share(off + risk, assessed) > policy.rollup_at_risk_share
        reasons.append(
            Reason("rollup_at_risk", WARNING if trouble else INFO, f"{risk} {of} at risk.")
        )
    status = worst_status(reasons)
    if status == ON_TRACK:
        for uniform in (COMPLETED, NOT_STARTED, SUSPENDED):
            if counts.get(uniform, 0) == assessed:
                status = uniform
    return RollUp(status, tuple(reasons), counts)


def assess_result(
    *, facts: ResultFacts, counts: Mapping[str, int], as_of: date, policy: Policy
) -> RollUp:
    """The roll-up, worsened by the result's own indicators off their line, each category with
    a target on its own line too (worst reason wins); categories not all sources reported are
    said, without changing the status."""
    rolled = roll_up(level=facts.level, counts=counts, policy=policy)
    found = [indicator_reason(indicator, as_of, policy) for indicator in facts.indicators]
    findings = tuple(reason for reason in found if reason is not None) + tuple(
        Reason("categories_incomplete", INFO, message) for message in facts.incomplete
    )
    if not findings:
        return rolled
    reasons = rolled.reasons + findings
    worst = worst_status(list(reasons))
    status = worst if worst != ON_TRACK else rolled.status
    return RollUp(status, reasons, rolled.counts)


def roll_up_chain(
    *,
    results: Sequence[ResultFacts],
    activity_counts: Mapping[int, Mapping[str, int]],
    as_of: date,
    policy: Policy,
) -> dict[int, RollUp]:
    """Every result of a plan, bottom up: outputs from their activities' statuses
    (`activity_counts`, by output id), outcomes from their outputs', objectives from their
    outcomes'."""
    done: dict[int, RollUp] = {}
    for level, child_level in (("output", None), ("outcome", "output"), ("objective", "outcome")):
        below: dict[int, Counter[str]] = {}
        for child in results:
            if child.level == child_level and child.parent_id is not None:
                below.setdefault(child.parent_id, Counter())[done[child.result_id].status] += 1
        for result in results:
            if result.level == level:
                counts = (
                    activity_counts.get(result.result_id, {})
                    if child_level is None
                    else below.get(result.result_id, {})
                )
                done[result.result_id] = assess_result(
                    facts=result, counts=counts, as_of=as_of, policy=policy
                )
    return done
