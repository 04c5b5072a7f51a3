"""The geography part of the REST API v1: an activity's places (read and replace, with the
activity's ETag), and countries and regions with their counts by status and their activities.

Thin: validate, call geography.services or geography.selectors, shape the output. A country code
that is not ISO 3166-1 alpha-2, or a region that is not M49, is refused by the input's schema
(400); shares that break the rules (not adding up to 100) answer 422, as every rule of the
partnership does, with every problem at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from activities import permissions
from activities.api.concurrency import edit_version, etag_for
from activities.api.serializers import ReasonSerializer
from activities.api.views import IF_MATCH
from activities.models import Activity, MonitoringStatus
from geography import selectors, services
from geography.reference_data import COUNTRY_CODES, REGION_CODES
from geography.rules import COUNTRY_MESSAGE, Place, is_country
from monitoring.selectors import is_current, latest_assessed_on
from partnership.api.common import EDIT_ERRORS, READ_ERRORS, VALIDATION_ERROR
from partnership.api.inputs import DateField, IdField, PercentField, query, validated
from partnership.models import JointActionPlan

ACTIVITIES_LISTED = 200

# --- an activity's places -------------------------------------------------------------------------


class PlaceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="ISO 3166-1 alpha-2 (a country) or UN M49 (a region).")
    name = serializers.CharField()
    share = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text="Percent, or null."
    )
    is_illustrative = serializers.BooleanField(
        help_text="Not taken from a public source (demo data)."
    )


class PlacesSerializer(serializers.Serializer):
    activity = serializers.IntegerField()
    version = serializers.IntegerField(help_text="The activity's version (its ETag).")
    countries = PlaceSerializer(many=True)
    regions = PlaceSerializer(many=True)


class CountryCodeField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "ISO 3166-1 alpha-2 code, upper case, e.g. NG.")
        kwargs.setdefault("error_messages", {"invalid_choice": COUNTRY_MESSAGE})
        super().__init__(COUNTRY_CODES, **kwargs)


class RegionCodeField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "UN M49 region code, e.g. 011 (Western Africa).")
        kwargs.setdefault(
            "error_messages", {"invalid_choice": "'{input}' is not a UN M49 region code."}
        )
        super().__init__(REGION_CODES, **kwargs)


class ShareField(PercentField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.update(
            required=False,
            allow_null=True,
            help_text="Share in percent, more than 0 and at most 100; give one for every place "
            "or for none. Where given, the countries' and regions' shares add up to 100.",
        )
        super().__init__(**kwargs)


class CountryInputSerializer(serializers.Serializer):
    code = CountryCodeField()
    share = ShareField()
    is_illustrative = serializers.BooleanField(default=False)


class RegionInputSerializer(serializers.Serializer):
    code = RegionCodeField()
    share = ShareField()
    is_illustrative = serializers.BooleanField(default=False)


class PlacesInputSerializer(serializers.Serializer):
    countries = CountryInputSerializer(many=True, max_length=250)
    regions = RegionInputSerializer(many=True, max_length=40)
    version = IdField(required=False, help_text="The version you edited, if not in If-Match.")


def _places(items: list[dict[str, Any]]) -> list[Place]:
    return [Place(i["code"], i.get("share"), i.get("is_illustrative", False)) for i in items]


def _place_rules(values: dict[str, Any]) -> dict[str, list[str]]:
    """The rules over input whose other parts were refused, so one answer has every error."""
    if "countries" not in values or "regions" not in values:
        return {}
    errors = services.place_errors(
        countries=_places(values["countries"]), regions=_places(values["regions"])
    )
    if NON_FIELD_ERRORS in errors:
        errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
    return errors


def _rows(places: list[selectors.PlaceRow]) -> list[dict[str, Any]]:
    return [
        {
            "code": p.code,
            "name": p.name,
            "share": None if p.share is None else f"{p.share:.2f}",
            "is_illustrative": p.is_illustrative,
        }
        for p in places
    ]


def activity_countries(activity_id: int) -> list[dict[str, Any]]:
    """The activity detail's `countries` (1 query)."""
    return _rows(selectors.countries_by_activity([activity_id])[activity_id])


def activity_regions(activity_id: int) -> list[dict[str, Any]]:
    """The activity detail's `regions` (1 query)."""
    return _rows(selectors.regions_by_activity([activity_id])[activity_id])


