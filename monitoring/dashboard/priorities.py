"""The priority board tab: the year's priority activities as they stood on a date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import JSONField, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from activities.models import ActivityParticipation, Milestone, PriorityDesignation, ProgressUpdate
from activities.sensitivity_selectors import partner_flag, sight_of, visible_activities
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


def priority_cards(*, plan_id: int, year: int, as_of: dt.date, viewer: Any) -> list[PriorityCard]:
    """The plan's priority activities of `year` that `viewer` may list, in rank order, as they
    stood on `as_of`: the assessment in effect, the next milestone not completed by then, the
    latest update approved by then — each left out where `viewer` may not see its field group
    (the reasons: all those they name). Two queries: the designations (activity, area and tiers
    joined, the rest as correlated subqueries) and the participations with their
    organizations."""
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
        .filter(visible_activities(viewer, "activity__"))
        .select_related("activity__thematic_area", "activity__disclosure")
        .annotate(
            viewer_is_partner=partner_flag(viewer, "activity__"),
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
    cards = []
    for d in designations:
        d.activity.viewer_is_partner = d.viewer_is_partner
        sight = sight_of(viewer, d.activity)
        milestones, progress = sight.sees("milestones"), sight.sees("progress")
        cards.append(_card(d, as_of, sight.sees_reasons, milestones, progress))
    return cards


def _card(d, as_of: dt.date, reasons: bool, milestones: bool, progress: bool) -> PriorityCard:
    return PriorityCard(
        rank=d.rank,
        activity_id=d.activity_id,
        code=d.activity.code,
        title=d.activity.title,
        thematic_area=d.activity.thematic_area.name,
        status=d.status_on or "",
        assessed_on=d.assessed_on,
        reasons=list(d.reasons_on or []) if reasons else [],
        expected_progress=d.expected_on if progress else None,
        reported_progress=d.reported_on if progress else None,
        next_milestone=d.milestone_title if milestones else None,
        next_milestone_due=d.milestone_due if milestones else None,
        last_update_period_end=d.update_period_end if progress else None,
        last_update_percent=d.update_percent if progress else None,
        organizations=[
            (p.organization.acronym, p.get_role_display()) for p in d.activity.participations.all()
        ],
        as_of=as_of,
    )
