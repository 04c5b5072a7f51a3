"""Reads of the home pages (`/` after sign-in): what waits for a liaison officer, and the updates
waiting for a manager's approval. Each in a fixed number of queries (stated per function), and
each list bounded, with its total beside it.

The date the milestone lists are read against is the caller's (`on`): the demo replays 2016
while today is years later, so "due in the next 30 days" is counted from the date the plan is
in, not from the wall clock (monitoring.views_home chooses it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from django.db.models import Count, Q, Window

from activities import periods
from activities.models import (
    Activity,
    ActivityParticipation,
    Milestone,
    ProgressUpdate,
    ReportingPeriod,
)
from activities.period_selectors import first_submissions

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# How far ahead "due soon" looks (issue 16: "milestones due in the next 30 days").
DUE_SOON_DAYS = 30
# How many reports still to come a home lists per activity: the one due next and the one after
# (the period the day lies in and the next, or the period just ended and the current one).
NEXT_REPORTS = 2
# Rows per list on a home page; the totals say how many there are.
HOME_LIMIT = 50

# The states of one's own updates a home lists, in the order it lists them: what needs work
# first (returned, with the reviewer's note), then drafts, then what waits for a manager.
OWN_UPDATE_STATES = (
    ProgressUpdate.State.RETURNED,
    ProgressUpdate.State.DRAFT,
    ProgressUpdate.State.SUBMITTED,
)


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Bounded(Generic[T]):
    """The first rows of a list and how many there are in all."""

    rows: list[T]
    total: int

    @property
    def cut(self) -> bool:
        return self.total > len(self.rows)


def bounded(queryset, limit: int | None) -> Bounded:
    """The first `limit` (None: HOME_LIMIT) rows and how many there are in all, in one query: the
    total is a window count over every match, which the database works out before the LIMIT."""
    rows = list(queryset.annotate(bounded_total=Window(Count("pk")))[: limit or HOME_LIMIT])
    return Bounded(rows=rows, total=rows[0].bounded_total if rows else 0)


def organization_activities(
    *, organization_id: int, plan_id: int | None, limit: int | None = None
) -> Bounded[ActivityParticipation]:
    """The organization's part in each activity of the plan (None: of every plan), by activity
    code, each with its activity and thematic area (one query)."""
    parts = (
        ActivityParticipation.objects.filter(organization_id=organization_id)
        .select_related("activity__thematic_area")
        .order_by("activity__code", "activity_id")
    )
    if plan_id is not None:
        parts = parts.filter(activity__matrix__plan_id=plan_id)
    return bounded(parts, limit)


def own_updates(*, author: AbstractBaseUser, limit: int | None = None) -> Bounded[ProgressUpdate]:
    """The author's returned, draft and submitted updates, in that order, newest change first
    within each, with activity and reviewer (one query). Approved ones are done
    and are not listed."""
    updates = (
        ProgressUpdate.objects.filter(author=author, state__in=OWN_UPDATE_STATES)
        .select_related("activity", "reviewer")
        .order_by("-updated_at", "-id")
    )
    found = bounded(updates, limit)
    found.rows.sort(key=lambda u: OWN_UPDATE_STATES.index(u.state))  # stable: newest stays first
    return found


@dataclass(frozen=True, slots=True)
class MilestoneDue:
    milestone: Milestone
    days: int  # days until due (0: due on the date), or negative: days overdue

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def days_overdue(self) -> int:
        return -self.days


def milestones_due(
    *, organization_id: int, plan_id: int | None, on: dt.date, limit: int | None = None
) -> Bounded[MilestoneDue]:
    """Open milestones (not completed by `on`) of the activities the organization takes part in,
    due before `on` (overdue) or within DUE_SOON_DAYS after it, oldest due first, with their
    activity (one query)."""
    milestones = (
        Milestone.objects.filter(
            activity__participations__organization_id=organization_id,
            due_date__lte=on + dt.timedelta(days=DUE_SOON_DAYS),
        )
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=on))
        .select_related("activity")
        .order_by("due_date", "activity__code", "id")
    )
    if plan_id is not None:
        milestones = milestones.filter(activity__matrix__plan_id=plan_id)
    found = bounded(milestones, limit)
    return Bounded(
        rows=[MilestoneDue(m, (m.due_date - on).days) for m in found.rows], total=found.total
    )


def waiting_for_approval(*, limit: int | None = None) -> Bounded[ProgressUpdate]:
    """Submitted updates, oldest submission first, with activity and author (one query)."""
    updates = (
        ProgressUpdate.objects.filter(state=ProgressUpdate.State.SUBMITTED)
        .select_related("activity", "author")
        .order_by("submitted_at", "id")
    )
    return bounded(updates, limit)


@dataclass(frozen=True, slots=True)
class ReportDue:
    period: ReportingPeriod
    state: periods.ReportState
    current: bool  # the period the day lies in
    days: int  # days until due (0: due on the day), or negative: days late


@dataclass(frozen=True, slots=True)
class ActivityReports:
    """What one activity owes: its next reports and its missing ones. One row per activity, so
    that a long backlog of missing reports does not push the reports due next off the page."""

    activity_id: int
    activity_code: str
    activity_title: str
    next: list[ReportDue]  # the next NEXT_REPORTS not yet submitted, soonest due first
    late: list[ReportDue]  # missing (past due, never submitted), most days late first

    @property
    def days_late(self) -> int:
        return self.late[0].state.days_late if self.late else 0


def reports_owed(
    *, organization_id: int, plan_id: int, on: dt.date, limit: int | None = None
) -> Bounded[ActivityReports]:
    """The reports the organization's activities of the plan owe as of `on`, per activity:
    its next NEXT_REPORTS not yet submitted, and every missing one. Activities with the most
    days late first, then soonest due; activities owing nothing are left out. Reports
    submitted, late or not, are done and are not listed. Three queries: the plan's periods, the
    organization's activities in it, their first submissions; one when the plan has no
    calendar."""
    found = list(
        ReportingPeriod.objects.filter(calendar__plan_id=plan_id).order_by("starts_on", "id")
    )
    if not found:
        return Bounded(rows=[], total=0)
    activities = list(
        Activity.objects.filter(
            matrix__plan_id=plan_id, participations__organization_id=organization_id
        )
        .order_by("code", "id")
        .values_list("id", "code", "title", "start_date", "end_date")
    )
    firsts = first_submissions(plan_id=plan_id, activity_ids=[row[0] for row in activities])
    owed: list[ActivityReports] = []
    for activity_id, code, title, start, end in activities:
        coming: list[ReportDue] = []
        late: list[ReportDue] = []
        for period in found:
            if (activity_id, period.pk) in firsts or not periods.reports_on(
                activity_start=start,
                activity_end=end,
                starts_on=period.starts_on,
                ends_on=period.ends_on,
            ):
                continue
            state = periods.report_state(
                opens_on=period.opens_on, due_on=period.due_on, first_submitted_on=None, today=on
            )
            report = ReportDue(
                period=period,
                state=state,
                current=period.starts_on <= on <= period.ends_on,
                days=(period.due_on - on).days,
            )
            if state.is_late:
                late.append(report)
            elif len(coming) < NEXT_REPORTS:
                coming.append(report)
        if coming or late:
            owed.append(ActivityReports(activity_id, code, title, coming, late))
    owed.sort(key=lambda a: (-a.days_late, a.next[0].days if a.next else 0, a.activity_code))
    cut = limit or HOME_LIMIT
    return Bounded(rows=owed[:cut], total=len(owed))
