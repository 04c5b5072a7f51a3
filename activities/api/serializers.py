"""Shapes of the activities API: output serializers (reads) and input serializers (what a write
accepts). No business rules here: the services validate and decide."""

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activities.models import (
    Activity,
    ActivityParticipation,
    Indicator,
    Measurement,
    Milestone,
    MonitoringStatus,
    PriorityDesignation,
    ProgressUpdate,
    ReportingPeriod,
    Topic,
)
from activities.selectors import ActivityDetailRows, funding_summary
from activities.sensitivity import FIELD_GROUPS, FULL_SIGHT, Sight
from partnership.api.inputs import AmountField, DateField, IdField
from partnership.api.serializers import MatrixRefSerializer
from partnership.limits import LONG_TEXT_MAX, NOTE_MAX, RISKS_MAX
from partnership.models import ActivityMatrix, Organization, SDGTarget, ThematicArea

# --- output --------------------------------------------------------------------------------------


class ThematicAreaRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ThematicArea
        fields = ["code", "name"]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["code", "name"]


class SDGTargetRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SDGTarget
        fields = ["code", "title"]


class ParticipationSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.acronym")
    organization_name = serializers.CharField(source="organization.name")

    class Meta:
        model = ActivityParticipation
        fields = ["organization", "organization_name", "role", "contribution"]


class PrioritySerializer(serializers.ModelSerializer):
    class Meta:
        model = PriorityDesignation
        fields = ["year", "rank", "rationale"]


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(default="")
    severity = serializers.CharField(default="")
    message = serializers.CharField(default="")


class CurrentStatusSerializer(serializers.Serializer):
    """The latest assessment kept on the activity by the monitoring engine."""

    status = serializers.ChoiceField(
        choices=MonitoringStatus.choices, allow_null=True, help_text="null before the first run."
    )
    as_of = serializers.DateField(allow_null=True)
    reasons = ReasonSerializer(many=True)


# One instance for every row of a list: a serializer per row copies its fields each time, which
# was a third of the priorities endpoint's time (to_representation keeps no state).
_CURRENT_STATUS = CurrentStatusSerializer()


def current_status(activity: Activity) -> dict:
    return {
        "status": activity.status or None,
        "as_of": activity.status_as_of,
        "reasons": [r for r in activity.status_reasons or [] if isinstance(r, dict)],
    }


class FundingSummarySerializer(serializers.Serializer):
    currency = serializers.CharField()
    required = serializers.DecimalField(max_digits=16, decimal_places=2)
    secured = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="Committed in writing or received."
    )
    pledged = serializers.DecimalField(max_digits=16, decimal_places=2)
    gap = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="Required less secured, never below zero."
    )
    donors = serializers.ListField(child=serializers.CharField())
    secured_in_other_currencies = serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=2),
        help_text="Secured commitments in another currency, not converted.",
    )


class ParticipantSerializer(serializers.Serializer):
    organization = serializers.CharField(source="organization.acronym")
    role = serializers.CharField()


WITHHELD_HELP = (
    "Field group → the line shown in its place, for each group of the activity's (description, "
    "milestones, indicators, progress, risks, funding, places) the caller may not see; their "
    "values are left out (empty, or null)."
)


class ActivityListSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="matrix.plan_id")
    thematic_area = serializers.CharField(source="thematic_area.code")
    organizations = ParticipantSerializer(source="participations", many=True)
    priority_years = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=MonitoringStatus.choices, allow_null=True)
    budget_required = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="null when funding is withheld."
    )
    funding_secured = serializers.DecimalField(
        max_digits=16, decimal_places=2, allow_null=True, help_text="null when funding is withheld."
    )
    withheld = serializers.DictField(
        child=serializers.CharField(), read_only=True, help_text=WITHHELD_HELP
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "code",
            "title",
            "plan",
            "matrix",
            "thematic_area",
            "cooperation_type",
            "horizon",
            "lifecycle",
            "start_date",
            "end_date",
            "organizations",
            "priority_years",
            "status",
            "status_as_of",
            "budget_required",
            "funding_secured",
            "currency",
            "version",
            "withheld",
        ]

    def get_priority_years(self, activity: Activity) -> list[int]:
        return [p.year for p in activity.priorities.all()]

    def to_representation(self, activity: Activity) -> dict:
        sight = getattr(activity, "sight", FULL_SIGHT)
        activity.withheld = sight.withheld
        data = super().to_representation(activity)
        data["status"] = data["status"] or None
        if not sight.sees("funding"):
            data["budget_required"] = data["funding_secured"] = None
        return data


