"""Reads of the framework records, each with a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from partnership.models import (
    ActivityMatrix,
    Agreement,
    JointActionPlan,
    Organization,
    SDGTarget,
    ThematicArea,
)


def organization_list() -> QuerySet[Organization]:
    return Organization.objects.order_by("acronym")


def thematic_area_list() -> QuerySet[ThematicArea]:
    return ThematicArea.objects.order_by("order")


def sdg_target_list(*, goal: int | None = None) -> QuerySet[SDGTarget]:
    targets = SDGTarget.objects.order_by("goal", "id")
    return targets if goal is None else targets.filter(goal=goal)


def agreement_list() -> QuerySet[Agreement]:
    """Agreements with what each builds on (joined) and their parties (one more query)."""
    return (
        Agreement.objects.select_related("builds_on")
        .prefetch_related(Prefetch("parties", queryset=Organization.objects.order_by("acronym")))
        .order_by("signed_on", "id")
    )


def plan_list() -> QuerySet[JointActionPlan]:
    """Plans with partnership and agreement joined; the partnership's organizations and the
    matrices in two more queries."""
    return (
        JointActionPlan.objects.select_related("partnership", "agreement")
        .prefetch_related(
            Prefetch(
                "partnership__organizations", queryset=Organization.objects.order_by("acronym")
            ),
            Prefetch("matrices", queryset=ActivityMatrix.objects.order_by("-edition")),
        )
        .order_by("-period_start", "title", "id")
    )
