"""A plan's reporting calendar in the REST API v1: read it with where each report stands
(`GET`), set it (`PUT`, managers): monthly, quarterly, or custom periods. Thin: the service
`activities.services.set_reporting_calendar` writes, `activities.period_selectors` reads."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from activities import period_selectors, periods, permissions, services
from activities.models import ReportingCalendar, ReportingPeriod
from partnership.api.common import ERROR_RESPONSES, READ_ERRORS, VALIDATION_ERROR
from partnership.api.inputs import DateField, validated
from partnership.limits import ID_MAX
from partnership.models import JointActionPlan

# A large plan has hundreds of thousands of late (activity, period) pairs: the answer lists the
# first ones and says how many there are.
LATE_REPORTS_LIMIT = 100


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingPeriod
        fields = ["id", "label", "starts_on", "ends_on", "opens_on", "due_on"]


class LateReportSerializer(serializers.Serializer):
    activity = serializers.IntegerField(source="activity_id")
    activity_code = serializers.CharField()
    period = serializers.CharField(source="period.label")
    due_on = serializers.DateField(source="period.due_on")
    state = serializers.CharField(source="state.state", help_text="missing or submitted_late")
    days_late = serializers.IntegerField(source="state.days_late")


class CalendarSerializer(serializers.Serializer):
    frequency = serializers.ChoiceField(choices=ReportingCalendar.Frequency.choices)
    due_after_days = serializers.IntegerField()
    opens_before_days = serializers.IntegerField()
    periods = PeriodSerializer(many=True)
    late_reports = LateReportSerializer(
        many=True,
        help_text=(
            f"The plan's missing and late reports as of today, most days late first: the first "
            f"{LATE_REPORTS_LIMIT} (late_reports_total says how many there are)."
        ),
    )
    late_reports_total = serializers.IntegerField()


class CustomPeriodInput(serializers.Serializer):
    label = serializers.CharField(max_length=60)
    starts_on = DateField()
    ends_on = DateField()
    opens_on = DateField()
    due_on = DateField()


class CalendarInputSerializer(serializers.Serializer):
    frequency = serializers.ChoiceField(choices=ReportingCalendar.Frequency.choices)
    due_after_days = serializers.IntegerField(min_value=0, max_value=365, default=15)
    opens_before_days = serializers.IntegerField(min_value=0, max_value=365, default=0)
    periods = CustomPeriodInput(
        many=True, required=False, help_text="The periods of a custom calendar."
    )


class PlanReportingCalendarView(generics.GenericAPIView):
    """The plan's reporting calendar: its periods, each with its submission window and due date,
    and the plan's late and missing reports."""

    serializer_class = CalendarSerializer

    def _answer(self, calendar: ReportingCalendar) -> Response:
        late = period_selectors.late_reports(
            plan_id=calendar.plan_id,
            today=timezone.localdate(),
            viewer=self.request.user,
            limit=LATE_REPORTS_LIMIT,
        )
        data = {
            "frequency": calendar.frequency,
            "due_after_days": calendar.due_after_days,
            "opens_before_days": calendar.opens_before_days,
            "periods": calendar.periods.order_by("starts_on"),
            "late_reports": late.rows,
            "late_reports_total": late.total,
        }
        return Response(CalendarSerializer(data).data)

    @extend_schema(responses={200: CalendarSerializer, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        if pk > ID_MAX:  # no such id; the database would refuse to compare it
            raise NotFound()
        calendar = get_object_or_404(ReportingCalendar, plan_id=pk)
        return self._answer(calendar)

    @extend_schema(
        request=CalendarInputSerializer,
        responses={200: CalendarSerializer, 400: VALIDATION_ERROR, **ERROR_RESPONSES},
    )
    def put(self, request: Request, pk: int) -> Response:
        if pk > ID_MAX:
            raise NotFound()
        plan = get_object_or_404(JointActionPlan, pk=pk)
        if not permissions.is_manager(request.user):
            raise PermissionDenied("Only managers set reporting calendars.")
        data = validated(CalendarInputSerializer, request.data)
        custom = [periods.PeriodSpec(**spec) for spec in data.pop("periods", [])]
        calendar = services.set_reporting_calendar(
            actor=request.user, plan=plan, custom_periods=custom, **data
        )
        return self._answer(calendar)


urlpatterns = [
    path(
        "plans/<int:pk>/reporting-calendar/",
        PlanReportingCalendarView.as_view(),
        name="plan-reporting-calendar",
    ),
]