def _iso(day: datetime.date | None) -> str | None:
    return None if day is None else day.isoformat()


def activity_list_rows(rows: list[dict]) -> list[dict]:
    """ActivityListSerializer's output, built in plain Python from the rows of
    `selectors.activity_listing(rows=True)`: the serializer documents the shape (and the schema),
    this writes it ~20 times faster than a ModelSerializer per row. A test compares the two."""
    return [_list_row(row) for row in rows]


def _list_row(row: dict) -> dict:
    sight: Sight = row["sight"]
    funding = sight.sees("funding")
    return {
        "id": row["id"],
        "code": row["code"],
        "title": row["title"],
        "plan": row["matrix__plan_id"],
        "matrix": row["matrix_id"],
        "thematic_area": row["thematic_area__code"],
        "cooperation_type": row["cooperation_type"],
        "horizon": row["horizon"],
        "lifecycle": row["lifecycle"],
        "start_date": _iso(row["start_date"]),
        "end_date": _iso(row["end_date"]),
        "organizations": [
            {"organization": acronym, "role": role} for acronym, role in row["organizations"]
        ],
        "priority_years": row["priority_years"],
        "status": row["status"] or None,
        "status_as_of": _iso(row["status_as_of"]),
        # Two decimals, as serializers.DecimalField(decimal_places=2) writes them.
        "budget_required": f"{row['budget_required']:.2f}" if funding else None,
        "funding_secured": f"{row['funding_secured']:.2f}" if funding else None,
        "currency": row["currency"],
        "version": row["version"],
        "withheld": sight.withheld,
    }


class MeasurementSerializer(serializers.ModelSerializer):
    # null once the person who recorded it is deleted (SET_NULL), or when an imported plan names
    # no one this installation knows.
    recorded_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Measurement
        fields = ["id", "indicator", "measured_on", "value", "note", "recorded_by"]


class IndicatorSerializer(serializers.ModelSerializer):
    measurements = MeasurementSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "activity",
            "name",
            "unit",
            "kind",
            "baseline",
            "baseline_date",
            "target",
            "target_date",
            "direction",
            "version",
            "measurements",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = [
            "id",
            "activity",
            "title",
            "due_date",
            "completed_on",
            "weight",
            "outside_period_confirmed",
            "version",
        ]


class PlanRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ActivityDetailSerializer(serializers.ModelSerializer):
    plan = PlanRefSerializer(source="matrix.plan")
    matrix = MatrixRefSerializer()
    thematic_area = ThematicAreaRefSerializer()
    topics = TopicSerializer(many=True)
    sdg_targets = SDGTargetRefSerializer(many=True)
    participations = ParticipationSerializer(many=True)
    priorities = PrioritySerializer(many=True)
    milestones = MilestoneSerializer(many=True)
    indicators = IndicatorSerializer(many=True)
    funding = serializers.SerializerMethodField()
    current_status = serializers.SerializerMethodField()
    budget_required = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="null when funding is withheld."
    )
    withheld = serializers.SerializerMethodField(help_text=WITHHELD_HELP)

    class Meta:
        model = Activity
        fields = [
            "id",
            "code",
            "title",
            "description",
            "plan",
            "matrix",
            "thematic_area",
            "cooperation_type",
            "horizon",
            "lifecycle",
            "iati_status_code",
            "start_date",
            "end_date",
            "budget_required",
            "currency",
            "topics",
            "sdg_targets",
            "participations",
            "priorities",
            "milestones",
            "indicators",
            "funding",
            "current_status",
            "is_illustrative",
            "version",
            "created_at",
            "updated_at",
            "withheld",
        ]

    @extend_schema_field(FundingSummarySerializer(allow_null=True))
    def get_funding(self, activity: Activity) -> dict:
        return FundingSummarySerializer(funding_summary(activity)).data

    @extend_schema_field(CurrentStatusSerializer)
    def get_current_status(self, activity: Activity) -> dict:
        return _CURRENT_STATUS.to_representation(current_status(activity))

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_withheld(self, activity: Activity) -> dict[str, str]:
        return self.context.get("sight", FULL_SIGHT).withheld

    def to_representation(self, activity: Activity) -> dict:
        """What the caller may see (the view passes their `sight` in the context)."""
        return withhold(super().to_representation(activity), self.context.get("sight", FULL_SIGHT))


