"""An activity's status history through the year, as a page and as a fragment the activity page
loads into itself (the activities app links here by URL name and never imports monitoring).

Assessments of consecutive dates with the same status are shown as one period, as a status
page shows flips rather than every check: a year of daily runs reads as a handful of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from activities.models import Activity, MonitoringStatus
from activities.sensitivity import REASONS_WITHHELD
from activities.sensitivity_selectors import sight_of, visible_activities, with_sight
from monitoring import selectors
from monitoring.models import Assessment

STRIP_WIDTH, STRIP_HEIGHT = 600, 28
STATUS_LABELS = dict(MonitoringStatus.choices)


@dataclass
class Period:
    """A run of assessments with one status. It starts on its first assessment and lasts until
    the day before the next period starts (the status in effect on a day is the latest
    assessment on or before it), the last one until its own last assessment: `end`, which the
    table shows and the strip draws up to, through that day."""

    status: str
    start: dt.date
    end: dt.date
    assessments: int = 1
    reasons: list[dict] = field(default_factory=list)  # of the latest assessment in the period
    overridden: bool = False
    x: float = 0.0
    width: float = 0.0

    @property
    def label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


def status_periods(assessments: Sequence[Assessment]) -> list[Period]:
    """Merge consecutive assessments (oldest first) that share a status into periods."""
    periods: list[Period] = []
    for assessment in assessments:
        last = periods[-1] if periods else None
        if last is not None and last.status != assessment.status:
            last.end = assessment.as_of - dt.timedelta(days=1)
        if last is not None and last.status == assessment.status:
            last.end = assessment.as_of
            last.assessments += 1
            last.reasons = list(assessment.reasons or [])
            last.overridden = last.overridden or assessment.overridden
        else:
            periods.append(
                Period(
                    status=assessment.status,
                    start=assessment.as_of,
                    end=assessment.as_of,
                    reasons=list(assessment.reasons or []),
                    overridden=assessment.overridden,
                )
            )
    return periods


def place_on_strip(periods: list[Period], *, first: dt.date, last: dt.date) -> None:
    """Give each period its x and width on a strip spanning the days [first, last]: from the
    start of its first day to the end of its last, the dates its row in the table gives."""
    days = max((last - first).days + 1, 1)
    for period in periods:
        start = min(max((period.start - first).days, 0), days - 1)
        end = min(max((period.end - first).days + 1, start + 1), days)
        period.x = round(STRIP_WIDTH * start / days, 1)
        period.width = round(STRIP_WIDTH * (end - start) / days, 1)


def month_ticks(year: int) -> list[dict]:
    """The first day of each month placed on the strip of `year`."""
    first = dt.date(year, 1, 1)
    days = (dt.date(year, 12, 31) - first).days + 1
    return [
        {
            "x": round(STRIP_WIDTH * (dt.date(year, month, 1) - first).days / days, 1),
            "label": dt.date(year, month, 1).strftime("%b"),
        }
        for month in range(1, 13)
    ]


def _context(request: HttpRequest, activity_id: int) -> dict:
    # A restricted activity the reader takes no part in does not exist for them; the reasons
    # name milestones, indicators, reports and money: only for who may see all of those
    # (activities.sensitivity). The tiers and the partnership are read with the activity.
    activity = (
        with_sight(Activity.objects.filter(visible_activities(request.user)), request.user)
        .filter(pk=activity_id)
        .prefetch_related("participations")
        .first()
    )
    if activity is None:
        raise Http404("No such activity.")
    sees_reasons = sight_of(request.user, activity).sees_reasons
    assessments = list(selectors.status_history(activity_id=activity_id))
    years = sorted({a.as_of.year for a in assessments}, reverse=True)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        year = years[0] if years else None
    shown = [a for a in assessments if a.as_of.year == year]
    periods = status_periods(shown)
    if not sees_reasons:
        for period in periods:
            withheld = [{"severity": "info", "message": REASONS_WITHHELD}]
            period.reasons = withheld if period.reasons else []
    if year is not None:
        place_on_strip(periods, first=dt.date(year, 1, 1), last=dt.date(year, 12, 31))
    months = month_ticks(year) if year is not None else []
    return {
        "activity": activity,
        "year": year,
        "years": years,
        "periods": periods,
        "months": months,
        "assessment_count": len(shown),
        "strip_width": STRIP_WIDTH,
        "strip_height": STRIP_HEIGHT,
    }


@require_GET
def activity_status_history(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The page. Queries: the activity, its assessments (plus session, user, profile)."""
    context = _context(request, activity_id)
    context["nav"] = "activities"
    return render(request, "monitoring/status_history.html", context)


@require_GET
def activity_status_history_fragment(request: HttpRequest, activity_id: int) -> HttpResponse:
    """The same content without the page around it, for the activity page to load in place."""
    return render(
        request, "monitoring/status_history_fragment.html", _context(request, activity_id)
    )
