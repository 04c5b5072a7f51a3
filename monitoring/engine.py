"""The monitoring engine: facts of many activities in, assessments out, in bulk; at the end of a
run, the plan's results chain rolled up from them (`roll_up_plan`).

`assess_activities` handles one chunk in a fixed number of queries whatever its size (seven reads,
a lock on the chunk's activities, one upsert, one read and one update of the activities' current
status, and two more when statuses turned at risk or off track: their events).
Reads use `values_list` rather than model instances: building plain tuples is several times
faster than building models, and the rules want plain facts anyway.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from activities.models import (
    Activity,
    Event,
    FundingCommitment,
    Indicator,
    Measurement,
    Milestone,
    MonitoringStatus,
    ProgressUpdate,
)
from activities.services import KeyedEvent, record_keyed_events
from monitoring import rollup, rules
from monitoring.facts import (
    ActivityFacts,
    FundingFact,
    IndicatorFact,
    MeasurementFact,
    MilestoneFact,
    OverrideFact,
    UpdateFact,
)
from monitoring.models import Assessment, StatusOverride
from monitoring.policy import Policy
from results import selectors as results_selectors
from results.models import Contribution, ResultAssessment

# Assessment.funding_coverage is DECIMAL(10, 4); a token budget with a large grant could exceed it,
# and "more than 999,999 times covered" says all there is to say.
MAX_COVERAGE = Decimal("999999.9999")

UPSERT_FIELDS = [
    "status",
    "reasons",
    "reporting_stale",
    "expected_progress",
    "reported_progress",
    "funding_coverage",
    "overridden",
    "run",
    "updated_at",
]


@dataclass(frozen=True, slots=True)
class ChunkOutcome:
    counts: dict[str, int]

    @property
    def assessed(self) -> int:
        return sum(self.counts.values())


def _grouped(rows: Iterable[tuple]) -> dict[int, list[tuple]]:
    """Rows whose first column is the owner's id, grouped by it (order kept)."""
    groups: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        groups[row[0]].append(row)
    return groups


def _of_activities(ids: list[int], column: str) -> dict:
    """Filter arguments selecting the rows of these (sorted) activities.

    A chunk's ids are usually dense (a plan's activities are created together), and then a range
    costs two query parameters instead of one per id — building and binding hundreds of IN
    parameters seven times was a sixth of a chunk's time. Rows of other activities inside the
    range are dropped with the activities they belong to. Sparse ids keep the IN list, so a
    range never reads more than twice the rows wanted.
    """
    if ids and ids[-1] - ids[0] < 2 * len(ids):
        return {f"{column}__gte": ids[0], f"{column}__lte": ids[-1]}
    return {f"{column}__in": ids}


def load_facts(activity_ids: Sequence[int]) -> list[ActivityFacts]:
    """The facts of these activities, in seven queries whatever their number.

    Every query orders by plain columns: the models' default orderings follow foreign keys into
    Activity → ActivityMatrix → JointActionPlan and would add three joins to each read.
    """
    ids = sorted({int(activity_id) for activity_id in activity_ids})
    wanted = set(ids)
    # 1. the activities themselves
    activities = [
        row
        for row in Activity.objects.filter(**_of_activities(ids, "id"))
        .order_by("id")
        .values_list(
            "id", "code", "title", "lifecycle", "start_date", "end_date", "budget_required"
        )
        if row[0] in wanted
    ]
    # 2. milestones
    milestones = _grouped(
        Milestone.objects.filter(**_of_activities(ids, "activity_id"))
        .order_by("activity_id", "due_date", "id")
        .values_list("activity_id", "title", "due_date", "completed_on", "weight")
    )
    # 3. indicators
    indicator_rows = list(
        Indicator.objects.filter(**_of_activities(ids, "activity_id"))
        .order_by("activity_id", "id")
        .values_list(
            "activity_id",
            "id",
            "name",
            "unit",
            "baseline",
            "baseline_date",
            "target",
            "target_date",
            "direction",
        )
    )
    # 4. their measurements (one join to the indicator, to filter by activity)
    measurements = _grouped(
        Measurement.objects.filter(**_of_activities(ids, "indicator__activity_id"))
        .order_by("indicator_id", "measured_on")
        .values_list("indicator_id", "measured_on", "value")
    )
    # 5. approved progress updates: approval (the review) is when an update becomes a fact
    updates = _grouped(
        ProgressUpdate.objects.filter(
            state=ProgressUpdate.State.APPROVED, **_of_activities(ids, "activity_id")
        )
        .order_by("activity_id", "period_end", "id")
        .values_list("activity_id", "period_end", "percent_complete", "reviewed_at")
    )
    # 6. funding lines
    funding = _grouped(
        FundingCommitment.objects.filter(**_of_activities(ids, "activity_id"))
        .order_by("activity_id", "date", "id")
        .values_list("activity_id", "amount", "status", "date")
    )
    # 7. manual overrides (one join to the user, for the name shown in the reason)
    overrides = _grouped(
        StatusOverride.objects.filter(**_of_activities(ids, "activity_id"))
        .order_by("activity_id", "set_on", "id")
        .values_list("activity_id", "status", "reason", "set_on", "expires_on", "set_by__username")
    )

    # An update is approved on its review's date, in the site's time zone.
    zone = timezone.get_current_timezone()
    indicators: dict[int, list[IndicatorFact]] = defaultdict(list)
    for (
        activity_id,
        indicator_id,
        name,
        unit,
        baseline,
        b_date,
        target,
        t_date,
        direction,
    ) in indicator_rows:
        indicators[activity_id].append(
            IndicatorFact(
                name=name,
                unit=unit,
                baseline=baseline,
                baseline_date=b_date,
                target=target,
                target_date=t_date,
                direction=direction,
                measurements=tuple(
                    MeasurementFact(measured_on=on, value=value)
                    for _, on, value in measurements.get(indicator_id, ())
                ),
            )
        )

    return [
        ActivityFacts(
            activity_id=activity_id,
            code=code,
            title=title,
            lifecycle=lifecycle,
            start_date=start_date,
            end_date=end_date,
            budget_required=budget_required,
            milestones=tuple(
                MilestoneFact(title=t, due_date=due, completed_on=done, weight=weight)
                for _, t, due, done, weight in milestones.get(activity_id, ())
            ),
            indicators=tuple(indicators.get(activity_id, ())),
            approved_updates=tuple(
                UpdateFact(
                    period_end=period_end,
                    percent_complete=percent,
                    approved_on=reviewed_at.astimezone(zone).date(),
                )
                for _, period_end, percent, reviewed_at in updates.get(activity_id, ())
            ),
            funding=tuple(
                FundingFact(amount=amount, status=status, date=on)
                for _, amount, status, on in funding.get(activity_id, ())
            ),
            overrides=tuple(
                OverrideFact(
                    status=status,
                    reason=reason,
                    set_on=set_on,
                    expires_on=expires_on,
                    set_by=username or "",
                )
                for _, status, reason, set_on, expires_on, username in overrides.get(
                    activity_id, ()
                )
            ),
        )
        for activity_id, code, title, lifecycle, start_date, end_date, budget_required in activities
    ]


