"""Reads of the geography records: an activity's places, the countries and regions with their
figures, and what a country's or a region's page shows. Each function names its queries, which
do not grow with the number of activities. The public API of this app for other apps and issues
(the public portal, the IATI export): `places_of`, `places_by_activity`, `regions`, `region`,
`countries_of_region`, `place_figures`, `place_summary`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django_countries import countries

from activities.filters import ActivityFilter
from activities.models import Activity, ActivityParticipation, FundingCommitment, Milestone
from activities.selectors import activity_list
from activities.sensitivity_selectors import (
    group_visible,
    sight_of,
    visible_activities,
    with_sight,
)
from geography import rules
from geography.filters import in_country, in_region
from geography.models import ActivityCountry, ActivityRegion, Region, RegionCountry
from monitoring.selectors import STATUSES, in_effect
from partnership.models import ThematicArea

# --- an activity's places -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlaceRow:
    """A recipient country or region of an activity, as pages and the API show it."""

    code: str
    name: str
    share: Decimal | None
    is_illustrative: bool


@dataclass(frozen=True, slots=True)
class Places:
    countries: list[PlaceRow] = field(default_factory=list)
    regions: list[PlaceRow] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.countries and not self.regions

    @property
    def any_illustrative(self) -> bool:
        return any(place.is_illustrative for place in [*self.countries, *self.regions])


def country_name(code: str) -> str:
    return countries.name(code) or code


def countries_by_activity(activity_ids: Iterable[int]) -> dict[int, list[PlaceRow]]:
    """The recipient countries of each activity, by name (1 query however many)."""
    found: dict[int, list[PlaceRow]] = {pk: [] for pk in activity_ids}
    for activity_id, code, share, illustrative in ActivityCountry.objects.filter(
        activity_id__in=list(found)
    ).values_list("activity_id", "country", "share", "is_illustrative"):
        found[activity_id].append(PlaceRow(code, country_name(code), share, illustrative))
    for rows in found.values():
        rows.sort(key=lambda place: place.name)
    return found


def regions_by_activity(activity_ids: Iterable[int]) -> dict[int, list[PlaceRow]]:
    """The recipient regions of each activity, by code (1 query however many)."""
    found: dict[int, list[PlaceRow]] = {pk: [] for pk in activity_ids}
    for activity_id, code, name, share, illustrative in (
        ActivityRegion.objects.filter(activity_id__in=list(found))
        .order_by("region__code")
        .values_list("activity_id", "region__code", "region__name", "share", "is_illustrative")
    ):
        found[activity_id].append(PlaceRow(code, name, share, illustrative))
    return found


def places_by_activity(activity_ids: Iterable[int]) -> dict[int, Places]:
    """The recipient countries and regions of each activity (2 queries however many); an
    activity without places maps to empty Places."""
    ids = sorted(set(activity_ids))
    countries_of, regions_of = countries_by_activity(ids), regions_by_activity(ids)
    return {pk: Places(countries_of[pk], regions_of[pk]) for pk in ids}


def places_of(*, activity_id: int) -> Places:
    """One activity's recipient countries (by name) and regions (by code): 2 queries."""
    return places_by_activity([activity_id])[activity_id]


# --- regions --------------------------------------------------------------------------------------


def region_queryset() -> QuerySet[Region]:
    """Every M49 region with its parent, the World first, then by name within each level (one
    query when read)."""
    return Region.objects.select_related("parent").order_by("level", "name", "id")


def regions() -> list[Region]:
    return list(region_queryset())


def region(*, code: str) -> Region | None:
    """One region with its parent (one query); None when there is none with that code."""
    return Region.objects.select_related("parent").filter(code=code).first()


def countries_of_region(*, code: str) -> list[tuple[str, str]]:
    """The (code, name) of every country in the region at any depth, by name (one query)."""
    codes = RegionCountry.objects.filter(region__code=code).values_list("country", flat=True)
    return sorted(((c, country_name(c)) for c in codes), key=lambda item: item[1])


def regions_of_country(*, code: str) -> list[Region]:
    """The regions the country lies in, the World first (one query)."""
    return list(
        Region.objects.filter(memberships__country=code).select_related("parent").order_by("level")
    )


# --- figures per place, for the map ---------------------------------------------------------------


@dataclass
class PlaceFigure:
    """How many of the chosen activities name one country, by their status on the date."""

    code: str
    name: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    unassessed: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + self.unassessed

    @property
    def worst(self) -> str:
        present = [status for status, n in self.counts.items() if n]
        return rules.worst_status([*present, ""] if self.unassessed else present)


STATUS_FILTER = "status"


