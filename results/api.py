"""The results chain in the REST API v1: a plan's chain as a tree, with the statuses rolled up on
a date. Thin: parameters checked, selectors.chain read, the tree shaped. Routes at the bottom,
mounted by config.api_urls."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from activities.api.serializers import ReasonSerializer
from partnership.api.common import READ_ERRORS, VALIDATION_ERROR, content_etag
from partnership.api.inputs import DateField, query
from partnership.models import JointActionPlan
from results import selectors


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


@extend_schema(
    parameters=[ChainQuery],
    responses={200: ChainSerializer, 400: VALIDATION_ERROR, **READ_ERRORS},
)
class PlanResultsView(generics.GenericAPIView):
    """The plan's results chain: objectives → outcomes → outputs, each with its status rolled up
    on the date and its reasons, indicators with their values, SDG targets (its own and rolled
    up) and, for outputs, the contributing activities. A fixed number of queries whatever the
    plan's size: the token, the plan, the chain (selectors.chain: twelve, or ten)."""

    serializer_class = ChainSerializer

    def get(self, request: Request, pk: int) -> Response:
        plan = get_object_or_404(JointActionPlan, pk=pk)
        params = query(ChainQuery, request)
        chain = selectors.chain(plan=plan, as_of=params.get("as_of"))
        data = ChainSerializer(chain).data
        return Response(data, headers={"ETag": content_etag(data)})


urlpatterns = [
    path("plans/<int:pk>/results/", PlanResultsView.as_view(), name="plan-results"),
]
