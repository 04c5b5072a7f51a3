"""The results chain in the REST API v1: a plan's chain as a tree, with the statuses rolled up on
a date; and, for managers, its writes: results (objectives, outcomes, outputs) and the activities'
contributions to outputs, created, changed (naming their version) and deleted. Thin: parameters
checked, a selector read or a service called (results.services, as the pages do), the answer
shaped. Errors as across the API (config.api.exception_handler): 400 with every error of the
input (the schema's and the chain's rules, at once), 403 for anyone but a manager, 412 for a
stale version, 422 for what only the service can refuse. Routes at the bottom, mounted by
config.api_urls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from activities.api.concurrency import edit_version, etag_for
from activities.api.serializers import ReasonSerializer
from activities.api.views import IF_MATCH, WRITE_ERRORS
from activities.models import Activity
from partnership.access import is_manager
from partnership.api.common import EDIT_ERRORS, READ_ERRORS, VALIDATION_ERROR, content_etag
from partnership.api.inputs import DateField, PercentField, Rules, query, validated
from partnership.limits import LONG_TEXT_MAX
from partnership.models import JointActionPlan, SDGTarget
from results import selectors, services
from results.models import Contribution, Level, Result


class IndicatorValueSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=16, decimal_places=2)
    measured_on = serializers.DateField()
    reported = serializers.IntegerField(help_text="Series (sources) that had a value.")
    expected = serializers.IntegerField(help_text="Series there are.")


class CategoryValueSerializer(serializers.Serializer):
    category_id = serializers.IntegerField()
    dimension = serializers.CharField()
    name = serializers.CharField()
    value = serializers.DecimalField(max_digits=16, decimal_places=2)
    target = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    reported = serializers.IntegerField(help_text="Sources that gave this category.")
    expected = serializers.IntegerField(help_text="Sources that reported a value.")
    complete = serializers.BooleanField(help_text="False: not all categories reported.")


class ResultIndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.CharField()
    method = serializers.CharField(help_text="measured | sum | average | latest")
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2)
    baseline_date = serializers.DateField()
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    target_date = serializers.DateField()
    direction = serializers.CharField()
    value = IndicatorValueSerializer(allow_null=True)
    categories = CategoryValueSerializer(
        many=True, help_text="Computed indicators: the value by category, from the sources'."
    )


class ContributionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The activity's id.")
    code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField(help_text="The activity's current status.")
    share = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    description = serializers.CharField()


class ResultNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    level = serializers.CharField(help_text="objective | outcome | output")
    code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    is_illustrative = serializers.BooleanField()
    status = serializers.CharField(help_text='The rolled-up status; "" when not rolled up.')
    reasons = ReasonSerializer(many=True)
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        help_text='The children (activities for an output) by status; "" for not assessed.',
    )
    sdg_targets = serializers.ListField(child=serializers.CharField(), help_text="Its own.")
    sdg_rolled_up = serializers.ListField(
        child=serializers.CharField(), help_text="Its own and those of everything below it."
    )
    indicators = ResultIndicatorSerializer(many=True)
    activity_count = serializers.IntegerField(help_text="Contributing activities (outputs).")
    activities = ContributionSerializer(
        many=True, help_text=f"The first {selectors.ACTIVITIES_SHOWN} by code (outputs)."
    )
    children = serializers.SerializerMethodField()

    def get_children(self, node: selectors.ResultNode) -> list[dict]:
        return ResultNodeSerializer(node.children, many=True).data


class ChainSerializer(serializers.Serializer):
    plan = serializers.IntegerField(source="plan.pk")
    as_of = serializers.DateField(
        allow_null=True, help_text="The roll-up shown (the latest on or before the one asked)."
    )
    assessed_dates = serializers.ListField(child=serializers.DateField())
    results = ResultNodeSerializer(many=True, source="roots")


class ChainQuery(serializers.Serializer):
    as_of = DateField(required=False, help_text="Default: the latest roll-up.")


# --- writing the chain (managers) -----------------------------------------------------------------


class ResultSerializer(serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    sdg_targets = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Result
        fields = [
            "id",
            "plan",
            "level",
            "parent",
            "code",
            "title",
            "description",
            "order",
            "sdg_targets",
            "is_illustrative",
            "version",
        ]
        read_only_fields = fields


class ResultChangeSerializer(serializers.Serializer):
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Result.objects.all(),
        required=False,
        help_text="Outcomes: an objective of the plan; outputs: an outcome of the plan.",
    )
    code = serializers.CharField(max_length=30, required=False, help_text="Unique in the plan.")
    title = serializers.CharField(max_length=300, required=False)
    description = serializers.CharField(max_length=LONG_TEXT_MAX, required=False, allow_blank=True)
    order = serializers.IntegerField(min_value=0, max_value=32767, required=False)
    sdg_targets = serializers.SlugRelatedField(
        slug_field="code",
        queryset=SDGTarget.objects.all(),
        many=True,
        required=False,
        help_text="Its own SDG targets by code (e.g. 16.4); those below it roll up to it.",
    )
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version edited, if not sent as If-Match."
    )


class ResultInputSerializer(ResultChangeSerializer):
    level = serializers.ChoiceField(choices=Level.choices)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Result.objects.all(),
        required=False,
        allow_null=True,
        help_text="None for an objective; an objective of the plan for an outcome, an outcome "
        "for an output.",
    )
    code = serializers.CharField(max_length=30, help_text="Unique in the plan.")
    title = serializers.CharField(max_length=300)
    is_illustrative = serializers.BooleanField(required=False)
    version = None


class ContributionOutSerializer(serializers.ModelSerializer):
    activity_code = serializers.CharField(source="activity.code", read_only=True)

    class Meta:
        model = Contribution
        fields = ["id", "output", "activity", "activity_code", "share", "description", "version"]
        read_only_fields = fields

    def to_representation(self, instance: Contribution) -> dict:
        """The words withheld ("") where the reader may not read the activity's description
        (`words_shown` of results.selectors.readable_contributions)."""
        data = super().to_representation(instance)
        if not getattr(instance, "words_shown", True):
            data["description"] = ""
        return data


class ContributionChangeSerializer(serializers.Serializer):
    share = PercentField(
        required=False,
        allow_null=True,
        help_text="Percent of the activity serving the output (above 0, at most 100; an "
        "activity's shares across outputs at most 100 in all); null for words only.",
    )
    description = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text="The contribution in words."
    )
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version edited, if not sent as If-Match."
    )


class ContributionInputSerializer(ContributionChangeSerializer):
    activity = serializers.PrimaryKeyRelatedField(
        queryset=Activity.objects.select_related("matrix"),
        help_text="An activity of the plan's Activity Matrix.",
    )
    version = None


def _managers_only(request: Request) -> None:
    if not is_manager(request.user):
        raise PermissionDenied("Only managers may change a plan's results chain.")


def _result_rules(plan: JointActionPlan, result: Result | None = None) -> Rules:
    """The chain's rules over the input (a parent of the level above, a free code), beside the
    schema's errors; for an edit, on top of what the result holds."""

    def check(values: dict[str, Any]) -> Mapping[str, list[str]]:
        level = values.get("level", result.level if result else "")
        if result is not None and not {"parent", "code"} & set(values):
            return {}
        return services.result_errors(
            plan=plan,
            level=level,
            parent=values.get("parent", result.parent if result else None),
            code=values.get("code", result.code if result else ""),
            exclude_pk=result.pk if result else None,
        )

    return check