@extend_schema_field(PlaceSerializer(many=True))
class ActivityPlacesField(serializers.Field):
    """An activity's countries or regions in the activity detail (`read` is activity_countries
    or activity_regions), so the detail written from rows and the one written from a model
    instance say the same."""

    def __init__(self, read, **kwargs: Any) -> None:
        self.read = read
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, activity: Activity) -> list[dict[str, Any]]:
        return self.read(activity.pk)


# Added to /api/v1/activities/{id}/ by this app's AppConfig (activities.api.serializers).
DETAIL_FIELDS = {
    "countries": (
        ActivityPlacesField(
            activity_countries,
            help_text="Recipient countries (ISO 3166-1), by name; edit them at `places/`.",
        ),
        activity_countries,
    ),
    "regions": (
        ActivityPlacesField(activity_regions, help_text="Recipient regions (UN M49), by code."),
        activity_regions,
    ),
}


def _places_response(activity_id: int, version: int) -> Response:
    places = selectors.places_of(activity_id=activity_id)
    data = {
        "activity": activity_id,
        "version": version,
        "countries": _rows(places.countries),
        "regions": _rows(places.regions),
    }
    return Response(data, headers={"ETag": etag_for(version)})


class ActivityPlacesView(generics.GenericAPIView):
    """An activity's recipient countries and regions. The ETag is the activity's (its places are
    part of its record); a PUT replaces them all and names that version back in If-Match."""

    serializer_class = PlacesSerializer
    queryset = Activity.objects.none()  # for the schema

    @extend_schema(responses={200: PlacesSerializer, **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        version = Activity.objects.filter(pk=pk).values_list("version", flat=True).first()
        if version is None:
            raise Http404
        return _places_response(pk, version)

    @extend_schema(
        request=PlacesInputSerializer,
        parameters=[IF_MATCH],
        responses={200: PlacesSerializer, **EDIT_ERRORS},
    )
    def put(self, request: Request, pk: int) -> Response:
        activity = get_object_or_404(Activity.objects.prefetch_related("participations"), pk=pk)
        if not permissions.can_edit_activity(request.user, activity):
            raise PermissionDenied(
                "Only liaison officers of an organization taking part in this activity, and "
                "managers, may change its places."
            )
        data = validated(PlacesInputSerializer, request.data, rules=_place_rules)
        version = edit_version(request, data.get("version"))
        updated = services.set_places(
            actor=request.user,
            activity=activity,
            version=version,
            countries=_places(data["countries"]),
            regions=_places(data["regions"]),
        )
        return _places_response(pk, updated.version)


# --- countries and regions ------------------------------------------------------------------------


class ScopeQuery(serializers.Serializer):
    plan = IdField(help_text="The plan's id.")
    as_of = DateField(required=False, help_text="Default: today.")


class StatusCountsSerializer(serializers.Serializer):
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Activities by status on the date."
    )
    unassessed = serializers.IntegerField(help_text="Activities not yet assessed by that date.")
    total = serializers.IntegerField()


class CountryFiguresSerializer(StatusCountsSerializer):
    code = serializers.CharField()
    name = serializers.CharField()
    worst_status = serializers.CharField(help_text='The worst status of its activities; "" none.')
    url = serializers.CharField()


class CountryListSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    as_of = serializers.DateField()
    countries = CountryFiguresSerializer(many=True)


class PlaceActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    thematic_area = serializers.CharField()
    status = serializers.ChoiceField(choices=MonitoringStatus.choices, allow_null=True)
    reasons = ReasonSerializer(many=True)


class RegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField(source="get_level_display")
    parent = serializers.CharField(source="parent.code", allow_null=True)


class PlaceDetailSerializer(StatusCountsSerializer):
    code = serializers.CharField()
    name = serializers.CharField()
    plan = serializers.IntegerField()
    as_of = serializers.DateField()
    regions = RegionSerializer(many=True, help_text="For a country: the regions it lies in.")
    countries = serializers.ListField(
        child=serializers.CharField(), help_text="For a region: its countries' codes."
    )
    activities = PlaceActivitySerializer(many=True, help_text="The first 200, by code.")
    activities_url = serializers.CharField(help_text="All of them: the activity list, filtered.")


def _scope(request: Request) -> tuple[JointActionPlan, dt.date, bool]:
    params = query(ScopeQuery, request)
    plan = get_object_or_404(JointActionPlan, pk=params["plan"])
    as_of = params.get("as_of") or timezone.localdate()
    return plan, as_of, is_current(as_of=as_of, latest=latest_assessed_on(plan_id=plan.pk))


def _region_row(region) -> dict[str, Any]:
    return RegionSerializer(region).data


class CountryListView(generics.GenericAPIView):
    """Every country named by one of the plan's activities, with their counts by status on the
    date (each activity's latest assessment on or before it) and the worst of them."""

    serializer_class = CountryListSerializer

    @extend_schema(
        operation_id="countries_list",
        parameters=[ScopeQuery],
        responses={200: CountryListSerializer, 400: VALIDATION_ERROR, **READ_ERRORS},
    )
    def get(self, request: Request) -> Response:
        plan, as_of, current = _scope(request)
        figures = selectors.place_figures(
            plan_id=plan.pk, as_of=as_of, current=current, viewer=request.user
        )
        countries = [
            {
                "code": f.code,
                "name": f.name,
                "counts": f.counts,
                "unassessed": f.unassessed,
                "total": f.total,
                "worst_status": f.worst,
                "url": reverse("api:country-detail", args=[f.code]),
            }
            for f in figures
        ]
        return Response({"plan": plan.pk, "as_of": as_of, "countries": countries})


def _place_detail(request: Request, *, code: str, name: str, where, extra: dict) -> Response:
    plan, as_of, current = _scope(request)
    summary = selectors.place_summary(
        plan_id=plan.pk,
        as_of=as_of,
        current=current,
        where=where,
        viewer=request.user,
        limit=ACTIVITIES_LISTED,
    )
    key = "country" if "regions" in extra else "region"
    data = {
        "code": code,
        "name": name,
        "plan": plan.pk,
        "as_of": as_of,
        "counts": summary.counts,
        "unassessed": summary.unassessed,
        "total": summary.total,
        "regions": [],
        "countries": [],
        **extra,
        "activities": [
            {
                "id": a.pk,
                "code": a.code,
                "title": a.title,
                "thematic_area": a.thematic_area.code,
                "status": a.status_on or None,
                "reasons": a.reasons_on or [],
            }
            for a in summary.activities
        ],
        "activities_url": reverse("api:activity-list")
        + "?"
        + urlencode({"plan": plan.pk, key: code}),
    }
    return Response(data)


@extend_schema(
    parameters=[ScopeQuery],
    responses={200: PlaceDetailSerializer, 400: VALIDATION_ERROR, **READ_ERRORS},
)
class CountryDetailView(generics.GenericAPIView):
    """One country: the plan's activities there (naming it as a recipient country), counts by
    status on the date, and the regions it lies in. 404 for a code that is not ISO 3166-1."""

    serializer_class = PlaceDetailSerializer

    def get(self, request: Request, iso: str) -> Response:
        code = iso.upper()
        if not is_country(code):
            raise Http404
        regions = [_region_row(r) for r in selectors.regions_of_country(code=code)]
        return _place_detail(
            request,
            code=code,
            name=selectors.country_name(code),
            where=selectors.place_condition(country=code),
            extra={"regions": regions},
        )


class RegionListView(generics.ListAPIView):
    """The UN M49 regions: the World, regions, sub-regions and intermediate regions."""

    serializer_class = RegionSerializer

    def get_queryset(self):
        return selectors.region_queryset()


@extend_schema(
    parameters=[ScopeQuery],
    responses={200: PlaceDetailSerializer, 400: VALIDATION_ERROR, **READ_ERRORS},
)
class RegionDetailView(generics.GenericAPIView):
    """One M49 region: the plan's activities there (naming the region, a region within it or
    one of its countries), counts by status on the date, and its countries."""

    serializer_class = PlaceDetailSerializer

    def get(self, request: Request, code: str) -> Response:
        region = selectors.region(code=code)
        if region is None:
            raise Http404
        members = [c for c, _ in selectors.countries_of_region(code=code)]
        return _place_detail(
            request,
            code=code,
            name=region.name,
            where=selectors.place_condition(region_code=code),
            extra={"countries": members},
        )


urlpatterns = [
    path("activities/<int:pk>/places/", ActivityPlacesView.as_view(), name="activity-places"),
    path("countries/", CountryListView.as_view(), name="country-list"),
    path("countries/<str:iso>/", CountryDetailView.as_view(), name="country-detail"),
    path("regions/", RegionListView.as_view(), name="region-list"),
    path("regions/<str:code>/", RegionDetailView.as_view(), name="region-detail"),
]
