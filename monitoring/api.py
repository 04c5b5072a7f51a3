"""The monitoring part of the REST API v1: status history, monitoring runs, the status summary of
a plan, status overrides. Thin views over monitoring.selectors and monitoring.services; routes at
the bottom, mounted by config.api_urls."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from activities import permissions
from activities.api.serializers import ReasonSerializer
from activities.models import Activity, MonitoringStatus
from monitoring import rules, selectors, services
from monitoring.exceptions import BrokerUnavailable
from monitoring.models import Assessment, MonitoringRun, StatusOverride
from partnership.api.common import (
    ERROR_RESPONSES,
    READ_ERRORS,
    VALIDATION_ERROR,
    content_etag,
)
from partnership.api.inputs import DateField, IdField, query, validated
from partnership.limits import NOTE_MAX
from partnership.models import JointActionPlan

# --- serializers ---------------------------------------------------------------------------------


class AssessmentSerializer(serializers.ModelSerializer):
    reasons = ReasonSerializer(many=True)
    run = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Assessment
        fields = [
            "as_of",
            "status",
            "reasons",
            "expected_progress",
            "reported_progress",
            "funding_coverage",
            "overridden",
            "run",
        ]


class MonitoringRunSerializer(serializers.ModelSerializer):
    requested_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Activities assessed, by status."
    )
    seconds = serializers.FloatField(allow_null=True, help_text="How long the run took.")

    class Meta:
        model = MonitoringRun
        fields = [
            "id",
            "plan",
            "as_of",
            "trigger",
            "state",
            "requested_by",
            "note",
            "chunks_total",
            "chunks_done",
            "activities_assessed",
            "counts",
            "created_at",
            "started_at",
            "finished_at",
            "seconds",
            "error",
        ]


class RunRequestSerializer(serializers.Serializer):
    plan = serializers.PrimaryKeyRelatedField(
        queryset=JointActionPlan.objects.all(),
        allow_null=True,
        required=False,
        help_text="The plan to assess; null or absent: every plan monitored on `as_of`.",
    )
    as_of = DateField(required=False, help_text="Default: today.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class StatusCountsSerializer(serializers.Serializer):
    key = serializers.IntegerField(allow_null=True, help_text="Id of the area or organization.")
    name = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField())
    unassessed = serializers.IntegerField(help_text="Activities not yet assessed by that date.")
    total = serializers.IntegerField()


class SummarySerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    as_of = serializers.DateField()
    all_activities = StatusCountsSerializer(
        help_text="Every activity of the plan, whatever its area or organization."
    )
    by_thematic_area = StatusCountsSerializer(many=True)
    by_organization = StatusCountsSerializer(many=True)


class StatusOverrideSerializer(serializers.ModelSerializer):
    set_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = StatusOverride
        fields = ["id", "activity", "status", "reason", "set_by", "set_on", "expires_on"]


class StatusOverrideInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MonitoringStatus.choices)
    reason = serializers.CharField(max_length=NOTE_MAX)
    set_on = DateField(required=False, help_text="Default: today.")
    expires_on = DateField(
        required=False, allow_null=True, help_text="First day it no longer applies."
    )


# --- views ----------------------------------------------------------------------------------------


class StatusHistoryQuery(serializers.Serializer):
    # `from` is a keyword: declared through the fields dict below.
    to = DateField(required=False, help_text="Assessments as of this date or earlier.")

    def get_fields(self) -> dict:
        fields = super().get_fields()
        fields["from"] = DateField(
            required=False, help_text="Assessments as of this date or later."
        )
        return fields


class RunListQuery(serializers.Serializer):
    plan = IdField(required=False, help_text="Only runs of this plan.")
    state = serializers.ChoiceField(choices=MonitoringRun.State.choices, required=False)


class SummaryQuery(serializers.Serializer):
    plan = IdField(help_text="The plan's id.")
    as_of = DateField(required=False, help_text="Default: today.")


@extend_schema(parameters=[StatusHistoryQuery])
class StatusHistoryView(generics.ListAPIView):
    """An activity's assessments through time, oldest first: status and the reasons for it."""

    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()  # for the schema; get_queryset reads

    def get_queryset(self):
        activity = get_object_or_404(Activity, pk=self.kwargs["pk"])
        params = query(StatusHistoryQuery, self.request)
        return selectors.status_history(
            activity_id=activity.pk, date_from=params.get("from"), date_to=params.get("to")
        )


