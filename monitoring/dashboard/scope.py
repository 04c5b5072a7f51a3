"""What every tab of the dashboard shares: the plans to choose from, the dates a plan was
assessed as of, the thematic areas, and the plan's activities as a queryset to aggregate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Q, Subquery

from activities.models import Activity
from monitoring.models import MonitoringRun
from monitoring.selectors import MONITORED_PLAN_STATES
from partnership.models import ActivityMatrix, JointActionPlan, ThematicArea


def dashboard_plans() -> list[JointActionPlan]:
    """Plans to choose from (with their agreement), newest first; drafts last (one query)."""
    plans = list(
        JointActionPlan.objects.select_related("agreement").order_by("-period_start", "title", "id")
    )
    return sorted(plans, key=lambda plan: plan.state not in MONITORED_PLAN_STATES)


def default_plan(plans: Sequence[JointActionPlan]) -> JointActionPlan | None:
    """The newest monitored plan (adopted or closed), else the newest plan (no query)."""
    return next(iter(plans), None)


def matrix_editions(*, plan_id: int) -> list[ActivityMatrix]:
    """The plan's Activity Matrix editions, newest first (one query)."""
    return list(ActivityMatrix.objects.filter(plan_id=plan_id).order_by("-edition"))


def assessed_dates(*, plan_id: int) -> list[dt.date]:
    """Every date the plan was assessed as of by a finished run, newest first (one query, on the
    few run rows: runs of the plan, and all-plans runs on a date inside its period)."""
    plan = JointActionPlan.objects.filter(pk=plan_id)
    for_all_plans = Q(
        plan__isnull=True,
        as_of__gte=Subquery(plan.values("period_start")[:1]),
        as_of__lte=Subquery(plan.values("period_end")[:1]),
    )
    return list(
        MonitoringRun.objects.filter(
            Q(plan_id=plan_id) | for_all_plans,
            state=MonitoringRun.State.FINISHED,
            activities_assessed__gt=0,
        )
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .distinct()
    )


def thematic_areas() -> list[ThematicArea]:
    """The six thematic areas in their order (one query)."""
    return list(ThematicArea.objects.order_by("order"))


def plan_or_none(*, plan_id: int) -> JointActionPlan | None:
    return JointActionPlan.objects.filter(pk=plan_id).first()


def plan_activities(plan_id: int):
    """The plan's activities, unordered, to annotate and aggregate (no query by itself)."""
    # order_by(): the default ordering follows matrix → plan and would add joins to aggregates.
    return Activity.objects.filter(matrix__plan_id=plan_id).order_by()
