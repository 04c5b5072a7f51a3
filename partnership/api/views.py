"""Reference data and the framework documents, read-only. Thin: a selector and a serializer."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework import serializers as drf_serializers
from rest_framework.request import Request
from rest_framework.response import Response

from partnership import selectors
from partnership.api import serializers
from partnership.api.common import READ_ERRORS, content_etag
from partnership.api.inputs import IntegerField, query


class OrganizationListView(generics.ListAPIView):
    """Organizations: partners, donors and others, by acronym."""

    serializer_class = serializers.OrganizationSerializer

    def get_queryset(self):
        return selectors.organization_list()


class ThematicAreaListView(generics.ListAPIView):
    """The six thematic areas of the Activity Matrix, in their order."""

    serializer_class = serializers.ThematicAreaSerializer

    def get_queryset(self):
        return selectors.thematic_area_list()


class SDGTargetQuery(drf_serializers.Serializer):
    goal = IntegerField(
        required=False, min_value=1, max_value=17, help_text="Only targets of this SDG goal."
    )


@extend_schema(parameters=[SDGTargetQuery])
class SDGTargetListView(generics.ListAPIView):
    """SDG targets the activities contribute to (codes such as `16.a`)."""

    serializer_class = serializers.SDGTargetSerializer

    def get_queryset(self):
        return selectors.sdg_target_list(goal=query(SDGTargetQuery, self.request).get("goal"))


class AgreementListView(generics.ListAPIView):
    """Agreements, oldest first, each with the agreement it builds on."""

    serializer_class = serializers.AgreementSerializer

    def get_queryset(self):
        return selectors.agreement_list()


class _ReadOnlyDetailView(generics.RetrieveAPIView):
    """Detail of a read-only record, with an ETag that changes with its representation."""

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        data = self.get_serializer(self.get_object()).data
        return Response(data, headers={"ETag": content_etag(data)})


@extend_schema(responses={200: serializers.AgreementSerializer, **READ_ERRORS})
class AgreementDetailView(_ReadOnlyDetailView):
    serializer_class = serializers.AgreementSerializer

    def get_queryset(self):
        return selectors.agreement_list()


class PlanListView(generics.ListAPIView):
    """Joint Action Plans, newest first, with their matrices (editions)."""

    serializer_class = serializers.PlanSerializer

    def get_queryset(self):
        return selectors.plan_list()


@extend_schema(responses={200: serializers.PlanSerializer, **READ_ERRORS})
class PlanDetailView(_ReadOnlyDetailView):
    serializer_class = serializers.PlanSerializer

    def get_queryset(self):
        return selectors.plan_list()
