"""The shapes of the public API's answers, for its OpenAPI schema.

The views return the published document (`publication.public_view`) as it is; these serializers
describe it, and the tests check every answer against the schema made of them.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partnership.limits import ID_MAX
from partnership.reference_data import THEMATIC_AREAS
from publication.public_view import STATUS_LABELS


class StatusField(serializers.ChoiceField):
    """An activity's status on the snapshot's date (`not_assessed`: no assessment by then)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(choices=list(STATUS_LABELS), **kwargs)


class OrganizationSerializer(serializers.Serializer):
    acronym = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField(help_text="The organization's role in the activity.")


class PartnerSerializer(serializers.Serializer):
    acronym = serializers.CharField()
    name = serializers.CharField()


class PartnershipSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    partners = PartnerSerializer(many=True)


class PlanSerializer(serializers.Serializer):
    title = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    objectives = serializers.CharField(allow_blank=True)
    matrix_edition = serializers.IntegerField(allow_null=True)
    matrix_adopted_on = serializers.DateField(allow_null=True)


class AgreementSerializer(serializers.Serializer):
    title = serializers.CharField()
    kind = serializers.CharField()
    signed_on = serializers.DateField()
    place = serializers.CharField(allow_blank=True)
    entry_into_force = serializers.DateField(allow_null=True)
    summary = serializers.CharField(allow_blank=True)
    document_url = serializers.CharField(allow_blank=True)
    parties = serializers.ListField(child=serializers.CharField())


class CountsSerializer(serializers.Serializer):
    not_started = serializers.IntegerField()
    on_track = serializers.IntegerField()
    at_risk = serializers.IntegerField()
    off_track = serializers.IntegerField()
    completed = serializers.IntegerField()
    suspended = serializers.IntegerField()
    not_assessed = serializers.IntegerField()


class ThematicAreaSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    counts = CountsSerializer(help_text="Published activities of the area by status.")
    total = serializers.IntegerField()


class PrioritySerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="1, 2, 3 … among the published priorities.")
    n = serializers.IntegerField(help_text="The activity's number in the snapshot.")
    code = serializers.CharField()
    title = serializers.CharField()
    thematic_area_name = serializers.CharField()
    status = StatusField()
    status_label = serializers.CharField()
    status_reason = serializers.CharField(allow_blank=True)
    organizations = OrganizationSerializer(many=True)


class SDGActivitySerializer(serializers.Serializer):
    n = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    status = StatusField()


class SDGTargetSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    counts = CountsSerializer()
    activities = SDGActivitySerializer(many=True)


class MilestoneSerializer(serializers.Serializer):
    title = serializers.CharField()
    due_date = serializers.DateField()
    completed_on = serializers.DateField(allow_null=True)


class IndicatorSerializer(serializers.Serializer):
    name = serializers.CharField()
    unit = serializers.CharField()
    baseline = serializers.CharField()
    target = serializers.CharField()
    target_date = serializers.DateField()
    latest_value = serializers.CharField(allow_null=True)
    latest_on = serializers.DateField(allow_null=True)


class ProgressSerializer(serializers.Serializer):
    period_end = serializers.DateField()
    percent_complete = serializers.IntegerField()
    narrative = serializers.CharField()


class RiskSerializer(serializers.Serializer):
    period_end = serializers.DateField()
    risks = serializers.CharField()


class FundingLineSerializer(serializers.Serializer):
    donor = serializers.CharField()
    donor_name = serializers.CharField()
    amount = serializers.CharField()
    currency = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    date = serializers.DateField()


class FundingSerializer(serializers.Serializer):
    required = serializers.CharField()
    currency = serializers.CharField()
    lines = FundingLineSerializer(many=True)


class PlaceCountrySerializer(serializers.Serializer):
    iso = serializers.CharField(help_text="ISO 3166-1 alpha-2 code.")
    name = serializers.CharField()


