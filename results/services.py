"""Every write of the results chain: objectives, outcomes, outputs, the activities' contributions
to outputs, result indicators and their measurements.

The conventions of activities.services (whose checking helpers this module shares): keyword-only
arguments, one transaction per call, every error at once as a `ValidationError`, `full_clean()`
before saving, the version named by an edit. The chain is the plan's, so managers write it;
`actor=None` is a trusted operator command (the demo loader).

A change that can move a roll-up (the chain's shape, a contribution, an indicator or its value) is
announced with activities' one change signal (`announce_facts_changed`): the activities it names
are re-assessed by a change run of their plan, and every run ends by rolling the plan's whole
chain up again. A result's own wording (title, description, order, SDG links, read live by the
pages) moves no status and is not announced. A chain with no contributing activity under the
changed objective names no activity, so nothing is announced: its results are rolled up (as not
started) by the plan's next run.

Deleting a result that still has results or contributing activities under it is refused (nothing
is deleted in cascade but its own indicators): the manager removes what hangs under it first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from activities import permissions
from activities import rules as activity_rules
from activities.exceptions import NotAllowed
from activities.models import Activity, Indicator
from activities.services import (
    _attribute,
    _claim,
    _clean,
    _save,
    _unchanged,
    announce_facts_changed,
)
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


def result_errors(
    *,
    plan: JointActionPlan,
    level: str,
    parent: Result | None,
    code: str,
    exclude_pk: int | None = None,
) -> dict[str, list[str]]:
    """What is wrong with a result's place in the chain and its code, beyond its own fields (the
    parent's level and plan, a code the plan already uses; one query). Pages and the API show
    these with the input's other errors; the services check them again."""
    errors: dict[str, list[str]] = {}
    if level in Level.values:
        errors.update(_parent_errors(Result(plan=plan, level=level), parent))
    code = code.strip()
    taken = Result.objects.filter(plan=plan, code=code).exclude(pk=exclude_pk)
    if code and taken.exists():
        errors["code"] = [f"The plan already has a result {code}."]
    return errors


def _objective_id(result: Result) -> int | None:
    """The objective at the top of the result's branch (a query for an output only)."""
    if result.level == Level.OBJECTIVE:
        return result.pk
    if result.level == Level.OUTCOME:
        return result.parent_id
    return Result.objects.filter(pk=result.parent_id).values_list("parent_id", flat=True).first()


def _announce_branch(results: Sequence[Result], *, reason: str) -> None:
    """Tell monitoring that these results' branches changed: the activities contributing under
    their objectives are re-assessed, and the run that does so rolls the plan's chain up again
    (one query, one more for each output named, and the event's)."""
    objectives = {pk for pk in map(_objective_id, results) if pk is not None}
    ids = (
        Contribution.objects.filter(output__parent__parent_id__in=objectives)
        .values_list("activity_id", flat=True)
        .distinct()
    )
    announce_facts_changed(list(ids), reason=reason)


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
    errors = result_errors(plan=plan, level=level, parent=parent, code=result.code)
    _clean(result, errors)
    _save(result, actor)
    result.sdg_targets.set(sdg_targets)
    _announce_branch([result], reason="result_created")
    return result


class ResultChanges(TypedDict, total=False):
    code: str
    title: str
    description: str
    order: int
    parent: Result


@transaction.atomic
def update_result(
    *,
    actor: Actor,
    result: Result,
    version: int | None,
    changes: ResultChanges,
    sdg_targets: Sequence[SDGTarget] | None = None,
) -> Result:
    """Edit a result still at `version` (None: any): its wording, code and SDG links, or its
    parent (another of the level above, in the same plan); its level and plan stay. Moving it
    changes two branches' roll-ups, so both are announced."""
    _may_write(actor)
    unknown = set(changes) - set(ResultChanges.__annotations__)
    if unknown:
        raise ValueError(f"update_result cannot change {sorted(unknown)}")
    if "code" in changes:
        changes = {**changes, "code": changes["code"].strip()}
    same = _unchanged(Result, pk=result.pk, expected_version=version, changes=dict(changes))
    if same is not None and sdg_targets is None:
        return same
    fresh = _claim(Result, pk=result.pk, expected_version=version)
    before = Result(pk=fresh.pk, level=fresh.level, parent_id=fresh.parent_id)
    for name, value in changes.items():
        setattr(fresh, name, value)
    errors = result_errors(
        plan=fresh.plan,
        level=fresh.level,
        parent=fresh.parent,
        code=fresh.code,
        exclude_pk=fresh.pk,
    )
    _clean(fresh, errors)
    _save(fresh, actor)
    if sdg_targets is not None:
        fresh.sdg_targets.set(sdg_targets)
    if fresh.parent_id != before.parent_id:
        _announce_branch([before, fresh], reason="result_moved")
    return fresh


def deletion_problem(result: Result) -> str | None:
    """Why the result cannot be deleted yet, or None: results or contributing activities still
    hang under it (two queries)."""
    children = Result.objects.filter(parent=result).count()
    contributions = Contribution.objects.filter(output=result).count()
    if not children and not contributions:
        return None
    parts = []
    if children:
        below = Level.OUTCOME if result.level == Level.OBJECTIVE else Level.OUTPUT
        parts.append(f"{children} {below.label.lower()}{'s' if children > 1 else ''}")
    if contributions:
        parts.append(f"{contributions} contributing activit{'ies' if contributions > 1 else 'y'}")
    return (
        f"{result.get_level_display()} {result.code} still has {' and '.join(parts)}: remove "
        "them first. Nothing was deleted."
    )


