"""Every write of the results chain: objectives, outcomes, outputs, the activities' contributions
to outputs, result indicators and their measurements.

The conventions of activities.services (whose checking helpers this module shares): keyword-only
arguments, one transaction per call, every error at once as a `ValidationError`, `full_clean()`
before saving, the version named by an edit. The chain is the plan's, so managers write it;
`actor=None` is a trusted operator command (the demo loader).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db import transaction

from activities import permissions
from activities import rules as activity_rules
from activities.exceptions import NotAllowed
from activities.models import Activity, Indicator
from activities.services import _claim, _clean, _save, _unchanged
from partnership.models import JointActionPlan, SDGTarget
from results import rules, selectors
from results.models import (
    Contribution,
    Level,
    Result,
    ResultIndicator,
    ResultMeasurement,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    Actor = AbstractBaseUser | None


def _may_write(actor: Actor) -> None:
    if actor is not None and not permissions.is_manager(actor):
        raise NotAllowed("Only managers may change a plan's results chain.")


def _parent_errors(result: Result, parent: Result | None) -> dict[str, list[str]]:
    problem = rules.parent_problem(
        level=result.level,
        parent_level=None if parent is None else parent.level,
        same_plan=parent is None or parent.plan_id == result.plan_id,
    )
    return {"parent": [problem]} if problem else {}


@transaction.atomic
def create_result(
    *,
    actor: Actor,
    plan: JointActionPlan,
    level: str,
    code: str,
    title: str,
    parent: Result | None = None,
    description: str = "",
    order: int = 0,
    sdg_targets: Sequence[SDGTarget] = (),
    is_illustrative: bool = False,
) -> Result:
    """An objective of the plan, an outcome under an objective or an output under an outcome."""
    _may_write(actor)
    result = Result(
        plan=plan,
        parent=parent,
        level=level,
        code=code.strip(),
        title=title.strip(),
        description=description,
        order=order,
        is_illustrative=is_illustrative,
    )
    errors = _parent_errors(result, parent) if level in Level.values else {}
    if Result.objects.filter(plan=plan, code=result.code).exists():
        errors["code"] = [f"The plan already has a result {result.code}."]
    _clean(result, errors)
    _save(result, actor)
    result.sdg_targets.set(sdg_targets)
    return result


class ResultChanges(TypedDict, total=False):
    title: str
    description: str
    order: int


@transaction.atomic
def update_result(
    *,
    actor: Actor,
    result: Result,
    version: int | None,
    changes: ResultChanges,
    sdg_targets: Sequence[SDGTarget] | None = None,
) -> Result:
    """Edit a result still at `version` (None: any); its level, plan and parent stay."""
    _may_write(actor)
    unknown = set(changes) - set(ResultChanges.__annotations__)
    if unknown:
        raise ValueError(f"update_result cannot change {sorted(unknown)}")
    same = _unchanged(Result, pk=result.pk, expected_version=version, changes=dict(changes))
    if same is not None and sdg_targets is None:
        return same
    fresh = _claim(Result, pk=result.pk, expected_version=version)
    for name, value in changes.items():
        setattr(fresh, name, value)
    _clean(fresh)
    _save(fresh, actor)
    if sdg_targets is not None:
        fresh.sdg_targets.set(sdg_targets)
    return fresh


@transaction.atomic
def add_contribution(
    *,
    actor: Actor,
    output: Result,
    activity: Activity,
    share: Decimal | None = None,
    description: str = "",
) -> Contribution:
    """The activity contributes to the output: a share of it (percent; an activity's shares add
    up to at most 100 %) or the contribution in words, or both."""
    _may_write(actor)
    contribution = Contribution(
        output=output, activity=activity, share=share, description=description.strip()
    )
    errors: dict[str, list[str]] = {}
    if output.level != Level.OUTPUT:
        errors["output"] = ["Activities contribute to outputs, not to outcomes or objectives."]
    elif activity.matrix.plan_id != output.plan_id:
        errors["activity"] = ["The activity belongs to another plan's matrix."]
    if Contribution.objects.filter(output=output, activity=activity).exists():
        errors["activity"] = ["This activity already contributes to this output."]
    if share is None and not contribution.description:
        errors["share"] = ["Give the activity's share of the output, or describe its contribution."]
    elif share is not None and 0 < share <= 100:
        others = selectors.contribution_shares(activity_id=activity.pk)
        if problem := rules.shares_problem(shares=[*others, share]):
            errors["share"] = [problem]
    _clean(contribution, errors)
    contribution.save()
    return contribution


def _indicator_errors(indicator: ResultIndicator, sources: Sequence[Indicator]):
    fields = ("kind", "baseline", "target", "direction", "baseline_date", "target_date")
    errors = activity_rules.indicator_errors({name: getattr(indicator, name) for name in fields})
    computed = indicator.method != ResultIndicator.Method.MEASURED
    if computed and not sources:
        errors.setdefault("sources", []).append(
            "A computed indicator needs the activity indicators it is computed from."
        )
    if not computed and sources:
        errors.setdefault("sources", []).append(
            "An indicator measured on its own has no source indicators."
        )
    if computed and sources:
        below = _activity_ids_below(indicator.result)
        outside = sorted(s.activity.code for s in sources if s.activity_id not in below)
        if outside:
            errors.setdefault("sources", []).append(
                "Only indicators of activities contributing to this result can be its sources; "
                f"not those of {', '.join(outside)}."
            )
    return errors


def _activity_ids_below(result: Result) -> set[int]:
    """The activities contributing to the result's outputs (one query)."""
    outputs = Result.objects.filter(plan_id=result.plan_id)
    if result.level == Level.OUTPUT:
        outputs = outputs.filter(pk=result.pk)
    elif result.level == Level.OUTCOME:
        outputs = outputs.filter(parent_id=result.pk)
    else:
        outputs = outputs.filter(parent__parent_id=result.pk)
    return set(
        Contribution.objects.filter(output__in=outputs).values_list("activity_id", flat=True)
    )