def placed_activities(viewer: Any, *, plan_id: int) -> QuerySet[Activity]:
    """The plan's activities `viewer` may list and whose places they may read: only those put
    them on a map, a country or a count of places (activities.sensitivity; no query by
    itself)."""
    return Activity.objects.filter(
        visible_activities(viewer), group_visible(viewer, "places"), matrix__plan_id=plan_id
    ).order_by()


def scoped_activities(
    *, plan_id: int, filters: Mapping[str, Any], viewer: Any
) -> QuerySet[Activity]:
    """The plan's activities placed for `viewer` (placed_activities) passing the activity
    list's filters (ActivityFilter, its text search into the descriptions they may read), but
    for the status, which the callers read as of their date (no query by itself)."""
    params = {key: value for key, value in filters.items() if key != STATUS_FILTER and value}
    activities = placed_activities(viewer, plan_id=plan_id)
    if params:
        request = SimpleNamespace(user=viewer)  # what ActivityFilter's text search reads
        activities = ActivityFilter(params, queryset=activities, request=request).qs
    return activities.order_by()


def place_figures(
    *,
    plan_id: int,
    as_of: dt.date,
    current: bool,
    viewer: Any,
    filters: Mapping[str, Any] | None = None,
) -> list[PlaceFigure]:
    """For every country named by at least one of the plan's activities placed for `viewer`
    (placed_activities) that pass `filters` (the activity list's parameters; `status` a list of
    statuses on `as_of`), the number of those activities by their status on `as_of`; by name.
    One query."""
    filters = filters or {}
    rows = ActivityCountry.objects.filter(
        activity__in=scoped_activities(plan_id=plan_id, filters=filters, viewer=viewer).values("pk")
    ).annotate(status_on=in_effect("activity_id", as_of, current=current))
    if statuses := list(filters.get(STATUS_FILTER) or []):
        rows = rows.filter(status_on__in=statuses)
    figures: dict[str, PlaceFigure] = {}
    for item in rows.values("country", "status_on").annotate(n=Count("id")).order_by():
        code = item["country"]
        figure = figures.setdefault(code, PlaceFigure(code=code, name=country_name(code)))
        if item["status_on"] in figure.counts:
            figure.counts[item["status_on"]] += item["n"]
        else:
            figure.unassessed += item["n"]
    return sorted(figures.values(), key=lambda figure: figure.name)


def activities_without_country(*, plan_id: int, viewer: Any) -> int:
    """How many of the plan's activities placed for `viewer` (placed_activities) name no
    recipient country (one query): the dashboard's "By country" tab says so, as they are on no
    row of it."""
    return (
        placed_activities(viewer, plan_id=plan_id)
        .exclude(Exists(ActivityCountry.objects.filter(activity_id=OuterRef("pk"))))
        .count()
    )


# --- one country's or one region's page -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AreaCoverage:
    """One thematic area in a place: how many activities, which organizations run them."""

    area: ThematicArea
    activities: int
    organizations: list[str]

    @property
    def is_gap(self) -> bool:
        return self.activities == 0

    @property
    def single_organization(self) -> bool:
        return len(self.organizations) == 1


@dataclass(frozen=True, slots=True)
class PlaceSummary:
    """What a country's or a region's page shows for a plan on a date."""

    total: int
    counts: dict[str, int]
    unassessed: int
    coverage: list[AreaCoverage]
    funding: list[tuple[str, Decimal, Decimal]]  # (currency, required, secured)
    activities: list[Activity]  # the first `limit`, by code, with `status_on` and `reasons_on`
    places: dict[int, Places]  # the listed activities' countries and regions
    milestones: list[Milestone]  # open on the date, soonest due first, the first `limit`
    milestones_total: int

    @property
    def covered(self) -> list[AreaCoverage]:
        return [row for row in self.coverage if not row.is_gap]

    @property
    def not_covered(self) -> list[AreaCoverage]:
        return [row for row in self.coverage if row.is_gap]


def place_condition(*, country: str | None = None, region_code: str | None = None) -> Q:
    """The activities of a country (naming it) or of a region (naming it, a region within it or
    one of its countries), as a condition on Activity: the `country` and `region` filters'."""
    if country is not None:
        return Q(in_country(country))
    assert region_code is not None
    return in_region(region_code)


