"""The overview tab: the status trend, every thematic area's row, and the "needs attention"
lists (activities off track or at risk, stale reports, overdue milestones), each bounded with its
total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, IntegerField, JSONField, Q, Value, When, Window
from django.db.models.functions import Lead

from activities.models import Milestone
from activities.sensitivity import REASON_GROUPS
from activities.sensitivity_selectors import group_visible, visible_activities
from monitoring import rules
from monitoring.dashboard.scope import plan_activities
from monitoring.models import Assessment
from monitoring.selectors import STATUSES, StatusCountRow, in_effect, is_current
from partnership.models import ThematicArea

# Statuses that need a manager's attention, worst first.
ATTENTION_STATUSES = ("off_track", "at_risk")
STALE_REASON = rules.STALE_REPORTING


@dataclass(frozen=True, slots=True)
class TrendPoint:
    as_of: dt.date
    counts: dict[str, int]
    unassessed: int

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + self.unassessed


def status_trend(
    *, plan_id: int, dates: Sequence[dt.date], latest: dt.date | None, last: StatusCountRow
) -> list[TrendPoint]:
    """Counts by status of the plan's activities on each of `dates`, given the plan's latest
    assessed date and `last`, the counts on a date on or after every one of `dates` (the
    dashboard's own). A date from `latest` on shows the activities' current status, so its point
    is `last`, and `last.total` is the plan's activities. Dates before `latest` take one query:
    each assessment is in effect from its date until the day before the activity's next one
    (LEAD over the (activity, as_of) index), so one pass over the plan's assessments counts every
    date, where a correlated lookup per activity and date took 4.2 s for nine dates of a
    90,000-activity plan (docs/benchmarks.md). Each point equals
    `monitoring.selectors.status_counts` for its date."""
    earlier = [on for on in dates if not is_current(as_of=on, latest=latest)]
    row = _counts_on(plan_id, earlier) if earlier else {}
    points = []
    for on in dates:
        if on in earlier:
            i = earlier.index(on)
            counts = {status: row[f"n{i}_{status}"] for status in STATUSES}
        else:
            counts = dict(last.counts)
        points.append(TrendPoint(on, counts, unassessed=last.total - sum(counts.values())))
    return points


def _counts_on(plan_id: int, dates: Sequence[dt.date]) -> dict[str, int]:
    assessments = Assessment.objects.filter(
        activity__matrix__plan_id=plan_id, as_of__lte=max(dates)
    ).annotate(
        next_as_of=Window(Lead("as_of"), partition_by=[F("activity_id")], order_by=F("as_of").asc())
    )
    aggregates = {}
    for i, on in enumerate(dates):
        in_effect_on = Q(as_of__lte=on) & (Q(next_as_of__isnull=True) | Q(next_as_of__gt=on))
        for status in STATUSES:
            aggregates[f"n{i}_{status}"] = Count("pk", filter=in_effect_on & Q(status=status))
    return assessments.order_by().aggregate(**aggregates)


def rows_for_every_area(
    areas: Sequence[ThematicArea], rows: Sequence[StatusCountRow]
) -> list[StatusCountRow]:
    """`status_counts_by_thematic_area` lists only areas with activities; the dashboard shows all
    six in their order, an empty one being a finding in itself (no query)."""
    by_id = {row.key: row for row in rows}
    return [by_id.get(area.pk) or StatusCountRow(key=area.pk, name=area.name) for area in areas]


@dataclass(frozen=True, slots=True)
class OverdueMilestone:
    milestone_id: int
    activity_id: int
    activity_code: str
    activity_title: str
    title: str
    due_date: dt.date
    days_overdue: int
    status: str


def _overdue(plan_id: int, as_of: dt.date, current: bool, viewer: Any):
    """Of the activities' milestones, only those `viewer` may see (their field group)."""
    milestones = Milestone.objects.filter(
        group_visible(viewer, "milestones", "activity__"),
        activity__matrix__plan_id=plan_id,
        due_date__lt=as_of,
    ).filter(Q(completed_on__isnull=True) | Q(completed_on__gt=as_of))
    return milestones.annotate(
        status_on=in_effect("activity_id", as_of, "status", current=current)
    ).exclude(status_on__in=("completed", "suspended"))


def overdue_milestones(
    *, plan_id: int, as_of: dt.date, viewer: Any, limit: int = 50, current: bool = False
) -> list[OverdueMilestone]:
    """Milestones due before `as_of` and not completed by then, oldest due first, of activities
    neither completed nor suspended on that date; at most `limit` of them (one query)."""
    rows = (
        _overdue(plan_id, as_of, current, viewer)
        .order_by("due_date", "activity__code", "id")
        .values(
            "id",
            "activity_id",
            "activity__code",
            "activity__title",
            "title",
            "due_date",
            "status_on",
        )[:limit]
    )
    return [
        OverdueMilestone(
            milestone_id=row["id"],
            activity_id=row["activity_id"],
            activity_code=row["activity__code"],
            activity_title=row["activity__title"],
            title=row["title"],
            due_date=row["due_date"],
            days_overdue=(as_of - row["due_date"]).days,
            status=row["status_on"] or "",
        )
        for row in rows
    ]


def overdue_milestones_total(
    *, plan_id: int, as_of: dt.date, viewer: Any, current: bool = False
) -> int:
    """How many milestones `overdue_milestones` would list without a limit (one query)."""
    return _overdue(plan_id, as_of, current, viewer).count()


@dataclass(frozen=True, slots=True)
class AttentionItem:
    activity_id: int
    code: str
    title: str
    status: str
    reasons: list[dict]

    def reasons_with_code(self, code: str) -> list[dict]:
        return [reason for reason in self.reasons if reason.get("code") == code]


def _attention(plan_id: int, as_of: dt.date, current: bool, viewer: Any):
    """The activities listed with their reasons: only those whose reasons `viewer` may read (the
    reasons name milestones, indicators, reports and money: all four groups)."""
    readable = visible_activities(viewer)
    for group in REASON_GROUPS:
        readable &= group_visible(viewer, group)
    return (
        plan_activities(plan_id)
        .filter(readable)
        .annotate(
            status_on=in_effect("pk", as_of, "status", current=current),
            reasons_on=in_effect("pk", as_of, "reasons", JSONField(), current=current),
        )
        .filter(status_on__in=ATTENTION_STATUSES)
    )


def _attention_items(rows, limit: int) -> list[AttentionItem]:
    ordered = rows.annotate(
        worst=Case(
            *(When(status_on=s, then=Value(i)) for i, s in enumerate(ATTENTION_STATUSES)),
            output_field=IntegerField(),
        )
    ).order_by("worst", "code", "id")
    return [
        AttentionItem(row["id"], row["code"], row["title"], row["status_on"], row["reasons_on"])
        for row in ordered.values("id", "code", "title", "status_on", "reasons_on")[:limit]
    ]


def needing_attention(
    *, plan_id: int, as_of: dt.date, viewer: Any, limit: int = 50, current: bool = False
) -> list[AttentionItem]:
    """The plan's activities off track or at risk on `as_of` whose reasons `viewer` may read,
    off track first then by code, at most `limit` of them with the reasons their assessment gave
    (one query; how many there are in all is `attention_total`)."""
    return _attention_items(_attention(plan_id, as_of, current, viewer), limit)


def attention_total(*, plan_id: int, as_of: dt.date, viewer: Any, current: bool = False) -> int:
    """How many activities `needing_attention` would list without a limit (one query). Not the
    plan's status counts, which count every activity: a total must not reveal an activity the
    viewer may not list, nor differ from the list it heads."""
    return _attention(plan_id, as_of, current, viewer).count()


def stale_reports(
    *, plan_id: int, as_of: dt.date, viewer: Any, limit: int = 50, current: bool = False
) -> tuple[list[tuple[AttentionItem, dict]], int]:
    """Of the activities needing attention, those whose assessment found reporting stale (the
    engine judged staleness, with the policy's thresholds), each with that reason, at most
    `limit`, and how many in all (two queries)."""
    rows = (
        _attention(plan_id, as_of, current, viewer)
        .annotate(stale_on=in_effect("pk", as_of, "reporting_stale", current=current))
        .filter(stale_on=True)
    )
    found = [
        (item, reason)
        for item in _attention_items(rows, limit)
        for reason in item.reasons_with_code(STALE_REASON)[:1]
    ]
    return found, rows.count()