def _contribution_rules(output: Result, contribution: Contribution | None = None) -> Rules:
    def check(values: dict[str, Any]) -> Mapping[str, list[str]]:
        activity = values.get("activity", contribution.activity if contribution else None)
        if activity is None:
            return {}
        return services.contribution_errors(
            output=output,
            activity=activity,
            share=values.get("share", contribution.share if contribution else None),
            description=values.get("description", contribution.description if contribution else ""),
            contribution=contribution,
        )

    return check


def _result_response(result: Result, status_code: int = status.HTTP_200_OK) -> Response:
    data = ResultSerializer(Result.objects.prefetch_related("sdg_targets").get(pk=result.pk)).data
    return Response(data, status=status_code, headers={"ETag": etag_for(result.version)})


def _contribution_response(
    contribution: Contribution, status_code: int = status.HTTP_200_OK
) -> Response:
    return Response(
        ContributionOutSerializer(contribution).data,
        status=status_code,
        headers={"ETag": etag_for(contribution.version)},
    )


class ResultDetailView(generics.GenericAPIView):
    """One objective, outcome or output; PATCH it (naming its version: If-Match or `version`),
    or DELETE it (If-Match) once nothing hangs under it: a result with results or contributing
    activities under it is refused (422), nothing deleted in cascade but its own indicators."""

    serializer_class = ResultSerializer
    queryset = Result.objects.select_related("plan", "parent").prefetch_related("sdg_targets")

    @extend_schema(responses={200: ResultSerializer, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        result = self.get_object()
        data = self.get_serializer(result).data
        return Response(data, headers={"ETag": etag_for(result.version)})

    @extend_schema(
        request=ResultChangeSerializer,
        parameters=[IF_MATCH],
        responses={200: ResultSerializer, **EDIT_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        _managers_only(request)
        result = self.get_object()
        changes = validated(
            ResultChangeSerializer, request.data, rules=_result_rules(result.plan, result)
        )
        version = edit_version(request, changes.pop("version", None))
        sdg_targets = changes.pop("sdg_targets", None)
        result = services.update_result(
            actor=request.user,
            result=result,
            version=version,
            changes=changes,
            sdg_targets=sdg_targets,
        )
        return _result_response(result)

    @extend_schema(parameters=[IF_MATCH], responses={204: None, **EDIT_ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        _managers_only(request)
        result = self.get_object()
        services.delete_result(
            actor=request.user, result=result, version=edit_version(request, None)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ResultContributionListView(generics.ListAPIView):
    """An output's contributing activities, by activity code, a page at a time (the token, the
    output, the count, the page with its activities: four queries); add one (managers)."""

    serializer_class = ContributionOutSerializer
    queryset = Contribution.objects.none()  # for the schema; get_queryset reads

    def _output(self) -> Result:
        return get_object_or_404(
            Result.objects.select_related("plan"), pk=self.kwargs["pk"], level=Level.OUTPUT
        )

    def get_queryset(self):
        return selectors.output_contributions(output_id=self._output().pk, viewer=self.request.user)

    @extend_schema(
        request=ContributionInputSerializer,
        responses={201: ContributionOutSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        _managers_only(request)
        output = self._output()
        data = validated(
            ContributionInputSerializer, request.data, rules=_contribution_rules(output)
        )
        contribution = services.add_contribution(actor=request.user, output=output, **data)
        return _contribution_response(contribution, status.HTTP_201_CREATED)


class ContributionDetailView(generics.GenericAPIView):
    """One contribution; PATCH its share or words (naming its version), or DELETE it
    (If-Match): the activity no longer contributes to the output."""

    serializer_class = ContributionOutSerializer
    queryset = Contribution.objects.select_related("output__plan", "activity__matrix")

    def get_queryset(self):
        # Those of activities the reader may list, their words where they may read them.
        return selectors.readable_contributions(self.request.user).select_related(
            "output__plan", "activity__matrix"
        )

    @extend_schema(responses={200: ContributionOutSerializer, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return _contribution_response(self.get_object())

    @extend_schema(
        request=ContributionChangeSerializer,
        parameters=[IF_MATCH],
        responses={200: ContributionOutSerializer, **EDIT_ERRORS},
    )
    def patch(self, request: Request, pk: int) -> Response:
        _managers_only(request)
        contribution = self.get_object()
        changes = validated(
            ContributionChangeSerializer,
            request.data,
            rules=_contribution_rules(contribution.output, contribution),
        )
        version = edit_version(request, changes.pop("version", None))
        contribution = services.update_contribution(
            actor=request.user, contribution=contribution, version=version, changes=changes
        )
        return _contribution_response(contribution)

    @extend_schema(parameters=[IF_MATCH], responses={204: None, **EDIT_ERRORS})
    def delete(self, request: Request, pk: int) -> Response:
        _managers_only(request)
        services.remove_contribution(
            actor=request.user,
            contribution=self.get_object(),
            version=edit_version(request, None),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class PlanResultsView(generics.GenericAPIView):
    """The plan's results chain: objectives → outcomes → outputs, each with its status rolled up
    on the date and its reasons, indicators with their values, SDG targets (its own and rolled
    up) and, for outputs, the contributing activities. A fixed number of queries whatever the
    plan's size: the token, the plan, the chain (selectors.chain: twelve, or ten)."""

    serializer_class = ChainSerializer

    @extend_schema(
        parameters=[ChainQuery],
        responses={200: ChainSerializer, 400: VALIDATION_ERROR, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        plan = get_object_or_404(JointActionPlan, pk=pk)
        params = query(ChainQuery, request)
        chain = selectors.chain(plan=plan, as_of=params.get("as_of"), viewer=request.user)
        data = ChainSerializer(chain).data
        return Response(data, headers={"ETag": content_etag(data)})

    @extend_schema(
        request=ResultInputSerializer,
        responses={201: ResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        """Add an objective, an outcome under one of the plan's objectives, or an output under
        one of its outcomes (managers)."""
        _managers_only(request)
        plan = get_object_or_404(JointActionPlan, pk=pk)
        data = validated(ResultInputSerializer, request.data, rules=_result_rules(plan))
        result = services.create_result(actor=request.user, plan=plan, **data)
        return _result_response(result, status.HTTP_201_CREATED)


urlpatterns = [
    path("plans/<int:pk>/results/", PlanResultsView.as_view(), name="plan-results"),
    path("results/<int:pk>/", ResultDetailView.as_view(), name="result-detail"),
    path(
        "results/<int:pk>/contributions/",
        ResultContributionListView.as_view(),
        name="result-contributions",
    ),
    path("contributions/<int:pk>/", ContributionDetailView.as_view(), name="contribution-detail"),
]
