"""Reads the browser pages need beyond `activities.selectors`, each in a fixed number of queries
(stated per function), so a page costs the same however many activities, milestones or updates
there are."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from activities import breakdowns, selectors
from activities.charts import IndicatorChart, indicator_chart
from activities.models import (
    Activity,
    ActivityParticipation,
    FundingCommitment,
    Indicator,
    Measurement,
    Milestone,
    PriorityDesignation,
    ProgressUpdate,
)
from activities.sensitivity import REASONS_WITHHELD, Sight
from activities.sensitivity_selectors import sight_of, with_sight
from partnership.models import Organization, ThematicArea

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser

# --- the activity list ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FilterChoices:
    thematic_areas: list[tuple[str, str]]
    organizations: list[tuple[str, str]]
    priority_years: list[int]


def filter_choices() -> FilterChoices:
    """The options of the list's filters: thematic areas, the organizations that take part in at
    least one activity, the years with priorities: 3 queries."""
    areas = list(ThematicArea.objects.order_by("order").values_list("code", "name"))
    participating = ActivityParticipation.objects.filter(organization=OuterRef("pk"))
    organizations = [
        (acronym, f"{acronym} — {name}")
        for acronym, name in Organization.objects.filter(Exists(participating))
        .order_by("acronym")
        .values_list("acronym", "name")
    ]
    years = list(
        PriorityDesignation.objects.order_by("-year").values_list("year", flat=True).distinct()
    )
    return FilterChoices(thematic_areas=areas, organizations=organizations, priority_years=years)


# --- the activity page ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndicatorView:
    indicator: Indicator
    measurements: list[Measurement]
    chart: IndicatorChart
    latest: Measurement | None
    # Disaggregated indicators: the target and each measurement by category, per dimension.
    dimensions: list[breakdowns.DimensionRef] = field(default_factory=list)
    target_breakdown: list[breakdowns.DimensionBreakdown] = field(default_factory=list)
    measurement_breakdowns: list[tuple[Measurement, list[breakdowns.DimensionBreakdown]]] = field(
        default_factory=list
    )


@dataclass(frozen=True, slots=True)
class ActivityPage:
    activity: Activity
    participations: list[ActivityParticipation]
    milestones: list[Milestone]
    indicators: list[IndicatorView]
    updates: list[ProgressUpdate]
    funding: list[FundingCommitment]
    funding_summary: selectors.FundingSummary | None
    priority_years: list[int]
    # Field group → the line shown in its place, for each group the viewer may not see (their
    # records are left out above).
    withheld: dict[str, str] = field(default_factory=dict)
    sees_reasons: bool = True
    reasons_withheld: str = REASONS_WITHHELD


def activity_page(*, activity_id: int, viewer: User | None) -> ActivityPage:
    """Everything the activity page shows but its change history: `selectors.activity_detail`
    (the activity with matrix, plan, agreement and thematic area joined; participations with
    organizations; topics; SDG targets; priorities; milestones; indicators; measurements; funding
    with donors: 9 queries) and the progress updates `viewer` may read with author and reviewer
    (1): 10 queries; 3 more when an indicator is broken down by category (its dimensions with
    their categories, the targets and the measurements' values by category). The activity's
    tiers and whether the viewer's organization is a partner of its plan come in the first
    query (`with_sight`); the field groups the viewer may not see are left out (none of their
    records is read from the prefetches) and named in `withheld`. Raises Activity.DoesNotExist,
    also for a restricted activity the viewer takes no part in."""
    activity = with_sight(selectors.activity_detail_queryset(), viewer).get(pk=activity_id)
    sight = sight_of(viewer, activity)
    if not sight.activity_visible:
        raise Activity.DoesNotExist
    all_indicators = list(activity.indicators.all()) if sight.sees("indicators") else []
    disaggregated = [i.pk for i in all_indicators if i.dimension_count]
    dimensions, targets, values = {}, {}, {}
    if disaggregated:
        dimensions = selectors.dimension_refs_of(indicator_ids=disaggregated)
        targets = selectors.category_targets_of(indicator_ids=disaggregated)
        values = selectors.category_values_of(
            measurement_ids=[
                m.pk for i in all_indicators if i.dimension_count for m in i.measurements.all()
            ]
        )
    indicators = []
    for indicator in all_indicators:
        measurements = sorted(indicator.measurements.all(), key=lambda m: m.measured_on)
        dims = dimensions.get(indicator.pk, [])
        indicators.append(
            IndicatorView(
                indicator=indicator,
                measurements=measurements,
                chart=indicator_chart(indicator=indicator, measurements=measurements),
                latest=measurements[-1] if measurements else None,
                dimensions=dims,
                target_breakdown=breakdowns.breakdown(
                    total=indicator.target, given=targets.get(indicator.pk, {}), dimensions=dims
                ),
                measurement_breakdowns=[
                    (
                        m,
                        breakdowns.breakdown(
                            total=m.value, given=values.get(m.pk, {}), dimensions=dims
                        ),
                    )
                    for m in measurements
                ]
                if dims
                else [],
            )
        )
    funding = sight.sees("funding")
    return ActivityPage(
        activity=activity,
        participations=list(activity.participations.all()),
        milestones=list(activity.milestones.all()) if sight.sees("milestones") else [],
        indicators=indicators,
        updates=list(selectors.progress_update_list(activity=activity, viewer=viewer))
        if sight.sees("progress")
        else [],
        funding=sorted(activity.funding.all(), key=lambda f: (f.date, f.pk)) if funding else [],
        funding_summary=selectors.funding_summary(activity) if funding else None,
        priority_years=sorted({p.year for p in activity.priorities.all()}),
        withheld=sight.withheld,
        sees_reasons=sight.sees_reasons,
    )


def activity_for_edit(*, activity_id: int) -> Activity:
    """One activity with its participations (what the permission check reads): 2 queries.
    Raises Activity.DoesNotExist."""
    return (
        Activity.objects.select_related("matrix__plan", "thematic_area")
        .prefetch_related("participations")
        .get(pk=activity_id)
    )


def activity_or_404(pk: int) -> Activity:
    """activity_for_edit for a page of any app that works on one activity (editing it, its
    evidence, its places, its public texts): 2 queries. Raises Http404, which
    the page answers as "No such activity"."""
    try:
        return activity_for_edit(activity_id=pk)
    except Activity.DoesNotExist as exc:
        raise Http404("No such activity.") from exc


def activity_in_sight(*, activity_id: int, viewer: User | None) -> tuple[Activity, Sight]:
    """activity_for_edit's activity, with what `viewer` may see of it: the same 2 queries.
    Raises Activity.DoesNotExist, also for a restricted activity the viewer takes no part in."""
    activity = with_sight(
        Activity.objects.select_related("matrix__plan", "thematic_area").prefetch_related(
            "participations"
        ),
        viewer,
    ).get(pk=activity_id)
    sight = sight_of(viewer, activity)
    if not sight.activity_visible:
        raise Activity.DoesNotExist
    return activity, sight


def visible_activity_or_404(pk: int, viewer: User | None) -> Activity:
    """activity_in_sight's activity, for a page or endpoint of any app about an activity that a
    restricted tier hides whole from those outside it (its conversation): Http404 ("No such
    activity", as its own page answers) rather than a 403 that would say it exists."""
    try:
        return activity_in_sight(activity_id=pk, viewer=viewer)[0]
    except Activity.DoesNotExist as exc:
        raise Http404("No such activity.") from exc


def milestone_of(*, activity: Activity, milestone_id: int) -> Milestone:
    """One milestone of the activity (1 query); the activity already loaded is attached, so the
    permission check runs no further query. Raises Milestone.DoesNotExist."""
    milestone = Milestone.objects.get(pk=milestone_id, activity=activity)
    milestone.activity = activity
    return milestone


def indicator_of(*, activity: Activity, indicator_id: int) -> Indicator:
    """One indicator of the activity (1 query), with the loaded activity attached. Raises
    Indicator.DoesNotExist."""
    indicator = Indicator.objects.get(pk=indicator_id, activity=activity)
    indicator.activity = activity
    return indicator


def measurements_of(*, indicator: Indicator) -> QuerySet[Measurement]:
    """The indicator's values, newest first, with who recorded them: 1 query."""
    return indicator.measurements.select_related("recorded_by").order_by("-measured_on")


def update_of(*, activity: Activity, update_id: int) -> ProgressUpdate:
    """One progress update of the activity (1 query), with the loaded activity attached. Raises
    ProgressUpdate.DoesNotExist."""
    update = ProgressUpdate.objects.select_related("author").get(pk=update_id, activity=activity)
    update.activity = activity
    return update


# --- the approval queue ---------------------------------------------------------------------------


def approval_queue() -> list[ProgressUpdate]:
    """Submitted updates, oldest first, with activity, author, thematic area and the activity's
    participations with organizations, and on each `contributors`: the ids of the people who wrote
    or changed its content (`selectors.update_contributors`), and their evidence: 4 queries (2
    when none waits)."""
    updates = list(
        selectors.progress_update_queue()
        .select_related("activity__thematic_area")
        .prefetch_related("activity__participations__organization")
    )
    if updates:
        contributors = selectors.update_contributors(update_ids=[u.pk for u in updates])
        for update in updates:
            update.contributors = contributors.get(update.pk, set()) | {update.author_id}
        # The reviewer sees the evidence behind each figure (one query).
        prefetch_related_objects(updates, "evidence")
    return updates


def update_for_review(*, update_id: int) -> ProgressUpdate:
    """One update with its activity and author (1 query). Raises ProgressUpdate.DoesNotExist."""
    return ProgressUpdate.objects.select_related("activity", "author").get(pk=update_id)


# --- editing pages (activities.views_editing) -----------------------------------------------------


def funding_of(*, activity: Activity, funding_id: int) -> FundingCommitment:
    """One funding commitment of the activity with its donor (1 query), the loaded activity
    attached. Raises FundingCommitment.DoesNotExist."""
    commitment = FundingCommitment.objects.select_related("donor").get(
        pk=funding_id, activity=activity
    )
    commitment.activity = activity
    return commitment


def priorities_of(*, year: int) -> list[PriorityDesignation]:
    """The year's priorities in rank order, with their activities (1 query)."""
    return list(
        PriorityDesignation.objects.filter(year=year)
        .select_related("activity")
        .order_by("rank", "id")
    )


def activities_for_priorities(*, year: int, ids: set[int], codes: set[str]) -> list[Activity]:
    """The activities named by id, and those with one of `codes` in a plan whose period covers
    `year` (1 query; none when nothing is named)."""
    if not ids and not codes:
        return []
    in_year = Q(
        code__in=codes,
        matrix__plan__period_start__year__lte=year,
        matrix__plan__period_end__year__gte=year,
    )
    return list(Activity.objects.filter(Q(pk__in=ids) | in_year).order_by("code", "id"))
