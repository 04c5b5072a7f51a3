"""Reads of the activities domain, shaped so that the number of queries does not grow with the
number of activities (each docstring names the queries)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    DecimalField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from activities.filters import ActivityFilter
from activities.matrix import ActivityInput, AreaInput, MatrixGrid, build_matrix
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
from partnership.models import ActivityMatrix, JointActionPlan, Organization, ThematicArea

MONEY = DecimalField(max_digits=16, decimal_places=2)


def _participations() -> Prefetch:
    return Prefetch(
        "participations",
        queryset=ActivityParticipation.objects.select_related("organization").order_by(
            "role", "organization__acronym"
        ),
    )


def _secured_funding() -> Coalesce:
    """Secured money (committed or received) in the activity's own currency, as one subquery."""
    secured = (
        FundingCommitment.objects.filter(
            activity=OuterRef("pk"),
            status__in=FundingCommitment.SECURED,
            currency=OuterRef("currency"),
        )
        .order_by()
        .values("activity")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(secured, output_field=MONEY), Value(Decimal("0")), output_field=MONEY)


def activity_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet[Activity]:
    """Activities with what a list shows. Queries when evaluated: the activities (with matrix,
    plan and thematic area joined, and secured funding as a subquery), their participations with
    organizations, their priority designations: 3, however many activities.

    `filters` are ActivityFilter's parameters (invalid values are ignored here; the API validates
    them first)."""
    queryset = (
        Activity.objects.select_related("matrix__plan", "thematic_area")
        .prefetch_related(
            _participations(),
            Prefetch("priorities", queryset=PriorityDesignation.objects.order_by("year")),
        )
        .annotate(funding_secured=_secured_funding())
    )
    if filters is not None:
        queryset = ActivityFilter(filters, queryset=queryset).qs
    return queryset


def activity_detail_queryset() -> QuerySet[Activity]:
    """Queries for one activity: the activity (matrix, plan, agreement and thematic area joined),
    then participations with organizations, topics, SDG targets, priorities, milestones,
    indicators, their measurements, funding with donors: 9 in all."""
    return Activity.objects.select_related(
        "matrix__plan__agreement", "thematic_area"
    ).prefetch_related(
        _participations(),
        "topics",
        "sdg_targets",
        Prefetch("priorities", queryset=PriorityDesignation.objects.order_by("year")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "id")),
        Prefetch(
            "indicators",
            queryset=Indicator.objects.order_by("id").prefetch_related("measurements"),
        ),
        Prefetch("funding", queryset=FundingCommitment.objects.select_related("donor")),
    )


def activity_detail(*, activity_id: int) -> Activity:
    """One activity with everything its page shows (9 queries, see activity_detail_queryset)."""
    return activity_detail_queryset().get(pk=activity_id)


@dataclass(frozen=True, slots=True)
class FundingSummary:
    """What an activity needs and has, in its own currency. Secured means committed in writing or
    received; commitments in another currency are not converted but listed apart."""

    currency: str
    required: Decimal
    secured: Decimal
    pledged: Decimal
    gap: Decimal
    donors: tuple[str, ...]
    secured_in_other_currencies: dict[str, Decimal] = field(default_factory=dict)


def funding_summary(activity: Activity) -> FundingSummary:
    """No query when `funding` (with donors) is prefetched, as activity_detail does."""
    secured = pledged = Decimal("0")
    other: dict[str, Decimal] = {}
    donors: set[str] = set()
    for commitment in activity.funding.all():
        donors.add(commitment.donor.acronym)
        if commitment.currency != activity.currency:
            if commitment.is_secured:
                other[commitment.currency] = other.get(commitment.currency, 0) + commitment.amount
            continue
        if commitment.is_secured:
            secured += commitment.amount
        elif commitment.status == FundingCommitment.Status.PLEDGED:
            pledged += commitment.amount
    required = activity.budget_required
    return FundingSummary(
        currency=activity.currency,
        required=required,
        secured=secured,
        pledged=pledged,
        gap=max(required - secured, Decimal("0")),
        donors=tuple(sorted(donors)),
        secured_in_other_currencies=other,
    )