class ActivitySerializer(serializers.Serializer):
    """A published activity. The field groups (description, milestones, indicators, progress,
    risks, funding, places) are present only when published; `fields` lists those present."""

    n = serializers.IntegerField(help_text="The activity's number in the snapshot (1, 2, 3 …).")
    code = serializers.CharField()
    title = serializers.CharField()
    thematic_area = serializers.CharField()
    thematic_area_name = serializers.CharField()
    cooperation_type = serializers.CharField()
    cooperation_type_label = serializers.CharField()
    horizon = serializers.CharField()
    horizon_label = serializers.CharField()
    lifecycle = serializers.CharField()
    lifecycle_label = serializers.CharField()
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    status = StatusField()
    status_label = serializers.CharField()
    summary = serializers.CharField(allow_blank=True)
    status_reason = serializers.CharField(allow_blank=True)
    is_priority = serializers.BooleanField()
    organizations = OrganizationSerializer(many=True)
    sdg_targets = serializers.ListField(child=serializers.CharField())
    fields = serializers.ListField(child=serializers.CharField())
    description = serializers.CharField(required=False, allow_blank=True)
    milestones = MilestoneSerializer(many=True, required=False)
    indicators = IndicatorSerializer(many=True, required=False)
    progress = ProgressSerializer(many=True, required=False)
    risks = RiskSerializer(many=True, required=False)
    funding = FundingSerializer(required=False)
    places = serializers.ListField(child=serializers.CharField(), required=False)
    countries = PlaceCountrySerializer(many=True, required=False)


class CountryActivitySerializer(serializers.Serializer):
    n = serializers.IntegerField(help_text="The activity's number in the snapshot.")
    url = serializers.URLField()
    code = serializers.CharField()
    title = serializers.CharField()
    thematic_area = serializers.CharField()
    thematic_area_name = serializers.CharField()
    status = StatusField()
    status_label = serializers.CharField()


class CountryEntrySerializer(serializers.Serializer):
    """A country where published activities take place: only activities whose places are
    published count."""

    iso = serializers.CharField(help_text="ISO 3166-1 alpha-2 code.")
    name = serializers.CharField()
    url = serializers.URLField()
    activity_count = serializers.IntegerField()
    status_counts = CountsSerializer()


class CountrySerializer(CountryEntrySerializer):
    as_of = serializers.DateField()
    activities = CountryActivitySerializer(many=True)


class CountryListSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    count = serializers.IntegerField()
    results = CountryEntrySerializer(many=True)


class SnapshotEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    activities_url = serializers.URLField()
    plan_title = serializers.CharField()
    partnership = serializers.CharField()
    as_of = serializers.DateField()
    published_on = serializers.DateField()
    activity_count = serializers.IntegerField()


class SnapshotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    published_on = serializers.DateField()
    as_of = serializers.DateField()
    year = serializers.IntegerField()
    activities_url = serializers.URLField()
    countries_url = serializers.URLField()
    status_labels = serializers.DictField(child=serializers.CharField())
    partnership = PartnershipSerializer()
    plan = PlanSerializer()
    agreements = AgreementSerializer(many=True)
    thematic_areas = ThematicAreaSerializer(many=True)
    status_counts = CountsSerializer()
    activity_count = serializers.IntegerField()
    priorities = PrioritySerializer(many=True)
    sdg16 = SDGTargetSerializer(many=True)
    schema_version = serializers.IntegerField()


class PageQuerySerializer(serializers.Serializer):
    """Checked before anything is looked up, so a bad parameter is a 400 whatever it names."""

    page = serializers.IntegerField(
        required=False, min_value=1, max_value=ID_MAX, help_text="A page number, from 1."
    )
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=200, help_text="Results per page (50 by default)."
    )


@extend_schema_field({"type": "string", "pattern": "^[^\\x00]*$", "maxLength": 200})
class SearchField(serializers.CharField):
    """The words to search for: text without NUL characters (DRF refuses them), as the schema
    says, so that a schema-valid search is never refused."""


class ActivityQuerySerializer(PageQuerySerializer):
    q = SearchField(
        required=False, allow_blank=True, max_length=200, help_text="Words the activity holds."
    )
    thematic_area = serializers.ChoiceField(
        required=False,
        choices=[code for code, _name, _description in THEMATIC_AREAS],
        allow_blank=True,  # a form's empty choice (`?status=`) means any, as DRF reads it
        help_text="A thematic area's code (empty: any).",
    )
    status = StatusField(required=False, allow_blank=True, help_text="Empty: any.")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