def withhold(document: dict, sight: Sight) -> dict:
    """An activity's detail document without the field groups `sight` does not reach: both the
    serializer and the plain builder below pass through here, so they cannot differ on it."""
    if not sight.sees("description"):
        document["description"] = ""
    if not sight.sees("milestones"):
        document["milestones"] = []
    if not sight.sees("indicators"):
        document["indicators"] = []
    if not sight.sees("funding"):
        document["funding"] = None
        document["budget_required"] = None
    if not sight.sees_reasons:
        document["current_status"]["reasons"] = []
    for name, group in _ADDED_DETAIL_GROUPS.items():
        if name in document and not sight.sees(group):
            document[name] = []
    document["withheld"] = sight.withheld
    return document


# Parts of the detail other apps add (geography's `countries` and `regions`), through
# add_detail_fields: name → a reader that writes the part for one activity id in a fixed number of
# queries. Their serializer fields document them (the schema) and write them for a model instance.
DetailReader = Callable[[int], Any]
_ADDED_DETAIL: dict[str, DetailReader] = {}
# Each added part's field group (activities.sensitivity.FIELD_GROUPS): withheld, as a [], from
# who may not see it.
_ADDED_DETAIL_GROUPS: dict[str, str] = {}


def add_detail_fields(
    fields: Mapping[str, tuple[serializers.Field, DetailReader]], *, group: str
) -> None:
    """Add parts to the activity detail (ActivityDetailSerializer and activity_detail_document
    alike), from an app above this one (its AppConfig.ready()), so that this app need not import
    it; they are of the field group `group`. Each field reads the whole activity (`source="*"`).
    The same reader again is no change (Django runs ready() again when tests change
    INSTALLED_APPS)."""
    if group not in FIELD_GROUPS:
        raise ValueError(f"{group!r} is not a field group.")
    meta_fields = ActivityDetailSerializer.Meta.fields
    for name, (field, read) in fields.items():
        if _ADDED_DETAIL.get(name, read) is not read or (
            name in meta_fields and name not in _ADDED_DETAIL
        ):
            raise ValueError(f"The activity detail already has a field named {name!r}.")
        _ADDED_DETAIL[name] = read
        _ADDED_DETAIL_GROUPS[name] = group
        ActivityDetailSerializer._declared_fields[name] = field
        if name not in meta_fields:
            # Before the version and what follows it: with the activity's parts.
            meta_fields.insert(meta_fields.index("version"), name)


def _formats(serializer: serializers.Serializer, *names: str) -> dict:
    """The `to_representation` of the serializer's own fields: the plain builders below write
    decimals, dates and times exactly as the serializers that document them would."""
    fields = serializer.fields
    return {name: fields[name].to_representation for name in names}


_DETAIL = _formats(ActivityDetailSerializer(), "budget_required", "created_at", "updated_at")
_INDICATOR = _formats(IndicatorSerializer(), "baseline", "target")
_MEASUREMENT = _formats(MeasurementSerializer(), "value")
_FUNDING = FundingSummarySerializer()


def _measurements_by_indicator(rows: list[dict]) -> dict[int, list[dict]]:
    by_indicator: dict[int, list[dict]] = {}
    value = _MEASUREMENT["value"]
    for row in rows:
        by_indicator.setdefault(row["indicator_id"], []).append(
            {
                "id": row["id"],
                "indicator": row["indicator_id"],
                "measured_on": _iso(row["measured_on"]),
                "value": value(row["value"]),
                "note": row["note"],
                "recorded_by": row["recorded_by__username"],
            }
        )
    return by_indicator


def activity_detail_document(rows: ActivityDetailRows) -> dict:
    """ActivityDetailSerializer's output, built from `selectors.activity_detail_rows`: the
    serializer documents the shape (and the schema), this writes it without model instances,
    as activity_list_rows does for the list. A test compares the two."""
    a = rows.activity
    measurements = _measurements_by_indicator(rows.measurements)
    baseline, target = _INDICATOR["baseline"], _INDICATOR["target"]
    return withhold(_detail_document(rows, a, measurements, baseline, target), rows.sight)