@transaction.atomic
def add_result_indicator(
    *,
    actor: Actor,
    result: Result,
    name: str,
    unit: str,
    baseline: Decimal,
    baseline_date: dt.date,
    target: Decimal,
    target_date: dt.date,
    direction: str,
    kind: str = Indicator.Kind.NUMBER,
    method: str = ResultIndicator.Method.MEASURED,
    sources: Sequence[Indicator] = (),
) -> ResultIndicator:
    """An indicator of an objective, outcome or output: measured on its own, or computed from
    indicators of the activities below the result (sum, average or latest)."""
    _may_write(actor)
    indicator = ResultIndicator(
        result=result,
        name=name,
        unit=unit,
        kind=kind,
        method=method,
        baseline=baseline,
        baseline_date=baseline_date,
        target=target,
        target_date=target_date,
        direction=direction,
    )
    _clean(indicator, _indicator_errors(indicator, sources))
    _save(indicator, actor)
    indicator.sources.set(sources)
    return indicator


@transaction.atomic
def record_result_measurement(
    *,
    actor: Actor,
    indicator: ResultIndicator,
    measured_on: dt.date,
    value: Decimal,
    note: str = "",
) -> ResultMeasurement:
    """One value per day of an indicator measured on its own."""
    _may_write(actor)
    measurement = ResultMeasurement(
        indicator=indicator, measured_on=measured_on, value=value, note=note, recorded_by=actor
    )
    errors = activity_rules.measurement_errors({"value": value}, kind=indicator.kind)
    if indicator.method != ResultIndicator.Method.MEASURED:
        errors.setdefault("indicator", []).append(
            "This indicator is computed from its activities' indicators; record their values."
        )
    if indicator.measurements.filter(measured_on=measured_on).exists():
        errors["measured_on"] = ["A value is already recorded for this indicator on this day."]
    _clean(measurement, errors)
    _save(measurement, actor)
    return measurement