def _assessment(
    result: rules.AssessmentResult, *, activity_id: int, as_of: date, run_id: int | None
) -> Assessment:
    coverage = result.funding_coverage
    return Assessment(
        activity_id=activity_id,
        as_of=as_of,
        status=result.status,
        reasons=result.reasons_as_dicts(),
        expected_progress=result.expected_progress,
        reported_progress=result.reported_progress,
        funding_coverage=None if coverage is None else min(coverage, MAX_COVERAGE),
        overridden=result.overridden,
        run_id=run_id,
    )


@transaction.atomic
def assess_activities(
    activity_ids: Sequence[int],
    *,
    as_of: date,
    run_id: int | None = None,
    policy: Policy | None = None,
) -> ChunkOutcome:
    """Assess these activities as of `as_of` and store the results. Ten queries in all:

    seven reads (load_facts), one upsert of the assessments keyed
    by (activity, as_of), so the same date twice updates rather than duplicates, one read and one
    update of the current status kept on each activity, only forward in time: an older `as_of`
    never replaces a newer one. Two more (an insert and a read) when statuses turned at risk or
    off track: the events that say so.
    """
    policy = policy or Policy.from_settings()
    facts = load_facts(activity_ids)
    assessments = [
        _assessment(
            rules.assess(f, as_of, policy), activity_id=f.activity_id, as_of=as_of, run_id=run_id
        )
        for f in facts
    ]
    if not assessments:
        return ChunkOutcome(counts={})

    store_assessments(assessments, as_of=as_of)
    return ChunkOutcome(counts=dict(Counter(a.status for a in assessments)))


def store_assessments(assessments: Sequence[Assessment], *, as_of: date) -> None:
    """Write assessments of one date (two statements): upserted by (activity, as_of), then
    copied to each activity as its current status, only forward in time. The engine's runs are
    its callers, and tests that need a given history."""
    ids = [a.activity_id for a in assessments]
    for assessment in assessments:
        assessment.reporting_stale = any(
            reason.get("code") == rules.STALE_REPORTING for reason in assessment.reasons
        )
    Assessment.objects.bulk_create(
        assessments,
        update_conflicts=True,
        unique_fields=["activity", "as_of"],
        update_fields=UPSERT_FIELDS,
    )
    # The current status is copied from the rows just written (one correlated lookup each through
    # the unique (activity, as_of) index), which keeps this one statement for the whole chunk.
    written = Assessment.objects.filter(activity_id=OuterRef("pk"), as_of=as_of)
    moving = Activity.objects.filter(id__in=ids).filter(
        Q(status_as_of__isnull=True) | Q(status_as_of__lte=as_of)
    )
    before = dict(moving.values_list("id", "status"))
    moving.update(
        status=Subquery(written.values("status")[:1]),
        status_reasons=Subquery(written.values("reasons")[:1]),
        status_reporting_stale=Subquery(written.values("reporting_stale")[:1]),
        status_as_of=as_of,
    )
    _record_turns(assessments, before, as_of=as_of)