def _detail_document(rows: ActivityDetailRows, a: dict, measurements, baseline, target) -> dict:
    return {
        "id": a["id"],
        "code": a["code"],
        "title": a["title"],
        "description": a["description"],
        "plan": {"id": a["matrix__plan_id"], "title": a["matrix__plan__title"]},
        "matrix": {
            "id": a["matrix_id"],
            "edition": a["matrix__edition"],
            "adopted_on": _iso(a["matrix__adopted_on"]),
        },
        "thematic_area": {"code": a["thematic_area__code"], "name": a["thematic_area__name"]},
        "cooperation_type": a["cooperation_type"],
        "horizon": a["horizon"],
        "lifecycle": a["lifecycle"],
        "iati_status_code": Activity.IATI_CODES[a["lifecycle"]],
        "start_date": _iso(a["start_date"]),
        "end_date": _iso(a["end_date"]),
        "budget_required": _DETAIL["budget_required"](a["budget_required"]),
        "currency": a["currency"],
        "topics": [{"code": code, "name": name} for code, name in rows.topics],
        "sdg_targets": [{"code": code, "title": title} for code, title in rows.sdg_targets],
        "participations": [
            {
                "organization": acronym,
                "organization_name": name,
                "role": role,
                "contribution": contribution,
            }
            for acronym, name, role, contribution in rows.participations
        ],
        "priorities": [
            {"year": year, "rank": rank, "rationale": rationale}
            for year, rank, rationale in rows.priorities
        ],
        "milestones": [
            {
                "id": m["id"],
                "activity": m["activity_id"],
                "title": m["title"],
                "due_date": _iso(m["due_date"]),
                "completed_on": _iso(m["completed_on"]),
                "weight": m["weight"],
                "outside_period_confirmed": m["outside_period_confirmed"],
                "version": m["version"],
            }
            for m in rows.milestones
        ],
        "indicators": [
            {
                "id": i["id"],
                "activity": i["activity_id"],
                "name": i["name"],
                "unit": i["unit"],
                "kind": i["kind"],
                "baseline": baseline(i["baseline"]),
                "baseline_date": _iso(i["baseline_date"]),
                "target": target(i["target"]),
                "target_date": _iso(i["target_date"]),
                "direction": i["direction"],
                "version": i["version"],
                "measurements": measurements.get(i["id"], []),
            }
            for i in rows.indicators
        ],
        "funding": None if rows.funding is None else _FUNDING.to_representation(rows.funding),
        "current_status": {
            "status": a["status"] or None,
            "as_of": _iso(a["status_as_of"]),
            "reasons": [r for r in a["status_reasons"] or [] if isinstance(r, dict)],
        },
        "is_illustrative": a["is_illustrative"],
        **{name: read(a["id"]) for name, read in _ADDED_DETAIL.items()},
        "version": a["version"],
        "created_at": _DETAIL["created_at"](a["created_at"]),
        "updated_at": _DETAIL["updated_at"](a["updated_at"]),
    }


class PriorityActivityRefSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="matrix.plan_id")
    thematic_area = serializers.CharField(source="thematic_area.code")
    organizations = ParticipantSerializer(source="participations", many=True)
    current_status = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "code",
            "title",
            "plan",
            "thematic_area",
            "lifecycle",
            "organizations",
            "current_status",
        ]

    @extend_schema_field(CurrentStatusSerializer)
    def get_current_status(self, activity: Activity) -> dict:
        return _CURRENT_STATUS.to_representation(current_status(activity))


class PriorityActivitySerializer(serializers.ModelSerializer):
    """A priority designation with its activity and the activity's current status."""

    activity = PriorityActivityRefSerializer()

    class Meta:
        model = PriorityDesignation
        fields = ["year", "rank", "rationale", "activity"]


class UpdatePeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingPeriod
        fields = ["id", "label", "starts_on", "ends_on", "due_on"]


class ProgressUpdateSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    period = UpdatePeriodSerializer(
        read_only=True,
        allow_null=True,
        help_text="The reporting period of the plan's calendar that contains `period_end` (null "
        "when the plan has no calendar).",
    )
    corrects = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="A correction: the approved update of the same period it corrects (an "
        "approved update locks its period; a later report on it is a correction).",
    )

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "activity",
            "period_end",
            "period",
            "corrects",
            "percent_complete",
            "narrative",
            "risks",
            "state",
            "author",
            "submitted_at",
            "reviewer",
            "reviewed_at",
            "review_note",
            "version",
            "created_at",
            "updated_at",
        ]

    def to_representation(self, update: ProgressUpdate) -> dict:
        data = super().to_representation(update)
        # `risks_shown` (selectors.with_risks_shown) is False where the caller may not see the
        # risks field group of the activity.
        if not getattr(update, "risks_shown", True):
            data["risks"] = ""
        return data


# --- input ---------------------------------------------------------------------------------------


class ParticipationInputSerializer(serializers.Serializer):
    organization = serializers.SlugRelatedField(
        slug_field="acronym", queryset=Organization.objects.all(), help_text="Acronym."
    )
    role = serializers.ChoiceField(choices=ActivityParticipation.Role.choices)
    contribution = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=LONG_TEXT_MAX
    )


class ActivityInputSerializer(serializers.Serializer):
    """Create: every field without a default is required. Update (PATCH): any subset, plus the
    version edited (unless sent as If-Match)."""

    matrix = serializers.PrimaryKeyRelatedField(queryset=ActivityMatrix.objects.all())
    code = serializers.CharField(max_length=30)
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, max_length=LONG_TEXT_MAX)
    thematic_area = serializers.SlugRelatedField(
        slug_field="code", queryset=ThematicArea.objects.all()
    )
    cooperation_type = serializers.ChoiceField(choices=Activity.CooperationType.choices)
    horizon = serializers.ChoiceField(choices=Activity.Horizon.choices)
    lifecycle = serializers.ChoiceField(choices=Activity.Lifecycle.choices, required=False)
    start_date = DateField(required=False, allow_null=True)
    end_date = DateField(required=False, allow_null=True)
    budget_required = AmountField(required=False)
    # Letters only, in the schema too (whitespace trimmed by a CharField made "  a" too short).
    currency = serializers.RegexField(
        r"^[A-Za-z]{3}$",
        required=False,
        error_messages={"invalid": "Use a three-letter ISO 4217 currency code, e.g. USD."},
    )
    topics = serializers.SlugRelatedField(
        slug_field="code", queryset=Topic.objects.all(), many=True, required=False
    )
    sdg_targets = serializers.SlugRelatedField(
        slug_field="code", queryset=SDGTarget.objects.all(), many=True, required=False
    )
    participations = serializers.ListField(
        child=ParticipationInputSerializer(), allow_empty=False, min_length=1
    )


class ActivityUpdateSerializer(ActivityInputSerializer):
    matrix = None  # an activity stays in its matrix
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version edited, if not sent as If-Match."
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class MilestoneInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    due_date = DateField()
    weight = serializers.IntegerField(min_value=1, max_value=32767, required=False)
    completed_on = DateField(required=False, allow_null=True)
    outside_period_confirmed = serializers.BooleanField(
        required=False,
        help_text="Needed only for a due date outside the activity's period: true confirms it "
        "(otherwise that date is refused with the period to choose from).",
    )


class MilestoneUpdateSerializer(MilestoneInputSerializer):
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version edited, if not sent as If-Match."
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class IndicatorInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    unit = serializers.CharField(max_length=60)
    kind = serializers.ChoiceField(
        choices=Indicator.Kind.choices,
        required=False,
        help_text="What the values can be: `count` (whole, 0 or more), `percentage` (0 to 100) "
        "or `number` (any; the default). Baseline, target and measurements keep to it.",
    )
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2)
    baseline_date = DateField()
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    target_date = DateField()
    direction = serializers.ChoiceField(choices=Indicator.Direction.choices)


class CategoryValueSerializer(serializers.Serializer):
    category = IdField(help_text="A category of one of the indicator's dimensions.")
    value = serializers.DecimalField(max_digits=14, decimal_places=2)


class MeasurementInputSerializer(serializers.Serializer):
    measured_on = DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    breakdown = CategoryValueSerializer(
        many=True,
        required=False,
        help_text="The value by category. A dimension given in full adds up to `value`; one "
        "with categories missing is marked as not all categories reported.",
    )

    def validate_breakdown(self, rows: list[dict[str, Any]]) -> dict[int, Any]:
        categories = [row["category"] for row in rows]
        if len(set(categories)) != len(categories):
            raise serializers.ValidationError("Give each category once.")
        return {row["category"]: row["value"] for row in rows}


