"""Reads of the reporting calendar: where each activity's reports stand, and the missing and late
ones of a plan (for the activity page, the dashboard and the managers' home). A fixed number of
queries whatever the number of activities and periods."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import (
    Count,
    DateField,
    F,
    Min,
    Q,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, TruncDate

from activities import periods
from activities.sensitivity_selectors import visible_activities

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from activities.models import Activity, ProgressUpdate, ReportingCalendar, ReportingPeriod


@dataclass(frozen=True, slots=True)
class PeriodReport:
    period: ReportingPeriod
    state: periods.ReportState
    first_submitted_on: dt.date | None


@dataclass(frozen=True, slots=True)
class LateReport:
    activity_id: int
    activity_code: str
    activity_title: str
    period: ReportingPeriod
    state: periods.ReportState


def first_submissions(*, plan_id: int | None = None, activity_ids: list[int] | None = None) -> dict:
    """(activity id, period id) → the date its first report on the period was submitted (drafts
    do not count; a returned report was submitted), for a plan's activities or the ones named."""
    rows = ProgressUpdate.objects.filter(period__isnull=False).exclude(
        state=ProgressUpdate.State.DRAFT
    )
    if plan_id is not None:
        rows = rows.filter(period__calendar__plan_id=plan_id)
    if activity_ids is not None:
        rows = rows.filter(activity_id__in=activity_ids)
    return {
        (activity_id, period_id): first.date()
        for activity_id, period_id, first in rows.order_by()
        .values("activity_id", "period_id")
        .annotate(first=Min("submitted_at"))
        .values_list("activity_id", "period_id", "first")
    }


def has_calendar(*, plan_id: int) -> bool:
    return ReportingCalendar.objects.filter(plan_id=plan_id).exists()


def _periods(plan_id: int) -> list[ReportingPeriod]:
    return list(ReportingPeriod.objects.filter(calendar__plan_id=plan_id).order_by("starts_on"))


def activity_reports(*, activity: Activity, today: dt.date) -> list[PeriodReport]:
    """Every period the activity reports on, with where its report stands (two queries; one
    when its plan has no calendar)."""
    found = list(
        ReportingPeriod.objects.filter(calendar__plan__matrices=activity.matrix_id).order_by(
            "starts_on"
        )
    )
    if not found:
        return []
    firsts = first_submissions(activity_ids=[activity.pk])
    reports = []
    for period in found:
        if not periods.reports_on(
            activity_start=activity.start_date,
            activity_end=activity.end_date,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
        ):
            continue
        first = firsts.get((activity.pk, period.pk))
        reports.append(
            PeriodReport(
                period=period,
                state=periods.report_state(
                    opens_on=period.opens_on,
                    due_on=period.due_on,
                    first_submitted_on=first,
                    today=today,
                ),
                first_submitted_on=first,
            )
        )
    return reports


@dataclass(frozen=True, slots=True)
class LateReports:
    """The first late and missing reports of a plan, most days late first, and how many there
    are in all."""

    rows: list[LateReport]
    total: int

    @property
    def cut(self) -> bool:
        return self.total > len(self.rows)


def late_reports(
    *, plan_id: int, today: dt.date, viewer: AbstractBaseUser | AnonymousUser | None, limit: int
) -> LateReports:
    """The plan's missing and late reports as of `today` of the activities `viewer` may list
    (activities.sensitivity_selectors): the `limit` most days late, and their number (two
    queries: the periods; the late (activity, period) pairs, with their first submissions and
    their count).

    The pairs are found and ordered in the database, not by looping over every activity and
    period: a plan of 90,000 activities reporting quarterly has hundreds of thousands of them,
    and the dashboard shows the first few (docs/benchmarks.md, "Late reports"). Where each
    listed report stands is still decided by `periods.report_state`."""
    found = {p.pk: p for p in _periods(plan_id) if p.due_on < today}
    if not found:
        return LateReports(rows=[], total=0)
    period = "matrix__plan__reporting_calendar__periods"
    # Each row is one (activity, period) pair that the activity reports on and that is past due
    # (one filter() call, so that the period conditions apply to the same joined period), grouped
    # with the activity's updates to find its first submission on that period. An aggregate, not
    # a correlated subquery: the filter, the order and the result all read it, and PostgreSQL
    # computes an aggregate once per group where it would run the subquery for each of them
    # (docs/benchmarks.md, "Late reports").
    first = Min(
        "updates__submitted_at",
        filter=Q(updates__period_id=F(f"{period}__id"))
        & ~Q(updates__state=ProgressUpdate.State.DRAFT),
    )
    pairs = (
        Activity.objects.filter(visible_activities(viewer))
        .filter(
            Q(start_date__isnull=True) | Q(start_date__lte=F(f"{period}__ends_on")),
            Q(end_date__isnull=True) | Q(end_date__gte=F(f"{period}__starts_on")),
            matrix__plan_id=plan_id,
            **{f"{period}__due_on__lt": today},
        )
        .annotate(
            period_id=F(f"{period}__id"),
            period_due=F(f"{period}__due_on"),
            period_start=F(f"{period}__starts_on"),
        )
        .values("id", "code", "title", "period_id", "period_due", "period_start")
        .annotate(first=first)
        .filter(Q(first__isnull=True) | Q(first__date__gt=F("period_due")))
        .annotate(
            late_until=Coalesce(TruncDate("first"), Value(today, output_field=DateField())),
            total=Window(Count("pk")),
        )
        .order_by((F("late_until") - F("period_due")).desc(), "code", "period_start", "id")
        .values_list("id", "code", "title", "period_id", "first", "total")[:limit]
    )
    listed = list(pairs)
    rows = []
    for activity_id, code, title, period_id, first_at, _total in listed:
        found_period = found[period_id]
        state = periods.report_state(
            opens_on=found_period.opens_on,
            due_on=found_period.due_on,
            first_submitted_on=first_at.date() if first_at else None,
            today=today,
        )
        rows.append(LateReport(activity_id, code, title, found_period, state))
    return LateReports(rows=rows, total=listed[0][-1] if listed else 0)