TURNS = {
    MonitoringStatus.AT_RISK: Event.Kind.STATUS_AT_RISK,
    MonitoringStatus.OFF_TRACK: Event.Kind.STATUS_OFF_TRACK,
}


def _record_turns(
    assessments: Sequence[Assessment], before: dict[int, str], *, as_of: date
) -> None:
    """An event for each activity whose current status turned at risk or off track: the engine is
    the only writer of statuses, so it is the one to say so. Keyed by activity, date and status,
    so assessing the same date again records nothing twice. No query when nothing turned, two
    when something did (activities.services.record_keyed_events)."""
    turned = []
    for assessment in assessments:
        previous = before.get(assessment.activity_id)
        kind = TURNS.get(assessment.status)
        if previous is None or kind is None or previous == assessment.status:
            continue
        turned.append(
            KeyedEvent(
                kind=kind,
                activity_id=assessment.activity_id,
                key=f"{kind}:{assessment.activity_id}:{as_of.isoformat()}",
                payload={
                    "status": assessment.status,
                    "previous": previous,
                    "as_of": as_of.isoformat(),
                },
            )
        )
    record_keyed_events(turned)


# --- The results chain --------------------------------------------------------------------------


def _result_indicator_facts(row: results_selectors.IndicatorRow) -> list[IndicatorFact]:
    """The indicator as the roll-up rule reads it, and one more per category with a target
    whose every reporting source gave it (a category some sources left out would read short):
    each category on its own line, from a baseline in proportion to its share of the target."""

    def fact(
        name: str, baseline: Decimal, target: Decimal, on: date | None, value
    ) -> IndicatorFact:
        return IndicatorFact(
            name=name,
            unit=row.unit,
            baseline=baseline,
            baseline_date=row.baseline_date,
            target=target,
            target_date=row.target_date,
            direction=row.direction,
            measurements=() if on is None else (MeasurementFact(measured_on=on, value=value),),
        )

    value = row.value
    on = None if value is None else value.measured_on
    facts = [fact(row.name, row.baseline, row.target, on, None if value is None else value.value)]
    for category in row.categories:
        if category.target is None or not category.complete or not row.target:
            continue
        baseline = (row.baseline * category.target / row.target).quantize(Decimal("0.01"))
        facts.append(
            fact(f"{row.name} — {category.label}", baseline, category.target, on, category.value)
        )
    return facts


def _incomplete(row: results_selectors.IndicatorRow) -> list[str]:
    return [
        f"Indicator '{row.name}', {c.label}: not all categories reported "
        f"({c.reported} of {c.expected} sources)."
        for c in row.categories
        if not c.complete
    ]


def roll_up_plan(
    *, plan_id: int, as_of: date, run_id: int | None = None, policy: Policy | None = None
) -> int:
    """Roll the plan's results chain up as of `as_of`, from its activities' statuses on that
    date, and store a status with reasons for each result. Returns how many were written.

    Seven queries whatever the plan's size (one when it has no chain): the results, their
    indicators with their sources and the sources' values and targets by category
    (results_selectors.indicator_rows: four, two with no computed indicator), the contributing
    activities' statuses counted by output (each
    activity's latest assessment on or before `as_of`, through the unique (activity, as_of)
    index, so an activity a change-triggered run did not touch counts with its last status), and
    one upsert keyed by (result, as_of).
    """
    policy = policy or Policy.from_settings()
    results = results_selectors.results_of_plan(plan_id=plan_id)
    if not results:
        return 0
    indicators: dict[int, list[IndicatorFact]] = defaultdict(list)
    incomplete: dict[int, list[str]] = defaultdict(list)
    for row in results_selectors.indicator_rows(plan_id=plan_id, as_of=as_of):
        indicators[row.result_id].extend(_result_indicator_facts(row))
        incomplete[row.result_id].extend(_incomplete(row))
    latest_status = (
        Assessment.objects.filter(activity_id=OuterRef("activity_id"), as_of__lte=as_of)
        .order_by("-as_of")
        .values("status")[:1]
    )
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for output_id, status, n in (
        Contribution.objects.filter(output__plan_id=plan_id)
        .annotate(activity_status=Subquery(latest_status))
        .values_list("output_id", "activity_status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[output_id][status or rollup.NOT_ASSESSED] += n
    rolled = rollup.roll_up_chain(
        results=[
            rollup.ResultFacts(
                result_id=r.id,
                parent_id=r.parent_id,
                level=r.level,
                indicators=tuple(indicators.get(r.id, ())),
                incomplete=tuple(incomplete.get(r.id, ())),
            )
            for r in results
        ],
        activity_counts=counts,
        as_of=as_of,
        policy=policy,
    )
    ResultAssessment.objects.bulk_create(
        [
            ResultAssessment(
                result_id=result_id,
                as_of=as_of,
                status=outcome.status,
                reasons=outcome.reasons_as_dicts(),
                counts=dict(outcome.counts),
                run_id=run_id,
            )
            for result_id, outcome in rolled.items()
        ],
        update_conflicts=True,
        unique_fields=["result", "as_of"],
        update_fields=["status", "reasons", "counts", "run_id", "updated_at"],
    )
    return len(rolled)
