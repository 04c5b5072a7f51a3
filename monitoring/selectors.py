"""Reads of monitoring data, each in a constant number of queries (stated per function).

"Status as of a date" always means the latest assessment on or before that date, so a portfolio
can be seen as it stood on any day, including days between two runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery

from activities.models import Activity, ActivityParticipation, MonitoringStatus
from monitoring.models import Assessment, MonitoringRun, PlanAssessedDate
from partnership.models import JointActionPlan

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


def plan_ids_of_activities(activity_ids: Sequence[int]) -> list[int]:
    """The plans these activities belong to, in id order (one query)."""
    return list(
        Activity.objects.filter(id__in=activity_ids)
        .order_by("matrix__plan_id")
        .values_list("matrix__plan_id", flat=True)
        .distinct()
    )


def current_assessment(*, activity_id: int, as_of: date) -> Assessment | None:
    """The latest assessment on or before `as_of` (one query, through the unique index)."""
    return (
        Assessment.objects.filter(activity_id=activity_id, as_of__lte=as_of)
        .order_by("-as_of")
        .first()
    )


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


def _status_on(activity_ref: str, as_of: date) -> Subquery:
    latest = (
        Assessment.objects.filter(activity_id=OuterRef(activity_ref), as_of__lte=as_of)
        .order_by("-as_of")
        .values("status")[:1]
    )
    return Subquery(latest)


def _rows(grouped, key: str, name: str) -> list[StatusCountRow]:
    rows: dict[int | None, StatusCountRow] = {}
    for item in grouped:
        row = rows.setdefault(item[key], StatusCountRow(key=item[key], name=item[name] or ""))
        row.add(item["status_on"], item["n"])
    return sorted(rows.values(), key=lambda row: (row.name, row.key or 0))


def status_counts(*, plan_id: int, as_of: date) -> StatusCountRow:
    """How many of the plan's activities stood at each status on `as_of` (one query)."""
    grouped = (
        Activity.objects.filter(matrix__plan_id=plan_id)
        .annotate(status_on=_status_on("pk", as_of))
        .values("status_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    row = StatusCountRow(key=plan_id, name="")
    for item in grouped:
        row.add(item["status_on"], item["n"])
    return row


def status_counts_by_thematic_area(*, plan_id: int, as_of: date) -> list[StatusCountRow]:
    """Counts by status for each thematic area that has activities in the plan (one query)."""
    grouped = (
        Activity.objects.filter(matrix__plan_id=plan_id)
        .annotate(status_on=_status_on("pk", as_of))
        .values("thematic_area_id", "thematic_area__name", "status_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _rows(grouped, "thematic_area_id", "thematic_area__name")


def status_counts_by_organization(
    *, plan_id: int, as_of: date, role: str | None = None
) -> list[StatusCountRow]:
    """Counts by status for each organization taking part in the plan's activities, through
    ActivityParticipation (optionally in one role only); an activity counts once for each of
    its organizations (one query)."""
    participations = ActivityParticipation.objects.filter(activity__matrix__plan_id=plan_id)
    if role is not None:
        participations = participations.filter(role=role)
    grouped = (
        participations.annotate(status_on=_status_on("activity_id", as_of))
        .values("organization_id", "organization__acronym", "status_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _rows(grouped, "organization_id", "organization__acronym")


def latest_assessed_on(*, plan_id: int) -> date | None:
    """The most recent date any of the plan's activities was assessed as of (one query, on the
    per-date counts the assessment triggers keep rather than the plan's assessments)."""
    return PlanAssessedDate.objects.filter(plan_id=plan_id, assessments__gt=0).aggregate(
        latest=Max("as_of")
    )["latest"]


def recent_runs(*, limit: int = 50) -> QuerySet[MonitoringRun]:
    """The latest runs with their plan and requester (one query)."""
    return MonitoringRun.objects.select_related("plan", "requested_by").order_by(
        "-created_at", "-id"
    )[:limit]
