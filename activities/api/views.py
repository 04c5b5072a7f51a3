"""The activities API. Thin views: check the per-object permission (activities.permissions),
validate the input, call a service or selector, shape the output.

Permission checks come first, so a person who may not write gets 403 whatever they send; the
services check again, so no other caller can skip them. Domain errors become responses in
config.api.exception_handler: a service's ValidationError → 422, ConflictError → 412,
InvalidTransition → 409.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django_filters import CharFilter, OrderingFilter
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import ChoiceField, Serializer

from activities import history, permissions, rules, selectors, services
from activities.api import serializers as s
from activities.api.concurrency import edit_version, etag_for, if_match_version
from activities.filters import ActivityFilter
from activities.matrix import selectors as matrix_selectors
from activities.models import (
    Activity,
    Indicator,
    Measurement,
    Milestone,
    PriorityDesignation,
    ProgressUpdate,
)
from activities.sensitivity import FIELD_GROUPS
from activities.sensitivity_selectors import group_visible, sight_of, visible_activities
from partnership.api.common import (
    EDIT_ERRORS,
    ERROR_RESPONSES,
    READ_ERRORS,
    VALIDATION_ERROR,
    content_etag,
)
from partnership.api.inputs import (
    IdField,
    IntegerField,
    Rules,
    query,
    refuse_empty,
    refuse_repeated,
    validated,
)
from partnership.models import JointActionPlan

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description='The ETag of the version you edited, e.g. `"v3"` (or send `version` in the body). '
    "A stale one gets 412 and nothing is written.",
)
IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match",
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Optional: the ETag of the version you reviewed; a stale one gets 412.",
)
# The list's filters that take a number or a choice: empty is neither (django-filter would skip
# the filter and list everything). Text filters (a search, a code) may be empty, as the schema says.
ACTIVITY_FILTERS_WITH_VALUES = frozenset(
    name
    for name, field in ActivityFilter.base_filters.items()
    if not isinstance(field, CharFilter | OrderingFilter)  # an empty ordering is the default
)
ACTIVITY_FILTER_LISTS = frozenset({"status"})  # repeated for several

WRITE_ERRORS = {
    400: VALIDATION_ERROR,
    **ERROR_RESPONSES,
}
TRANSITION_ERRORS = {
    **WRITE_ERRORS,
    409: OpenApiResponse(OpenApiTypes.OBJECT, description="Not allowed in the update's state."),
    412: EDIT_ERRORS[412],
}


def _ensure(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _may_edit(request: Request, activity: Activity) -> None:
    _ensure(
        permissions.can_edit_activity(request.user, activity),
        "Only liaison officers of an organization taking part in this activity, and managers, "
        "may change it.",
    )


def _activity_rules(activity: Activity | None = None) -> Rules:
    """The activity's rules over the input, on top of what the activity holds (for an edit)."""
    stored = {}
    if activity is not None:
        stored = {f: getattr(activity, f) for f in ("start_date", "end_date", "currency")}

    def check(values: dict[str, Any]) -> Mapping[str, list[str]]:
        errors = rules.activity_errors({**stored, **values})
        if values.get("participations"):
            specs = _participation_specs(values["participations"])
            if problems := services.participation_errors(specs):
                errors = rules.merge(errors, {"participations": problems})
        return errors

    return check


def _milestone_rules(activity: Activity, milestone: Milestone | None = None) -> Rules:
    stored = {}
    if milestone is not None:
        stored = {f: getattr(milestone, f) for f in ("due_date", "outside_period_confirmed")}

    def check(values: dict[str, Any]) -> Mapping[str, list[str]]:
        if milestone is not None and not {"due_date", "outside_period_confirmed"} & set(values):
            return {}  # an edit that leaves the date alone (as the service does)
        return rules.milestone_errors(
            {**stored, **values}, activity_start=activity.start_date, activity_end=activity.end_date
        )

    return check


def _update_rules(activity: Activity) -> Rules:
    def check(values: dict[str, Any]) -> Mapping[str, list[str]]:
        return rules.update_errors(
            values, activity_start=activity.start_date, activity_end=activity.end_date
        )

    return check


def _participation_specs(items: list[dict[str, Any]]) -> list[services.ParticipationSpec]:
    return [
        services.ParticipationSpec(
            organization=item["organization"],
            role=item["role"],
            contribution=item.get("contribution", ""),
        )
        for item in items
    ]


def _in_sight(request: Request, *groups: str, path: str = "") -> Q:
    """The rows whose activity the caller may see, and each of `groups` of it."""
    q = visible_activities(request.user, path)
    for group in groups:
        q &= group_visible(request.user, group, path)
    return q


