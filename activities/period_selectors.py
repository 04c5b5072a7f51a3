"""Reads of the reporting calendar: where each activity's reports stand, and the missing and late
ones of a plan (for the activity page, the dashboard and the managers' home). A fixed number of
queries whatever the number of activities and periods."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Min

from activities import periods
from activities.models import Activity, ProgressUpdate, ReportingPeriod


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


def late_reports(*, plan_id: int, today: dt.date, limit: int | None = None) -> list[LateReport]:
    """The plan's missing and late reports, most days late first (three queries: the periods,
    the plan's activities, the first submissions)."""
    found = [p for p in _periods(plan_id) if p.due_on < today]
    if not found:
        return []
    activities = list(
        Activity.objects.filter(matrix__plan_id=plan_id)
        .order_by("code", "id")
        .values_list("id", "code", "title", "start_date", "end_date")
    )
    firsts = first_submissions(plan_id=plan_id)
    late = []
    for activity_id, code, title, start, end in activities:
        for period in found:
            if not periods.reports_on(
                activity_start=start,
                activity_end=end,
                starts_on=period.starts_on,
                ends_on=period.ends_on,
            ):
                continue
            state = periods.report_state(
                opens_on=period.opens_on,
                due_on=period.due_on,
                first_submitted_on=firsts.get((activity_id, period.pk)),
                today=today,
            )
            if state.is_late:
                late.append(LateReport(activity_id, code, title, period, state))
    late.sort(key=lambda r: (-r.state.days_late, r.activity_code, r.period.starts_on))
    return late[:limit] if limit is not None else late
