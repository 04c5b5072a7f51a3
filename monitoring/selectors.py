"""Reads of monitoring data, each in a constant number of queries (stated per function).

"Status as of a date" always means the latest assessment on or before that date, so a portfolio
can be seen as it stood on any day, including days between two runs. On or after the plan's
latest assessed date that is the status the engine keeps on each activity (it moves it only
forward in time), an indexed column: the readers take a `current` flag saying so
(`is_current`), and then read no assessment at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery

from activities.models import Activity, ActivityParticipation, MonitoringStatus
from monitoring import rules
from monitoring.models import Assessment
from partnership.models import ActivityMatrix, JointActionPlan

STATUSES: tuple[str, ...] = tuple(status.value for status in MonitoringStatus)

# Plans whose activities are monitored: adopted ones, and closed ones for dates in their period
# (replaying a finished year); drafts never are.
MONITORED_PLAN_STATES = (JointActionPlan.State.ADOPTED, JointActionPlan.State.CLOSED)


@dataclass
class StatusCountRow:
    """Counts by status for one group (a thematic area, an organization, a whole plan)."""

    key: int | None
    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    # Activities with no assessment on or before the date.
    unassessed: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + self.unassessed

    def add(self, status: str | None, n: int) -> None:
        if status in self.counts:
            self.counts[status] += n
        else:
            self.unassessed += n


def plans_monitored_on(as_of: date) -> QuerySet[JointActionPlan]:
    """Plans whose activities an all-plans run assesses as of `as_of` (one query when read)."""
    return JointActionPlan.objects.filter(
        state__in=MONITORED_PLAN_STATES, period_start__lte=as_of, period_end__gte=as_of
    )


def plans_due_for_daily_run(today: date) -> QuerySet[JointActionPlan]:
    """Adopted plans whose period includes today; a plan whose period ended keeps its last
    picture (one query when read)."""
    return JointActionPlan.objects.filter(
        state=JointActionPlan.State.ADOPTED, period_start__lte=today, period_end__gte=today
    ).order_by("id")


def activity_ids_in_scope(*, plan_id: int | None, as_of: date) -> list[int]:
    """The activities a run assesses: one plan's, or every monitored plan's (one query)."""
    activities = Activity.objects.all()
    if plan_id is None:
        activities = activities.filter(matrix__plan__in=plans_monitored_on(as_of))
    else:
        activities = activities.filter(matrix__plan_id=plan_id)
    return list(activities.order_by("id").values_list("id", flat=True))


def activity_ids_by_plan(activity_ids: Sequence[int]) -> dict[int, list[int]]:
    """These activities grouped by their plan, plans and activities in id order (one query)."""
    grouped: dict[int, list[int]] = {}
    rows = (
        Activity.objects.filter(id__in=set(activity_ids))
        .order_by("matrix__plan_id", "id")
        .values_list("matrix__plan_id", "id")
    )
    for plan_id, activity_id in rows:
        grouped.setdefault(plan_id, []).append(activity_id)
    return grouped


def status_history(
    *, activity_id: int, date_from: date | None = None, date_to: date | None = None
) -> QuerySet[Assessment]:
    """An activity's assessments, oldest first, optionally within [date_from, date_to] (one
    query)."""
    history = Assessment.objects.filter(activity_id=activity_id)
    if date_from is not None:
        history = history.filter(as_of__gte=date_from)
    if date_to is not None:
        history = history.filter(as_of__lte=date_to)
    return history.order_by("as_of")


# The assessment's columns that the engine also keeps on the activity, as its current status.
_ON_ACTIVITY = {
    "status": "status",
    "reasons": "status_reasons",
    "as_of": "status_as_of",
    "reporting_stale": "status_reporting_stale",
}


def in_effect(
    activity_ref: str,
    as_of: date,
    column: str = "status",
    output_field=None,
    *,
    current: bool = False,
) -> Subquery | F:
    """One column of the assessment in effect on `as_of` for the activity `activity_ref` names
    ("pk", or the path to an activity id such as "activity_id"): a correlated lookup through the
    unique (activity, as_of) index, or, when `current` (see `is_current`), the copy the engine
    keeps on the activity. None or "" when it has none."""
    if current and column in _ON_ACTIVITY:
        prefix = "" if activity_ref == "pk" else activity_ref.removesuffix("_id") + "__"
        return F(prefix + _ON_ACTIVITY[column])
    latest = (
        Assessment.objects.filter(activity_id=OuterRef(activity_ref), as_of__lte=as_of)
        .order_by("-as_of")
        .values(column)[:1]
    )
    return Subquery(latest, output_field=output_field) if output_field else Subquery(latest)


def _rows(grouped, key: str, name: str) -> list[StatusCountRow]:
    rows: dict[int | None, StatusCountRow] = {}
    for item in grouped:
        row = rows.setdefault(item[key], StatusCountRow(key=item[key], name=item[name] or ""))
        row.add(item["status_on"], item["n"])
    return sorted(rows.values(), key=lambda row: (row.name, row.key or 0))


def sum_rows(rows: Iterable[StatusCountRow], *, key: int | None, name: str = "") -> StatusCountRow:
    """One row adding up `rows` (no query): the plan's counts from its thematic areas' rows, for
    a page that shows both, since every activity lies in exactly one area."""
    total = StatusCountRow(key=key, name=name)
    for row in rows:
        for status, n in row.counts.items():
            total.counts[status] += n
        total.unassessed += row.unassessed
    return total


def status_counts(*, plan_id: int, as_of: date, current: bool = False) -> StatusCountRow:
    """How many of the plan's activities stood at each status on `as_of` (one query)."""
    grouped = (
        Activity.objects.filter(matrix__plan_id=plan_id)
        .annotate(status_on=in_effect("pk", as_of, current=current))
        .values("status_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    row = StatusCountRow(key=plan_id, name="")
    for item in grouped:
        row.add(item["status_on"], item["n"])
    return row


def status_counts_by_thematic_area(
    *, plan_id: int, as_of: date, current: bool = False
) -> list[StatusCountRow]:
    """Counts by status for each thematic area that has activities in the plan (one query)."""
    grouped = (
        Activity.objects.filter(matrix__plan_id=plan_id)
        .annotate(status_on=in_effect("pk", as_of, current=current))
        .values("thematic_area_id", "thematic_area__name", "status_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _rows(grouped, "thematic_area_id", "thematic_area__name")


def status_counts_by_organization(
    *, plan_id: int, as_of: date, role: str | None = None, current: bool = False
) -> list[StatusCountRow]:
    """Counts by status for each organization taking part in the plan's activities, through
    ActivityParticipation (optionally in one role only); an activity counts once for each of
    its organizations (one query)."""
    participations = ActivityParticipation.objects.filter(activity__matrix__plan_id=plan_id)
    if role is not None:
        participations = participations.filter(role=role)
    grouped = (
        participations.annotate(status_on=in_effect("activity_id", as_of, current=current))
        .values("organization_id", "organization__acronym", "status_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _rows(grouped, "organization_id", "organization__acronym")


def latest_assessed_on(*, plan_id: int) -> date | None:
    """The most recent date any of the plan's activities was assessed as of: the latest of the
    dates the engine keeps on each activity with its status (one query). Read per matrix from
    the (matrix, status_as_of) index, newest first, one entry each: a MAX over the plan's join
    read all of a large plan's activities (26 ms at 90,000, docs/benchmarks.md)."""
    newest = (
        Activity.objects.filter(matrix=OuterRef("pk"), status_as_of__isnull=False)
        .order_by("-status_as_of")
        .values("status_as_of")[:1]
    )
    return (
        ActivityMatrix.objects.filter(plan_id=plan_id)
        .annotate(newest=Subquery(newest))
        .aggregate(latest=Max("newest"))["latest"]
    )


def reassessment_dates(*, plan_ids: Sequence[int], today: date) -> dict[int, date | None]:
    """The date to re-assess each plan's changed activities as of (`rules.reassessment_date`):
    today when it lies inside the plan's period; otherwise the plan's latest assessed date inside
    it; otherwise None, nothing to re-assess on (one query). A plan is never assessed outside its
    period because someone edited it years later. Dates an older version recorded outside the
    period are passed over, so they cannot pull a re-assessment out of the period either."""
    assessed = "matrices__activities__status_as_of"
    plans = JointActionPlan.objects.filter(pk__in=plan_ids).annotate(
        latest=Max(
            assessed,
            filter=Q(
                **{f"{assessed}__gte": F("period_start"), f"{assessed}__lte": F("period_end")}
            ),
        )
    )
    return {
        plan.pk: rules.reassessment_date(
            today=today,
            period_start=plan.period_start,
            period_end=plan.period_end,
            latest=plan.latest,
        )
        for plan in plans
    }


def run_date_problem(*, plan_id: int | None, as_of: date) -> str | None:
    """Why a run of this plan (None: of every monitored plan) may not be made as of `as_of`, or
    None when it may (one query). The check every way of asking for a run goes through, in
    `services.request_run`; the message is `rules.run_date_problem`'s."""
    if plan_id is None:
        periods = list(
            JointActionPlan.objects.filter(state__in=MONITORED_PLAN_STATES).values_list(
                "period_start", "period_end"
            )
        )
        return rules.all_plans_run_date_problem(as_of=as_of, periods=periods)
    period = JointActionPlan.objects.filter(pk=plan_id).values_list("period_start", "period_end")
    found = period.first()
    if found is None:
        return None  # no such plan: the run's own validation says so
    return rules.run_date_problem(as_of=as_of, period_start=found[0], period_end=found[1])


def is_current(*, as_of: date, latest: date | None) -> bool:
    """Whether the status in effect on `as_of` is each activity's current status: nothing of the
    plan was assessed after `as_of` (see the module's docstring)."""
    return latest is None or as_of >= latest