def _activity_in_sight_or_404(request: Request, pk: int, *groups: str) -> Activity:
    """404, as for an activity that does not exist, when the caller may not see the activity or
    one of `groups` of it."""
    return get_object_or_404(Activity.objects.filter(_in_sight(request, *groups)), pk=pk)


def _activity_for_write(pk: int) -> Activity:
    """The activity with its participations (what the permission check reads)."""
    return get_object_or_404(Activity.objects.prefetch_related("participations"), pk=pk)


def _versioned(data: dict, version: int, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(data, status=status_code, headers={"ETag": etag_for(version)})


def _activity_response(
    request: Request, activity_id: int, status_code: int = status.HTTP_200_OK
) -> Response:
    """After a write: the writer edits the activity, so sees all of it but for a tier changed
    meanwhile, which the sight read here honours."""
    activity = selectors.activity_detail(activity_id=activity_id)
    context = {"sight": sight_of(request.user, activity)}
    data = s.ActivityDetailSerializer(activity, context=context).data
    return _versioned(data, activity.version, status_code)


# --- activities -----------------------------------------------------------------------------------


class ActivityListView(generics.ListAPIView):
    """Activities of the Activity Matrix, filtered and sorted; create one (managers, or liaison
    officers for an activity their organization takes part in)."""

    serializer_class = s.ActivityListSerializer
    filterset_class = ActivityFilter  # documents the query parameters; the selector applies them
    queryset = Activity.objects.none()  # for the schema and the browsable API's filter form

    def list(self, request: Request) -> Response:
        refuse_repeated(request, lists=ACTIVITY_FILTER_LISTS)
        refuse_empty(request, ACTIVITY_FILTERS_WITH_VALUES)
        try:
            listing = selectors.activity_listing(
                viewer=request.user, filters=request.query_params, rows=True, strict=True
            )
        except DjangoValidationError as exc:  # a query parameter the schema refuses: 400
            raise ValidationError(exc.message_dict) from None
        page = self.paginate_queryset(listing)
        return self.get_paginated_response(s.activity_list_rows(page))

    @extend_schema(
        request=s.ActivityInputSerializer,
        responses={201: s.ActivityDetailSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request) -> Response:
        _ensure(permissions.may_write_at_all(request.user), "Viewers cannot create activities.")
        data = validated(s.ActivityInputSerializer, request.data, rules=_activity_rules())
        data["participations"] = _participation_specs(data["participations"])
        activity = services.create_activity(actor=request.user, **data)
        return _activity_response(request, activity.pk, status.HTTP_201_CREATED)


class ActivityDetailView(generics.GenericAPIView):
    """One activity with participations, milestones, indicators, SDG targets, funding summary and
    current monitoring status. The ETag names its version; a PATCH names it back in If-Match."""

    serializer_class = s.ActivityDetailSerializer

    queryset = Activity.objects.none()  # for the schema; get reads through the selector

    @extend_schema(responses={200: s.ActivityDetailSerializer, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        rows = selectors.activity_detail_rows(activity_id=pk, viewer=request.user)
        if rows is None:
            raise Http404
        return _versioned(s.activity_detail_document(rows), rows.activity["version"])

    @extend_schema(
        request=s.ActivityUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ActivityDetailSerializer, **EDIT_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        activity = _activity_for_write(pk)
        _may_edit(request, activity)
        changes = validated(
            s.ActivityUpdateSerializer, request.data, rules=_activity_rules(activity)
        )
        version = edit_version(request, changes.pop("version", None))
        if "participations" in changes:
            changes["participations"] = _participation_specs(changes["participations"])
        services.update_activity(
            actor=request.user, activity=activity, version=version, changes=changes
        )
        return _activity_response(request, activity.pk)


class PriorityQuery(Serializer):
    plan = IdField(required=False, help_text="Only activities of this plan.")


@extend_schema(parameters=[PriorityQuery])
class PriorityListView(generics.ListAPIView):
    """The priority activities of a year, in rank order, each with its current status."""

    serializer_class = s.PriorityActivitySerializer
    queryset = PriorityDesignation.objects.none()  # for the schema; get_queryset reads

    def get_queryset(self):
        params = query(PriorityQuery, self.request)
        return selectors.priorities_of_year(year=self.kwargs["year"], plan_id=params.get("plan"))


class MatrixQuery(Serializer):
    edition = IntegerField(
        required=False, min_value=1, max_value=32767, help_text="Matrix edition (default: latest)."
    )
    horizon = ChoiceField(
        choices=Activity.Horizon.choices,
        required=False,
        help_text="Show only current or aspirational activities in the cells (default: both); "
        "the flags always consider current activities.",
    )


@extend_schema(
    parameters=[MatrixQuery],
    responses={200: s.MatrixSerializer, 400: VALIDATION_ERROR, **READ_ERRORS},
)
class PlanMatrixView(generics.GenericAPIView):
    """The plan's Activity Matrix as the matrix page shows it (activities.matrix): per thematic
    area and partnership organization, the activities counted by status and per cooperation type
    and horizon, the first few of each group listed with a link to the activity list filtered to
    all of them, and the area's flags (gap, single organization, overlaps). A fixed number of
    queries whatever the plan's size."""

    serializer_class = s.MatrixSerializer

    def get(self, request: Request, pk: int) -> Response:
        plan = get_object_or_404(JointActionPlan, pk=pk)
        params = query(MatrixQuery, request)
        matrix = selectors.latest_matrix(plan=plan, edition=params.get("edition"))
        horizon = params.get("horizon", "")
        page = matrix_selectors.matrix_summary(
            plan=plan, matrix=matrix, horizon=horizon, viewer=request.user
        )
        list_url = request.build_absolute_uri(reverse("api:activity-list"))
        in_matrix = {"plan": plan.pk, "matrix": matrix.pk} if matrix is not None else {}

        def group_url(filters: dict[str, str]) -> str:
            return f"{list_url}?{urlencode(in_matrix | filters)}"

        data = s.MatrixSerializer(
            {
                "plan": plan.pk,
                "matrix": matrix,
                "horizon": horizon or None,
                "listed_per_group": matrix_selectors.LISTED_PER_GROUP,
                "organizations": page.summary.organizations,
                "areas": page.summary.areas,
            },
            context={"list_url": group_url, "topic_names": page.topic_names},
        ).data
        return Response(data, headers={"ETag": content_etag(data)})


# --- milestones -----------------------------------------------------------------------------------


class ActivityMilestoneListView(generics.ListAPIView):
    """An activity's milestones by due date; add one."""

    serializer_class = s.MilestoneSerializer
    queryset = Milestone.objects.none()  # for the schema; get_queryset reads

    def get_queryset(self):
        activity = _activity_in_sight_or_404(self.request, self.kwargs["pk"], "milestones")
        return selectors.milestone_list(activity=activity)

    @extend_schema(
        request=s.MilestoneInputSerializer,
        responses={201: s.MilestoneSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        activity = _activity_for_write(pk)
        _may_edit(request, activity)
        data = validated(s.MilestoneInputSerializer, request.data, rules=_milestone_rules(activity))
        milestone = services.add_milestone(actor=request.user, activity=activity, **data)
        return _versioned(s.MilestoneSerializer(milestone).data, milestone.version, 201)


class MilestoneDetailView(generics.GenericAPIView):
    """One milestone; PATCH it (e.g. `completed_on` to mark it complete) naming its version."""

    serializer_class = s.MilestoneSerializer
    queryset = Milestone.objects.all()

    def get_queryset(self):
        return (
            super().get_queryset().filter(_in_sight(self.request, "milestones", path="activity__"))
        )

    @extend_schema(responses={200: s.MilestoneSerializer, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        milestone = self.get_object()
        return _versioned(self.get_serializer(milestone).data, milestone.version)

    @extend_schema(
        request=s.MilestoneUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: s.MilestoneSerializer, **EDIT_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        milestone = get_object_or_404(Milestone.objects.select_related("activity"), pk=pk)
        _may_edit(request, milestone.activity)
        changes = validated(
            s.MilestoneUpdateSerializer,
            request.data,
            rules=_milestone_rules(milestone.activity, milestone),
        )
        version = edit_version(request, changes.pop("version", None))
        milestone = services.update_milestone(
            actor=request.user, milestone=milestone, version=version, changes=changes
        )
        return _versioned(s.MilestoneSerializer(milestone).data, milestone.version)


# --- indicators and measurements ------------------------------------------------------------------


class ActivityIndicatorListView(generics.ListAPIView):
    """An activity's indicators with their measurements; add one."""

    serializer_class = s.IndicatorSerializer
    queryset = Indicator.objects.none()  # for the schema; get_queryset reads

    def get_queryset(self):
        activity = _activity_in_sight_or_404(self.request, self.kwargs["pk"], "indicators")
        return selectors.indicator_list(activity=activity)

    @extend_schema(
        request=s.IndicatorInputSerializer,
        responses={201: s.IndicatorSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        activity = _activity_for_write(pk)
        _may_edit(request, activity)
        data = validated(s.IndicatorInputSerializer, request.data, rules=rules.indicator_errors)
        indicator = services.add_indicator(actor=request.user, activity=activity, **data)
        return _versioned(s.IndicatorSerializer(indicator).data, indicator.version, 201)


class IndicatorDetailView(generics.GenericAPIView):
    serializer_class = s.IndicatorSerializer
    queryset = Indicator.objects.prefetch_related("measurements")

    def get_queryset(self):
        return (
            super().get_queryset().filter(_in_sight(self.request, "indicators", path="activity__"))
        )

    @extend_schema(responses={200: s.IndicatorSerializer, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        data = self.get_serializer(self.get_object()).data
        return Response(data, headers={"ETag": content_etag(data)})


class IndicatorMeasurementListView(generics.ListAPIView):
    """An indicator's measurements by date; record one (one per day)."""

    serializer_class = s.MeasurementSerializer
    queryset = Measurement.objects.none()  # for the schema; get_queryset reads

    def get_queryset(self):
        indicator = get_object_or_404(
            Indicator.objects.filter(_in_sight(self.request, "indicators", path="activity__")),
            pk=self.kwargs["pk"],
        )
        return selectors.measurement_list(indicator=indicator)

    @extend_schema(
        request=s.MeasurementInputSerializer,
        responses={201: s.MeasurementWithBreakdownSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        indicator = get_object_or_404(Indicator.objects.select_related("activity"), pk=pk)
        _may_edit(request, indicator.activity)
        data = validated(
            s.MeasurementInputSerializer,
            request.data,
            rules=lambda values: rules.measurement_errors(values, kind=indicator.kind),
        )
        measurement = services.record_measurement(actor=request.user, indicator=indicator, **data)
        return Response(s.MeasurementWithBreakdownSerializer(measurement).data, status=201)


class IndicatorBreakdownView(generics.GenericAPIView):
    """A disaggregated indicator's target and measurements by category, dimension by dimension,
    each with its sum against the total and whether every category was reported. Five queries
    whatever the number of measurements."""

    serializer_class = s.IndicatorBreakdownSerializer
    queryset = Indicator.objects.none()  # for the schema (the path parameter's type)

    @extend_schema(responses={200: s.IndicatorBreakdownSerializer, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        indicator = get_object_or_404(
            Indicator.objects.filter(_in_sight(request, "indicators", path="activity__")), pk=pk
        )
        data = s.IndicatorBreakdownSerializer(selectors.indicator_breakdown(indicator=indicator))
        return Response(data.data, headers={"ETag": content_etag(data.data)})


# --- audit history --------------------------------------------------------------------------------


class ActivityHistoryView(generics.GenericAPIView):
    """Who changed what, and when, in the activity and every record under it (participations,
    priorities, milestones, indicators, measurements, progress updates, funding, status
    overrides), newest first, paginated. Records since deleted still show."""

    serializer_class = s.HistoryEntrySerializer
    queryset = Activity.objects.none()  # for the schema (the path parameter's type)

    @extend_schema(responses={200: s.HistoryEntrySerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        # The trail names old and new values of every field group: for those who see them all.
        _activity_in_sight_or_404(request, pk, *FIELD_GROUPS)
        # The whole trail is read in a fixed number of queries, then paged in memory: its size
        # is bounded by the activity's edits, and paging rows of nine tables in SQL would cost a
        # union per page for no gain at this scale.
        entries = history.change_history(activity_id=pk, viewer=request.user)
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- progress updates -----------------------------------------------------------------------------


class ActivityUpdateListView(generics.ListAPIView):
    """An activity's progress updates, newest first; write one as a draft or submitted."""

    serializer_class = s.ProgressUpdateSerializer
    queryset = ProgressUpdate.objects.none()  # for the schema; get_queryset reads

    def get_queryset(self):
        activity = _activity_in_sight_or_404(self.request, self.kwargs["pk"], "progress")
        return selectors.with_risks_shown(
            selectors.progress_update_list(activity=activity, viewer=self.request.user),
            viewer=self.request.user,
        )

    @extend_schema(
        request=s.ProgressUpdateInputSerializer,
        responses={201: s.ProgressUpdateSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        activity = _activity_for_write(pk)
        _may_edit(request, activity)
        data = validated(
            s.ProgressUpdateInputSerializer, request.data, rules=_update_rules(activity)
        )
        update = services.create_progress_update(actor=request.user, activity=activity, **data)
        return _versioned(s.ProgressUpdateSerializer(update).data, update.version, 201)


class UpdateQuery(Serializer):
    state = ChoiceField(
        choices=ProgressUpdate.State.choices, required=False, help_text="e.g. `submitted`."
    )


@extend_schema(parameters=[UpdateQuery])
class ProgressUpdateListView(generics.ListAPIView):
    """All progress updates; `?state=submitted` is the approval queue, oldest submission first."""

    serializer_class = s.ProgressUpdateSerializer

    def get_queryset(self):
        params = query(UpdateQuery, self.request)
        updates = selectors.progress_updates(viewer=self.request.user, state=params.get("state"))
        return selectors.with_risks_shown(
            updates.filter(_in_sight(self.request, "progress", path="activity__")),
            viewer=self.request.user,
        )


def _update_for_write(pk: int) -> ProgressUpdate:
    return get_object_or_404(
        ProgressUpdate.objects.select_related("activity").prefetch_related(
            "activity__participations"
        ),
        pk=pk,
    )


def _update_response(update: ProgressUpdate) -> Response:
    update = ProgressUpdate.objects.select_related("author", "reviewer", "period").get(pk=update.pk)
    return _versioned(s.ProgressUpdateSerializer(update).data, update.version)


class ProgressUpdateDetailView(generics.GenericAPIView):
    """One progress update; PATCH a draft or returned one, naming its version. A draft is read
    only by managers, its author and liaison officers of a participating organization: 404 for
    anyone else."""

    serializer_class = s.ProgressUpdateSerializer
    queryset = ProgressUpdate.objects.select_related("author", "reviewer", "period")

    def get_queryset(self):
        updates = selectors.visible_updates(super().get_queryset(), viewer=self.request.user)
        return selectors.with_risks_shown(
            updates.filter(_in_sight(self.request, "progress", path="activity__")),
            viewer=self.request.user,
        )

    @extend_schema(responses={200: s.ProgressUpdateSerializer, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        update = self.get_object()
        return _versioned(self.get_serializer(update).data, update.version)

    @extend_schema(
        request=s.ProgressUpdateEditSerializer,
        parameters=[IF_MATCH],
        responses={200: s.ProgressUpdateSerializer, 409: TRANSITION_ERRORS[409], **EDIT_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        update = _update_for_write(pk)
        _may_edit(request, update.activity)
        changes = validated(
            s.ProgressUpdateEditSerializer, request.data, rules=_update_rules(update.activity)
        )
        version = edit_version(request, changes.pop("version", None))
        update = services.edit_progress_update(
            actor=request.user, update=update, version=version, changes=changes
        )
        return _update_response(update)


class ProgressUpdateSubmitView(generics.GenericAPIView):
    """Send a draft (or a reworked returned update) for approval."""

    serializer_class = s.ProgressUpdateSerializer

    @extend_schema(
        request=None,
        parameters=[IF_MATCH_OPTIONAL],
        responses={200: s.ProgressUpdateSerializer, **TRANSITION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        update = _update_for_write(pk)
        _may_edit(request, update.activity)
        update = services.submit_progress_update(
            actor=request.user, update=update, version=if_match_version(request)
        )
        return _update_response(update)


class ProgressUpdateApproveView(generics.GenericAPIView):
    """A manager approves a submitted update; the activity is re-assessed. The four-eyes rule:
    not their own update (403), nor one whose content they changed in any version (409, code
    `four_eyes`); they may still return it."""

    serializer_class = s.ProgressUpdateSerializer

    @extend_schema(
        request=s.ReviewInputSerializer,
        parameters=[IF_MATCH_OPTIONAL],
        responses={
            200: s.ProgressUpdateSerializer,
            **TRANSITION_ERRORS,
            409: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="Not allowed in the update's state (code `invalid_transition`), or "
                "you changed the update's content (code `four_eyes`): another manager approves it.",
            ),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        update = _update_for_write(pk)
        _ensure(permissions.can_approve(request.user, update), "Only managers approve updates.")
        data = validated(s.ReviewInputSerializer, request.data)
        update = services.approve_progress_update(
            actor=request.user, update=update, version=if_match_version(request), note=data["note"]
        )
        return _update_response(update)


class ProgressUpdateReturnView(generics.GenericAPIView):
    """A manager returns a submitted update to its authors with a note saying what to change."""

    serializer_class = s.ProgressUpdateSerializer

    @extend_schema(
        request=s.ReturnInputSerializer,
        parameters=[IF_MATCH_OPTIONAL],
        responses={200: s.ProgressUpdateSerializer, **TRANSITION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        update = _update_for_write(pk)
        _ensure(permissions.can_approve(request.user, update), "Only managers return updates.")
        data = validated(s.ReturnInputSerializer, request.data)
        update = services.return_progress_update(
            actor=request.user, update=update, version=if_match_version(request), note=data["note"]
        )
        return _update_response(update)