class MonitoringRunListView(generics.ListAPIView):
    """Monitoring runs, newest first; request one (managers)."""

    serializer_class = MonitoringRunSerializer

    @extend_schema(parameters=[RunListQuery])  # the list's filters, not the request's
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        runs = MonitoringRun.objects.select_related("requested_by").order_by("-created_at", "-id")
        params = query(RunListQuery, self.request)
        if "plan" in params:
            runs = runs.filter(plan_id=params["plan"])
        if "state" in params:
            runs = runs.filter(state=params["state"])
        return runs

    @extend_schema(
        request=RunRequestSerializer,
        responses={
            202: OpenApiResponse(
                MonitoringRunSerializer, description="Queued; poll the run's URL (Location)."
            ),
            400: VALIDATION_ERROR,
            **ERROR_RESPONSES,
            503: OpenApiResponse(
                description="The task queue (Redis) is unavailable; nothing was queued. "
                "Try again later (see Retry-After)."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        if not permissions.can_request_monitoring_run(request.user):
            raise PermissionDenied("Only managers request monitoring runs.")
        serializer = RunRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        plan = data.get("plan")
        as_of = data.get("as_of") or timezone.localdate()
        try:
            run = services.request_run(
                plan_id=plan.pk if plan else None,
                as_of=as_of,
                trigger=MonitoringRun.Trigger.API,
                requested_by=request.user,
                note=data.get("note", ""),
            )
        except DjangoValidationError as exc:
            # request_run refuses only what the request itself names (a date outside the plan's
            # period): the page form's 400 on `as_of` (issue 15), not a rule's 422.
            raise serializers.ValidationError(exc.message_dict) from None
        except BrokerUnavailable as exc:
            return Response(
                {"detail": str(exc)},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": "30"},
            )
        run = MonitoringRun.objects.select_related("requested_by").get(pk=run.pk)
        location = reverse("api:monitoring-run-detail", kwargs={"pk": run.pk})
        return Response(
            MonitoringRunSerializer(run).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": request.build_absolute_uri(location)},
        )


@extend_schema(responses={200: MonitoringRunSerializer, **READ_ERRORS})
class MonitoringRunDetailView(generics.RetrieveAPIView):
    """One run: its state, chunks done of total, counts by status, timings, error."""

    serializer_class = MonitoringRunSerializer
    queryset = MonitoringRun.objects.select_related("requested_by")

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        data = self.get_serializer(self.get_object()).data
        return Response(data, headers={"ETag": content_etag(data)})


@extend_schema(
    parameters=[SummaryQuery],
    responses={200: SummarySerializer, 400: VALIDATION_ERROR, **READ_ERRORS},
)
class MonitoringSummaryView(generics.GenericAPIView):
    """How many of a plan's activities stood at each status on a date: all of them, per thematic
    area and per organization (each activity's latest assessment on or before that date)."""

    serializer_class = SummarySerializer

    def get(self, request: Request) -> Response:
        params = query(SummaryQuery, request)
        plan = get_object_or_404(JointActionPlan, pk=params["plan"])
        as_of = params.get("as_of") or timezone.localdate()
        # The dashboard's selectors: page and API read the same figures.
        current = selectors.is_current(
            as_of=as_of, latest=selectors.latest_assessed_on(plan_id=plan.pk)
        )
        scope = {"plan_id": plan.pk, "as_of": as_of, "current": current}
        by_area = selectors.status_counts_by_thematic_area(**scope)
        data = {
            "plan": plan.pk,
            "as_of": as_of,
            # Every activity lies in one thematic area: the plan's counts are the areas' sum.
            "all_activities": selectors.sum_rows(by_area, key=plan.pk),
            "by_thematic_area": by_area,
            "by_organization": selectors.status_counts_by_organization(**scope),
        }
        return Response(SummarySerializer(data).data)


class StatusOverrideListView(generics.ListAPIView):
    """A manager's statuses set by hand on an activity, with reasons; set one (managers)."""

    serializer_class = StatusOverrideSerializer
    queryset = StatusOverride.objects.none()  # for the schema; get_queryset reads

    def get_queryset(self):
        activity = get_object_or_404(Activity, pk=self.kwargs["pk"])
        return (
            StatusOverride.objects.filter(activity=activity)
            .select_related("set_by")
            .order_by("-set_on", "-id")
        )

    @extend_schema(
        request=StatusOverrideInputSerializer,
        responses={201: StatusOverrideSerializer, 400: VALIDATION_ERROR, **ERROR_RESPONSES},
    )
    def post(self, request: Request, pk: int) -> Response:
        activity = get_object_or_404(Activity, pk=pk)
        if not permissions.can_set_override(request.user, activity):
            raise PermissionDenied("Only managers set status overrides.")
        data = validated(
            StatusOverrideInputSerializer,
            request.data,
            rules=lambda values: rules.override_problems(
                values, set_on=values.get("set_on") or timezone.localdate()
            ),
        )
        override = services.set_status_override(
            activity_id=activity.pk, set_by=request.user, **data
        )
        return Response(StatusOverrideSerializer(override).data, status=status.HTTP_201_CREATED)


class StatusOverrideEndView(generics.GenericAPIView):
    """End an override from today (managers); the activity is re-assessed."""

    serializer_class = StatusOverrideSerializer

    @extend_schema(request=None, responses={200: StatusOverrideSerializer, **ERROR_RESPONSES})
    def post(self, request: Request, pk: int) -> Response:
        override = get_object_or_404(StatusOverride.objects.select_related("activity"), pk=pk)
        if not permissions.can_set_override(request.user, override.activity):
            raise PermissionDenied("Only managers end status overrides.")
        override = services.end_status_override(override_id=override.pk)
        return Response(StatusOverrideSerializer(override).data)


urlpatterns = [
    path(
        "activities/<int:pk>/status-history/",
        StatusHistoryView.as_view(),
        name="activity-status-history",
    ),
    path(
        "activities/<int:pk>/status-overrides/",
        StatusOverrideListView.as_view(),
        name="activity-status-overrides",
    ),
    path(
        "status-overrides/<int:pk>/end/",
        StatusOverrideEndView.as_view(),
        name="status-override-end",
    ),
    path("monitoring-runs/", MonitoringRunListView.as_view(), name="monitoring-run-list"),
    path(
        "monitoring-runs/<int:pk>/",
        MonitoringRunDetailView.as_view(),
        name="monitoring-run-detail",
    ),
    path("monitoring/summary/", MonitoringSummaryView.as_view(), name="monitoring-summary"),
]
