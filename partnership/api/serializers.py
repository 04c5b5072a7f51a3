"""Output shapes of the framework records. Codes and acronyms travel with ids, so a client can
read a response without a second look-up."""

from rest_framework import serializers

from partnership.models import (
    ActivityMatrix,
    Agreement,
    JointActionPlan,
    Organization,
    SDGTarget,
    ThematicArea,
)


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "acronym", "name", "kind", "website"]


class ThematicAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = ThematicArea
        fields = ["id", "code", "name", "description", "order"]


class SDGTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = SDGTarget
        fields = ["id", "code", "goal", "title"]


class AgreementRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agreement
        fields = ["id", "title", "kind", "signed_on"]


class AgreementSerializer(serializers.ModelSerializer):
    parties = serializers.SlugRelatedField(slug_field="acronym", many=True, read_only=True)
    builds_on = AgreementRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "kind",
            "title",
            "parties",
            "signed_on",
            "place",
            "entry_into_force",
            "end_on",
            "builds_on",
            "summary",
            "document_url",
        ]


class MatrixRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityMatrix
        fields = ["id", "edition", "adopted_on"]


class PlanSerializer(serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership.name", read_only=True)
    organizations = serializers.SerializerMethodField()
    agreement = AgreementRefSerializer(read_only=True)
    matrices = MatrixRefSerializer(many=True, read_only=True)

    class Meta:
        model = JointActionPlan
        fields = [
            "id",
            "title",
            "partnership",
            "organizations",
            "agreement",
            "period_start",
            "period_end",
            "state",
            "objectives",
            "matrices",
        ]

    def get_organizations(self, plan: JointActionPlan) -> list[str]:
        return [org.acronym for org in plan.partnership.organizations.all()]
