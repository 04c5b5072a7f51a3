"""The page where managers set a plan's reporting calendar (monthly, quarterly or custom
periods), showing the periods it has now. Thin: the form checks the input, the service
`activities.services.set_reporting_calendar` checks it again and writes, naming the calendar's
fingerprint as the page read it, so a calendar someone changed meanwhile is not overwritten."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from activities import periods, permissions, services
from activities.exceptions import ConflictError
from activities.forms_calendar import ReportingCalendarForm, periods_as_text
from activities.models import ReportingCalendar, ReportingPeriod
from partnership.forms import add_service_errors
from partnership.models import JointActionPlan

CONFLICT_CALENDAR = (
    "Someone else changed this plan's reporting calendar since you opened the page. Nothing was "
    "saved; the page now shows the calendar as it is. Check it, then make your change again."
)


def _current(plan: JointActionPlan) -> tuple[ReportingCalendar | None, list[ReportingPeriod]]:
    """The plan's calendar and its periods (two queries; one without a calendar)."""
    calendar = ReportingCalendar.objects.filter(plan=plan).first()
    if calendar is None:
        return None, []
    return calendar, list(calendar.periods.order_by("starts_on"))


def _fresh_form(
    plan: JointActionPlan, calendar: ReportingCalendar | None, rows: list[ReportingPeriod]
) -> ReportingCalendarForm:
    initial = {"fingerprint": services.calendar_fingerprint(calendar, rows)}
    if calendar is not None:
        initial.update(
            frequency=calendar.frequency,
            due_after_days=calendar.due_after_days,
            opens_before_days=calendar.opens_before_days,
        )
        if calendar.frequency == ReportingCalendar.Frequency.CUSTOM:
            initial["custom_periods"] = periods_as_text(
                [
                    periods.PeriodSpec(r.label, r.starts_on, r.ends_on, r.opens_on, r.due_on)
                    for r in rows
                ]
            )
    return ReportingCalendarForm(initial=initial, plan=plan)


@require_http_methods(["GET", "POST"])
def reporting_calendar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.is_manager(request.user):
        raise PermissionDenied("Only managers set reporting calendars.")
    plan = get_object_or_404(JointActionPlan, pk=pk)
    calendar, rows = _current(plan)
    status, conflict = 200, None
    form = _fresh_form(plan, calendar, rows)
    if request.method == "POST":
        form = ReportingCalendarForm(request.POST, plan=plan)
        status = 400
        if form.is_valid():
            try:
                services.set_reporting_calendar(
                    actor=request.user, plan=plan, **form.fields_for_service()
                )
            except ConflictError:
                calendar, rows = _current(plan)
                form = _fresh_form(plan, calendar, rows)
                conflict, status = CONFLICT_CALENDAR, 409
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"The reporting calendar of {plan.title} is saved.")
                return redirect(reverse("activities:reporting-calendar", args=[plan.pk]))
    return render(
        request,
        "activities/reporting_calendar_form.html",
        {
            "nav": "framework",
            "plan": plan,
            "calendar": calendar,
            "periods": rows,
            "form": form,
            "conflict": conflict,
        },
        status=status,
    )