def place_summary(
    *,
    plan_id: int,
    as_of: dt.date,
    current: bool,
    where: Q,
    viewer: Any,
    limit: int = 200,
) -> PlaceSummary:
    """The page of one place (`where`: place_condition) for the plan on `as_of`. Queries: the
    thematic areas (1), counts by area and status (1), organizations by area (1), funding by
    currency (2), the first `limit` activities with status and reasons on the date and secured
    funding, their participations and priorities (3), their countries and regions (2), the open
    milestones (1; their total, 1 more, only when there are more than `limit`): 11.

    Of the activities placed for `viewer` (placed_activities) only; the funding of those whose
    funding they may read, the open milestones of those whose milestones they may read, and the
    reasons (which name milestones, indicators and money) of those whose every part the reasons
    name they may read; the tiers are read in the listed activities' query."""
    activities = placed_activities(viewer, plan_id=plan_id).filter(where)
    areas = list(ThematicArea.objects.order_by("order"))
    by_area: dict[int, int] = {}
    counts = dict.fromkeys(STATUSES, 0)
    unassessed = 0
    for item in (
        activities.annotate(status_on=in_effect("pk", as_of, current=current))
        .values("thematic_area_id", "status_on")
        .annotate(n=Count("id"))
        .order_by()
    ):
        by_area[item["thematic_area_id"]] = by_area.get(item["thematic_area_id"], 0) + item["n"]
        if item["status_on"] in counts:
            counts[item["status_on"]] += item["n"]
        else:
            unassessed += item["n"]
    organizations: dict[int, set[str]] = {}
    for area_id, acronym in (
        ActivityParticipation.objects.filter(activity__in=activities.values("pk"))
        .values_list("activity__thematic_area_id", "organization__acronym")
        .distinct()
        .order_by()
    ):
        organizations.setdefault(area_id, set()).add(acronym)
    coverage = [
        AreaCoverage(area, by_area.get(area.pk, 0), sorted(organizations.get(area.pk, ())))
        for area in areas
    ]
    funding = _funding(activities.filter(group_visible(viewer, "funding")))
    listed = list(
        with_sight(_listed(activities, as_of=as_of, current=current), viewer).order_by(
            "code", "id"
        )[:limit]
    )
    for activity in listed:
        if not sight_of(viewer, activity).sees_reasons:
            activity.reasons_on = []
    open_milestones = Milestone.objects.filter(
        group_visible(viewer, "milestones", "activity__"),
        activity__in=activities.values("pk"),
    ).filter(Q(completed_on__isnull=True) | Q(completed_on__gt=as_of))
    milestones = list(open_milestones.select_related("activity").order_by("due_date", "id")[:limit])
    return PlaceSummary(
        total=sum(counts.values()) + unassessed,
        counts=counts,
        unassessed=unassessed,
        coverage=coverage,
        funding=funding,
        activities=listed,
        places=places_by_activity([activity.pk for activity in listed]),
        milestones=milestones,
        milestones_total=open_milestones.count() if len(milestones) == limit else len(milestones),
    )


def _funding(activities: QuerySet[Activity]) -> list[tuple[str, Decimal, Decimal]]:
    """(currency, required, secured) for the activities' currencies, by currency (2 queries).
    Secured as activities.selectors counts it: committed or received, in the activity's own
    currency (money in another currency is not converted)."""
    required = dict(
        activities.values("currency")
        .annotate(total=Sum("budget_required"))
        .order_by()
        .values_list("currency", "total")
    )
    secured = dict(
        FundingCommitment.objects.filter(
            activity__in=activities.values("pk"),
            status__in=FundingCommitment.SECURED,
            currency=F("activity__currency"),
        )
        .values("currency")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("currency", "total")
    )
    return [
        (currency, required[currency] or Decimal("0"), secured.get(currency) or Decimal("0"))
        for currency in sorted(required)
    ]


def _listed(activities: QuerySet[Activity], *, as_of: dt.date, current: bool) -> QuerySet:
    return (
        activity_list()
        .filter(pk__in=activities.values("pk"))
        .annotate(
            status_on=in_effect("pk", as_of, current=current),
            reasons_on=in_effect("pk", as_of, "reasons", current=current),
        )
    )


def funding_totals(rows: Sequence[tuple[str, Decimal, Decimal]]) -> list[dict[str, Any]]:
    """The funding rows with their gap (no query)."""
    return [
        {"currency": c, "required": r, "secured": s, "gap": max(r - s, Decimal("0"))}
        for c, r, s in rows
    ]


def place_specs(*, activity_id: int) -> tuple[list[rules.Place], list[rules.Place]]:
    """The activity's countries and regions as the service takes them (2 queries): for a
    writer that changes one place and hands the service the whole set (the admin)."""
    places = places_of(activity_id=activity_id)
    return (
        [rules.Place(p.code, p.share, p.is_illustrative) for p in places.countries],
        [rules.Place(p.code, p.share, p.is_illustrative) for p in places.regions],
    )
