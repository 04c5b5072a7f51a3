"""The activity list's `country` and `region` filters (added to activities.filters.ActivityFilter
by this app's AppConfig), and the same conditions for this app's own selectors."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from drf_spectacular.utils import extend_schema_field

from geography.models import ActivityCountry, ActivityRegion, Region, RegionCountry
from geography.reference_data import COUNTRY_CODES, REGION_CODES
from geography.rules import COUNTRY_MESSAGE


def in_country(code: str, activity_ref: str = "pk") -> Exists:
    """The activity names this recipient country (an EXISTS through (country, activity))."""
    return Exists(ActivityCountry.objects.filter(activity_id=OuterRef(activity_ref), country=code))


def region_and_below(code: str) -> Q:
    """The region and every region under it (M49 is at most three levels below the World)."""
    return (
        Q(code=code)
        | Q(parent__code=code)
        | Q(parent__parent__code=code)
        | Q(parent__parent__parent__code=code)
    )


def in_region(code: str, activity_ref: str = "pk") -> Q:
    """The activity names this region, a region within it, or a country within it."""
    regions = Region.objects.filter(region_and_below(code)).values("pk")
    members = RegionCountry.objects.filter(region__code=code).values("country")
    return Q(
        Exists(
            ActivityRegion.objects.filter(activity_id=OuterRef(activity_ref), region__in=regions)
        )
    ) | Q(
        Exists(
            ActivityCountry.objects.filter(activity_id=OuterRef(activity_ref), country__in=members)
        )
    )


@extend_schema_field({"type": "string", "enum": COUNTRY_CODES})
class CountryFilter(django_filters.CharFilter):
    """An ISO 3166-1 alpha-2 code, upper case as the schema lists them; any other value is
    invalid (400)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("validators", [_known_country])
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "string", "enum": REGION_CODES})
class RegionFilter(django_filters.CharFilter):
    """A UN M49 region code, as the schema lists them; any other value is invalid (400)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("validators", [_region_code])
        super().__init__(*args, **kwargs)


def _known_country(value: str) -> None:
    if value and value not in COUNTRY_CODES:
        raise ValidationError(COUNTRY_MESSAGE)


def _region_code(value: str) -> None:
    if value and value not in REGION_CODES:
        raise ValidationError("Give a UN M49 region code, e.g. 011 (Western Africa).")


def filter_country(queryset: QuerySet, name: str, value: str) -> QuerySet:
    return queryset.filter(in_country(value)) if value else queryset


def filter_region(queryset: QuerySet, name: str, value: str) -> QuerySet:
    return queryset.filter(in_region(value)) if value else queryset


PLACE_FILTERS = {
    "country": CountryFilter(
        method=filter_country,
        help_text="ISO 3166-1 alpha-2 code of a recipient country, e.g. `NG`.",
    ),
    "region": RegionFilter(
        method=filter_region,
        help_text="UN M49 code of a recipient region, e.g. `011` (Western Africa): activities "
        "in the region, in a region within it, or in one of its countries.",
    ),
}
