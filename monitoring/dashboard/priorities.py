"""The priority board tab: the year's priority activities as they stood on a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import JSONField, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from activities.models import ActivityParticipation, Milestone, PriorityDesignation, ProgressUpdate
from monitoring.selectors import in_effect


def _end_of_day(on: dt.date) -> dt.datetime:
    """The first moment after `on` in the site's time zone (the engine dates approvals so)."""
    return timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))


@dataclass(frozen=True, slots=True)
class PriorityCard:
    rank: int
    activity_id: int
    code: str
    title: str
    thematic_area: str
    status: str  # "" when not assessed on or before the date
    assessed_on: dt.date | None
    reasons: list[dict]
    expected_progress: int | None
    reported_progress: int | None
    next_milestone: str | None
    next_milestone_due: dt.date | None
    last_update_period_end: dt.date | None
    last_update_percent: int | None
    organizations: list[tuple[str, str]]  # (acronym, role label), lead first
    as_of: dt.date

    @property
    def top_reasons(self) -> list[dict]:
        # The engine stores reasons worst first.
        return self.reasons[:3]

    @property
    def more_reasons(self) -> int:
        return max(len(self.reasons) - 3, 0)

    @property
    def next_milestone_overdue_days(self) -> int:
        if self.next_milestone_due is None or self.next_milestone_due >= self.as_of:
            return 0
        return (self.as_of - self.next_milestone_due).days


def priority_cards(*, plan_id: int, year: int, as_of: dt.date) -> list[PriorityCard]:
    """The plan's priority activities of `year` in rank order, as they stood on `as_of`: the
    assessment in effect, the next milestone not completed by then, the latest update approved by
    then. Two queries: the designations (activity and area joined, the rest as correlated
    subqueries) and the participations with their organizations."""
    open_milestones = (
        Milestone.objects.filter(activity_id=OuterRef("activity_id"))
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=as_of))
        .order_by("due_date", "id")
    )
    approved = ProgressUpdate.objects.filter(
        activity_id=OuterRef("activity_id"),
        state=ProgressUpdate.State.APPROVED,
        reviewed_at__lt=_end_of_day(as_of),
    ).order_by("-period_end", "-reviewed_at", "-id")
    designations = (
        PriorityDesignation.objects.filter(year=year, activity__matrix__plan_id=plan_id)
        .select_related("activity__thematic_area")
        .annotate(
            status_on=in_effect("activity_id", as_of, "status"),
            assessed_on=in_effect("activity_id", as_of, "as_of"),
            reasons_on=in_effect("activity_id", as_of, "reasons", JSONField()),
            expected_on=in_effect("activity_id", as_of, "expected_progress"),
            reported_on=in_effect("activity_id", as_of, "reported_progress"),
            milestone_title=Subquery(open_milestones.values("title")[:1]),
            milestone_due=Subquery(open_milestones.values("due_date")[:1]),
            update_period_end=Subquery(approved.values("period_end")[:1]),
            update_percent=Subquery(approved.values("percent_complete")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "activity__participations",
                queryset=ActivityParticipation.objects.select_related("organization").order_by(
                    "role", "organization__acronym"
                ),
            )
        )
        .order_by("rank", "id")
    )
    return [
        PriorityCard(
            rank=d.rank,
            activity_id=d.activity_id,
            code=d.activity.code,
            title=d.activity.title,
            thematic_area=d.activity.thematic_area.name,
            status=d.status_on or "",
            assessed_on=d.assessed_on,
            reasons=list(d.reasons_on or []),
            expected_progress=d.expected_on,
            reported_progress=d.reported_on,
            next_milestone=d.milestone_title,
            next_milestone_due=d.milestone_due,
            last_update_period_end=d.update_period_end,
            last_update_percent=d.update_percent,
            organizations=[
                (p.organization.acronym, p.get_role_display())
                for p in d.activity.participations.all()
            ],
            as_of=as_of,
        )
        for d in designations
    ]