class MeasurementValueSerializer(serializers.Serializer):
    category = serializers.IntegerField(source="category_id")
    value = serializers.DecimalField(max_digits=14, decimal_places=2)


class MeasurementWithBreakdownSerializer(MeasurementSerializer):
    """A measurement as recorded, with its values by category."""

    breakdown = MeasurementValueSerializer(many=True, read_only=True)

    class Meta(MeasurementSerializer.Meta):
        fields = [*MeasurementSerializer.Meta.fields, "breakdown"]


class CategoryBreakdownSerializer(serializers.Serializer):
    category = serializers.IntegerField()
    name = serializers.CharField()
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="null: not given."
    )


class DimensionBreakdownSerializer(serializers.Serializer):
    dimension = serializers.CharField(source="dimension.name")
    categories = CategoryBreakdownSerializer(many=True, source="entries")
    sum = serializers.DecimalField(max_digits=16, decimal_places=2)
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    state = serializers.CharField(
        help_text='"complete", "not all categories reported" or "none reported".'
    )


class MeasurementBreakdownSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    measured_on = serializers.DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    dimensions = DimensionBreakdownSerializer(many=True)


class IndicatorBreakdownSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    target = DimensionBreakdownSerializer(many=True, help_text="The target by category.")
    measurements = MeasurementBreakdownSerializer(many=True)


def _period_field(**kwargs: Any) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=ReportingPeriod.objects.select_related("calendar"),
        help_text="Optional: the reporting period (its id in the plan's calendar) this update "
        "reports on. `period_end` places the update; a period given must be the one that "
        "contains it.",
        **kwargs,
    )


class ProgressUpdateInputSerializer(serializers.Serializer):
    period_end = DateField()
    period = _period_field(required=False)
    percent_complete = serializers.IntegerField(min_value=0, max_value=100)
    narrative = serializers.CharField(max_length=LONG_TEXT_MAX)
    risks = serializers.CharField(required=False, allow_blank=True, max_length=RISKS_MAX)
    submit = serializers.BooleanField(
        required=False, default=False, help_text="Submit for approval now (else a draft)."
    )


class ProgressUpdateEditSerializer(serializers.Serializer):
    period_end = DateField(required=False)
    period = _period_field(required=False)
    percent_complete = serializers.IntegerField(min_value=0, max_value=100, required=False)
    narrative = serializers.CharField(required=False, max_length=LONG_TEXT_MAX)
    risks = serializers.CharField(required=False, allow_blank=True, max_length=RISKS_MAX)
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version edited, if not sent as If-Match."
    )


class ReviewInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX)


class ReturnInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=NOTE_MAX, help_text="What needs to change.")


# --- the Activity Matrix (plain dataclasses from activities.matrix.rules) -------------------------


def _status_or_null(status: str) -> str | None:
    return status or None