@transaction.atomic
def delete_result(*, actor: Actor, result: Result, version: int | None) -> None:
    """Delete a result still at `version` (None: any) with nothing under it; its indicators go
    with it, and its history keeps what it was. Its parent's roll-up changes, so its branch is
    announced."""
    _may_write(actor)
    fresh = _claim(Result, pk=result.pk, expected_version=version)
    if problem := deletion_problem(fresh):
        raise ValidationError({NON_FIELD_ERRORS: [problem]})
    # Announced before it goes: an output's objective is found through its parent.
    _announce_branch([fresh], reason="result_deleted")
    _attribute(fresh, actor)
    fresh.delete()


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
    errors = contribution_errors(
        output=output, activity=activity, share=share, description=contribution.description
    )
    _clean(contribution, errors)
    _save(contribution, actor)
    announce_facts_changed([activity.pk], reason="contribution_added")
    return contribution


def contribution_errors(
    *,
    output: Result,
    activity: Activity,
    share: Decimal | None,
    description: str,
    contribution: Contribution | None = None,
) -> dict[str, list[str]]:
    """What is wrong with an activity's contribution to an output (`contribution`: the one
    being edited): an output of the activity's plan, once per output, a share or words, the
    activity's shares across its outputs at most 100 % (three queries at most)."""
    errors: dict[str, list[str]] = {}
    if output.level != Level.OUTPUT:
        errors["output"] = ["Activities contribute to outputs, not to outcomes or objectives."]
    elif activity.matrix.plan_id != output.plan_id:
        errors["activity"] = [
            "The activity belongs to another plan's matrix: only activities of this plan "
            "contribute to its outputs."
        ]
    taken = Contribution.objects.filter(output=output, activity=activity)
    if contribution is None and taken.exists():
        errors["activity"] = ["This activity already contributes to this output."]
    if share is None and not description.strip():
        errors["share"] = ["Give the activity's share of the output, or describe its contribution."]
    elif share is not None and 0 < share <= 100:
        others = selectors.contribution_shares(activity_id=activity.pk, exclude_output_id=output.pk)
        if problem := rules.shares_problem(shares=[*others, share]):
            errors["share"] = [problem]
    return errors


class ContributionChanges(TypedDict, total=False):
    share: Decimal | None
    description: str


@transaction.atomic
def update_contribution(
    *,
    actor: Actor,
    contribution: Contribution,
    version: int | None,
    changes: ContributionChanges,
) -> Contribution:
    """Change a contribution still at `version` (None: any): its share or its words; its output
    and activity stay (remove it and add another instead)."""
    _may_write(actor)
    unknown = set(changes) - set(ContributionChanges.__annotations__)
    if unknown:
        raise ValueError(f"update_contribution cannot change {sorted(unknown)}")
    if "description" in changes:
        changes = {**changes, "description": changes["description"].strip()}
    same = _unchanged(
        Contribution, pk=contribution.pk, expected_version=version, changes=dict(changes)
    )
    if same is not None:
        return same
    fresh = _claim(Contribution, pk=contribution.pk, expected_version=version)
    for name, value in changes.items():
        setattr(fresh, name, value)
    errors = contribution_errors(
        output=fresh.output,
        activity=fresh.activity,
        share=fresh.share,
        description=fresh.description,
        contribution=fresh,
    )
    _clean(fresh, errors)
    _save(fresh, actor)
    announce_facts_changed([fresh.activity_id], reason="contribution_changed")
    return fresh


@transaction.atomic
def remove_contribution(*, actor: Actor, contribution: Contribution, version: int | None) -> None:
    """The activity no longer contributes to the output (its history keeps that it did)."""
    _may_write(actor)
    fresh = _claim(Contribution, pk=contribution.pk, expected_version=version)
    activity_id = fresh.activity_id
    _attribute(fresh, actor)
    fresh.delete()
    announce_facts_changed([activity_id], reason="contribution_removed")


def _indicator_errors(
    indicator: ResultIndicator, sources: Sequence[Indicator]
) -> dict[str, list[str]]:
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
    _announce_branch([result], reason="result_indicator_added")
    return indicator


class ResultIndicatorChanges(TypedDict, total=False):
    name: str
    unit: str
    kind: str
    method: str
    baseline: Decimal
    baseline_date: dt.date
    target: Decimal
    target_date: dt.date
    direction: str


@transaction.atomic
def update_result_indicator(
    *,
    actor: Actor,
    indicator: ResultIndicator,
    version: int | None,
    changes: ResultIndicatorChanges,
    sources: Sequence[Indicator] | None = None,
) -> ResultIndicator:
    """Edit a result indicator still at `version` (None: any): its definition, its method and
    the activity indicators it is computed from (`sources`: None leaves them). The method and
    the sources are checked together: a computed one needs sources of activities contributing
    below its result, one measured on its own has none."""
    _may_write(actor)
    unknown = set(changes) - set(ResultIndicatorChanges.__annotations__)
    if unknown:
        raise ValueError(f"update_result_indicator cannot change {sorted(unknown)}")
    same = _unchanged(
        ResultIndicator, pk=indicator.pk, expected_version=version, changes=dict(changes)
    )
    if same is not None and (sources is None or set(sources) == set(same.sources.all())):
        return same
    fresh = _claim(ResultIndicator, pk=indicator.pk, expected_version=version)
    for name, value in changes.items():
        setattr(fresh, name, value)
    chosen = list(fresh.sources.select_related("activity")) if sources is None else list(sources)
    _clean(fresh, _indicator_errors(fresh, chosen))
    _save(fresh, actor)
    if sources is not None:
        fresh.sources.set(sources)
    _announce_branch([fresh.result], reason="result_indicator_edited")
    return fresh


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
    _announce_branch([indicator.result], reason="result_measurement_recorded")
    return measurement