def priorities_of_year(*, year: int, plan_id: int | None = None) -> QuerySet[PriorityDesignation]:
    """The year's priority designations in rank order, each with its activity and status. Queries:
    the designations (activity, thematic area, matrix and plan joined) and the activities'
    participations with organizations: 2."""
    queryset = (
        PriorityDesignation.objects.filter(year=year)
        .select_related("activity__thematic_area", "activity__matrix__plan")
        .prefetch_related(Prefetch("activity__participations", queryset=_participations().queryset))
        .order_by("rank", "id")
    )
    if plan_id is not None:
        queryset = queryset.filter(activity__matrix__plan_id=plan_id)
    return queryset


def milestone_list(*, activity: Activity) -> QuerySet[Milestone]:
    return Milestone.objects.filter(activity=activity).order_by("due_date", "id")


def indicator_list(*, activity: Activity) -> QuerySet[Indicator]:
    """Indicators and (one more query) their measurements."""
    return (
        Indicator.objects.filter(activity=activity).order_by("id").prefetch_related("measurements")
    )


def progress_update_list(*, activity: Activity) -> QuerySet[ProgressUpdate]:
    """Newest first, with author and reviewer joined: one query."""
    return (
        ProgressUpdate.objects.filter(activity=activity)
        .select_related("author", "reviewer")
        .order_by("-period_end", "-id")
    )


def progress_updates(*, state: str | None = None) -> QuerySet[ProgressUpdate]:
    """Every progress update, newest first, optionally in one state; the submitted ones come
    oldest submission first (the approval queue). One query, author and reviewer joined."""
    if state == ProgressUpdate.State.SUBMITTED:
        return progress_update_queue().select_related("reviewer")
    updates = ProgressUpdate.objects.select_related("author", "reviewer").order_by("-id")
    return updates if state is None else updates.filter(state=state)


def measurement_list(*, indicator: Indicator) -> QuerySet[Measurement]:
    """An indicator's measurements by date, with who recorded them: one query."""
    return indicator.measurements.select_related("recorded_by").order_by("measured_on")


def progress_update_queue() -> QuerySet[ProgressUpdate]:
    """Updates waiting for approval, oldest submission first (the manager's queue): one query."""
    return (
        ProgressUpdate.objects.filter(state=ProgressUpdate.State.SUBMITTED)
        .select_related("activity", "author")
        .order_by("submitted_at", "id")
    )


def latest_matrix(*, plan: JointActionPlan, edition: int | None = None) -> ActivityMatrix | None:
    matrices = ActivityMatrix.objects.filter(plan=plan)
    if edition is not None:
        matrices = matrices.filter(edition=edition)
    return matrices.order_by("-edition").first()


def plan_matrix(*, plan: JointActionPlan, matrix: ActivityMatrix | None) -> MatrixGrid:
    """The plan's Activity Matrix grid and flags. Queries: thematic areas, the partnership's
    organizations, the matrix's activities (thematic area joined), their participations with
    organizations, their topics: 5, however many activities."""
    areas = [AreaInput(code=a.code, name=a.name) for a in ThematicArea.objects.order_by("order")]
    partners = list(
        Organization.objects.filter(partnerships=plan.partnership_id)
        .order_by("acronym")
        .values_list("acronym", flat=True)
    )
    activities: list[ActivityInput] = []
    if matrix is not None:
        rows = (
            Activity.objects.filter(matrix=matrix)
            .select_related("thematic_area")
            .prefetch_related(_participations(), "topics")
        )
        activities = [
            ActivityInput(
                id=a.pk,
                code=a.code,
                title=a.title,
                thematic_area=a.thematic_area.code,
                cooperation_type=a.cooperation_type,
                horizon=a.horizon,
                status=a.status,
                organizations={p.organization.acronym: p.role for p in a.participations.all()},
                topics=frozenset(t.code for t in a.topics.all()),
            )
            for a in rows
        ]
    return build_matrix(areas=areas, partner_organizations=partners, activities=activities)