class MatrixEntrySerializer(serializers.Serializer):
    """An activity listed in a group of a cell."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    role = serializers.CharField(help_text="The cell's organization's role in the activity.")
    status = serializers.SerializerMethodField()
    overlaps_with = serializers.ListField(
        child=serializers.CharField(),
        help_text="Codes of up to three activities it overlaps with, in code order "
        "(current activities only).",
    )
    more_overlaps = serializers.BooleanField(
        help_text="It overlaps with more activities than `overlaps_with` names."
    )

    @extend_schema_field(serializers.ChoiceField(choices=MonitoringStatus.choices, allow_null=True))
    def get_status(self, entry) -> str | None:
        """Latest monitoring status; null before the first assessment."""
        return _status_or_null(entry.status)


class MatrixGroupSerializer(serializers.Serializer):
    """The cell's activities of one cooperation type and horizon: how many, the first few in code
    order, and the activity list filtered to all of them."""

    cooperation_type = serializers.ChoiceField(choices=Activity.CooperationType.choices)
    horizon = serializers.ChoiceField(choices=Activity.Horizon.choices)
    count = serializers.IntegerField(help_text="Activities in the group.")
    more = serializers.IntegerField(help_text="Activities of the group not listed here.")
    activities = MatrixEntrySerializer(
        source="entries",
        many=True,
        help_text="The first `listed_per_group` activities, in code order.",
    )
    activities_url = serializers.SerializerMethodField(
        help_text="The activity list (`/activities/`, paginated) filtered to every activity of "
        "the group: plan, matrix, thematic area, organization, cooperation type and horizon."
    )

    @extend_schema_field(serializers.URLField())
    def get_activities_url(self, group) -> str:
        return self.context["list_url"](group.list_filters)


class MatrixStatusCountSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=MonitoringStatus.choices, allow_null=True, help_text="Null: not assessed yet."
    )
    count = serializers.IntegerField()

    def to_representation(self, pair) -> dict:
        status, count = pair
        return {"status": _status_or_null(status), "count": count}


class MatrixCellSerializer(serializers.Serializer):
    organization = serializers.CharField()
    count = serializers.IntegerField(help_text="The cell's activities, all groups together.")
    status_counts = MatrixStatusCountSerializer(
        many=True, help_text="The cell's activities by latest status, in status order; no zeros."
    )
    groups = MatrixGroupSerializer(many=True, help_text="Only groups holding activities.")


class OverlapSerializer(serializers.Serializer):
    activities = serializers.ListField(child=serializers.CharField(), help_text="Two codes.")
    topics = serializers.ListField(child=serializers.CharField())
    only_in_first = serializers.ListField(child=serializers.CharField())
    only_in_second = serializers.ListField(child=serializers.CharField())


class TopicOverlapSerializer(serializers.Serializer):
    topic = serializers.CharField(help_text="The topic's code.")
    name = serializers.SerializerMethodField(help_text="The topic's name.")
    pairs = serializers.IntegerField(help_text="Pairs of current activities overlapping on it.")
    activities = serializers.IntegerField(help_text="Activities in at least one of those pairs.")
    organizations = serializers.ListField(child=serializers.CharField())

    def get_name(self, found) -> str:
        return self.context["topic_names"].get(found.topic, found.topic)


class AreaFlagsSerializer(serializers.Serializer):
    gap = serializers.BooleanField(help_text="No current activity in this area.")
    single_organization = serializers.BooleanField(
        help_text="Only one of the partnership's organizations is active here."
    )
    active_organizations = serializers.ListField(child=serializers.CharField())
    overlaps = OverlapSerializer(
        many=True,
        help_text="Up to three overlapping pairs as examples; the area's `overlap_topics` "
        "counts them all. Empty: no overlap.",
    )


class AreaRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    current_count = serializers.IntegerField()
    aspirational_count = serializers.IntegerField()
    cells = MatrixCellSerializer(many=True)
    flags = AreaFlagsSerializer()
    overlap_topics = TopicOverlapSerializer(
        many=True, help_text="Topics with overlapping work, most pairs first."
    )


class MatrixSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    matrix = MatrixRefSerializer(allow_null=True)
    horizon = serializers.ChoiceField(
        choices=Activity.Horizon.choices,
        allow_null=True,
        help_text="The horizon the cells show; null: both. The flags consider current activities.",
    )
    listed_per_group = serializers.IntegerField(
        help_text="Activities listed per group at most; `activities_url` lists them all."
    )
    organizations = serializers.ListField(child=serializers.CharField())
    areas = AreaRowSerializer(many=True)


# --- audit history --------------------------------------------------------------------------------


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField(source="name", help_text="The field's name, e.g. `due_date`.")
    label = serializers.CharField(source="field", help_text="Its label, e.g. `due date`.")
    old = serializers.CharField(help_text="The value before, as shown to people (`—` when blank).")
    new = serializers.CharField(help_text="The value after.")


class HistoryEntrySerializer(serializers.Serializer):
    """One recorded change (activities.history.ChangeEntry)."""

    when = serializers.DateTimeField()
    who = serializers.CharField(
        source="username", help_text="The username of the author; empty for system changes."
    )
    model = serializers.CharField(
        help_text="`activity`, `activityparticipation`, `prioritydesignation`, `milestone`, "
        "`indicator`, `measurement`, `progressupdate`, `fundingcommitment`, `statusoverride`, "
        "`disclosure` (publication settings)."
    )
    object_id = serializers.IntegerField(help_text="The id of the changed record.")
    subject = serializers.CharField(help_text="The record's name when it was changed.")
    change_type = serializers.ChoiceField(
        source="action", choices=["created", "changed", "deleted"]
    )
    changes = FieldChangeSerializer(many=True, help_text="Empty unless `change_type` is changed.")
