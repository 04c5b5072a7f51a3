"""The managers' home: the activities of a plan that turned off track or at risk with their latest
assessment. The other lists of that page are the overview tab's (stale reports) and the
activities app's (updates waiting for approval)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery, Window

from monitoring.dashboard.overview import ATTENTION_STATUSES
from monitoring.dashboard.scope import plan_activities
from monitoring.models import Assessment


@dataclass(frozen=True, slots=True)
class Turned:
    activity_id: int
    code: str
    title: str
    status: str
    previous: str  # "" when this was the activity's first assessment
    as_of: dt.date
    reasons: list[dict]


def turned_worse(*, plan_id: int, limit: int = 50) -> tuple[list[Turned], int]:
    """The plan's activities whose current status is off track or at risk and whose assessment
    before it said something else (or nothing: a first assessment), off track first, then by code;
    at most `limit`, and how many in all (one query: the total is a window count over every
    match). "Since the last run" is read per activity: its latest assessment against the
    one before it, so an activity a change re-assessed between two plan runs counts too."""
    previous = (
        Assessment.objects.filter(activity_id=OuterRef("pk"), as_of__lt=OuterRef("status_as_of"))
        .order_by("-as_of")
        .values("status")[:1]
    )
    rows = (
        plan_activities(plan_id)
        .filter(status__in=ATTENTION_STATUSES)
        .annotate(previous=Subquery(previous))
        .filter(
            Q(previous__isnull=True)
            | ~Q(previous__in=ATTENTION_STATUSES)
            | Q(status="off_track", previous="at_risk")
        )
    )
    # off_track sorts before at_risk alphabetically: "worst first" needs no CASE.
    found = list(
        rows.annotate(total=Window(Count("pk")))
        .order_by("-status", "code", "id")
        .values(
            "id", "code", "title", "status", "previous", "status_as_of", "status_reasons", "total"
        )[:limit]
    )
    turned = [
        Turned(
            activity_id=row["id"],
            code=row["code"],
            title=row["title"],
            status=row["status"],
            previous=row["previous"] or "",
            as_of=row["status_as_of"],
            reasons=row["status_reasons"],
        )
        for row in found
    ]
    return turned, found[0]["total"] if found else 0
