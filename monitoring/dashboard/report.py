"""The printable report tab: one section per thematic area with its activities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    JSONField,
    OuterRef,
    Subquery,
    Value,
)

from activities.models import ActivityParticipation, PriorityDesignation
from activities.sensitivity import REASON_GROUPS
from activities.sensitivity_selectors import group_visible, visible_activities
from monitoring.dashboard.scope import plan_activities
from monitoring.selectors import StatusCountRow, in_effect
from partnership.models import ThematicArea


@dataclass
class ReportActivity:
    activity_id: int
    code: str
    title: str
    status: str
    reasons: list[dict]
    is_priority: bool
    lead: str


@dataclass
class ReportSection:
    area: ThematicArea
    counts: StatusCountRow
    activities: list[ReportActivity] = field(default_factory=list)

    @property
    def priorities(self) -> list[ReportActivity]:
        return [a for a in self.activities if a.is_priority]


def report_sections(
    *,
    plan_id: int,
    as_of: dt.date,
    year: int,
    areas: Sequence[ThematicArea],
    area_counts: Sequence[StatusCountRow],
    viewer: Any,
    current: bool = False,
) -> list[ReportSection]:
    """One section per thematic area with its counts (of every activity) and the activities
    `viewer` may list as they stood on `as_of` (priorities of `year` flagged), their reasons
    only where the viewer may see all the groups the reasons name. One query: the activities
    with their status, reasons, priority flag and lead organization as correlated subqueries."""
    readable = group_visible(viewer, REASON_GROUPS[0])
    for group in REASON_GROUPS[1:]:
        readable &= group_visible(viewer, group)
    priority = PriorityDesignation.objects.filter(activity_id=OuterRef("pk"), year=year)
    lead = ActivityParticipation.objects.filter(
        activity_id=OuterRef("pk"), role=ActivityParticipation.Role.LEAD
    ).values("organization__acronym")[:1]
    rows = (
        plan_activities(plan_id)
        .filter(visible_activities(viewer))
        .annotate(
            reasons_shown=ExpressionWrapper(readable, output_field=BooleanField())
            if readable
            else Value(True),
            status_on=in_effect("pk", as_of, "status", current=current),
            reasons_on=in_effect("pk", as_of, "reasons", JSONField(), current=current),
            priority_rank=Subquery(priority.values("rank")[:1]),
            lead=Subquery(lead),
        )
        .order_by("thematic_area_id", "code", "id")
        .values(
            "id",
            "code",
            "title",
            "thematic_area_id",
            "status_on",
            "reasons_on",
            "reasons_shown",
            "lead",
        )
        .annotate(rank=F("priority_rank"))
    )
    counts = {row.key: row for row in area_counts}
    sections = {
        area.pk: ReportSection(area, counts.get(area.pk) or StatusCountRow(area.pk, area.name))
        for area in areas
    }
    for row in rows:
        section = sections.get(row["thematic_area_id"])
        if section is None:
            continue
        section.activities.append(
            ReportActivity(
                activity_id=row["id"],
                code=row["code"],
                title=row["title"],
                status=row["status_on"] or "",
                reasons=(row["reasons_on"] or []) if row["reasons_shown"] else [],
                is_priority=row["rank"] is not None,
                lead=row["lead"] or "",
            )
        )
    return list(sections.values())
