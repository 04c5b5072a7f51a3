"""The home page (`/` after sign-in), by role: what waits for a liaison officer, what waits for a
manager, and the plan's dashboard for everyone else (viewers).

Each home reads the plan the dashboard opens on (the newest monitored plan) and counts its dates
from the day that plan is in: today while today lies inside its period, else its latest assessed
date (the demo replays 2016 while the clock says years later), else the nearest day of its
period — `rules.suggested_run_date`, the date a run request offers, for the same reason.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from activities import home_selectors, period_selectors, permissions
from monitoring import rules, selectors
from monitoring.dashboard.home import turned_worse
from monitoring.dashboard.overview import stale_reports
from monitoring.dashboard.scope import dashboard_plans, default_plan
from monitoring.views import dashboard
from partnership.access import MANAGING_ROLES, Role, role_of
from partnership.models import JointActionPlan


def _plan_and_day() -> tuple[JointActionPlan | None, dt.date | None, dt.date]:
    """The plan, its latest assessed date, and the day its home lists are counted from (two
    queries: the plans, the plan's latest assessed date)."""
    today = timezone.localdate()
    plan = default_plan(dashboard_plans())
    if plan is None:
        return None, None, today
    latest = selectors.latest_assessed_on(plan_id=plan.pk)
    day = rules.suggested_run_date(
        today=today, period_start=plan.period_start, period_end=plan.period_end, latest=latest
    )
    return plan, latest, day


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    if role == Role.LIAISON_OFFICER:
        return _liaison_home(request)
    if role in MANAGING_ROLES:
        return _manager_home(request)
    return dashboard(request)


def _liaison_home(request: HttpRequest) -> HttpResponse:
    plan, _, day = _plan_and_day()
    # A liaison officer always has an organization (partnership_profile_liaison_has_organization).
    organization_id = permissions.organization_id_of(request.user)
    plan_id = plan.pk if plan else None
    context = {
        "nav": "home",
        "plan": plan,
        "day": day,
        "due_soon_days": home_selectors.DUE_SOON_DAYS,
        "updates": home_selectors.own_updates(author=request.user),
        "activities": home_selectors.organization_activities(
            organization_id=organization_id, plan_id=plan_id
        ),
        "milestones": home_selectors.milestones_due(
            organization_id=organization_id, plan_id=plan_id, on=day
        ),
    }
    if plan is not None:
        context["reports"] = home_selectors.reports_owed(
            organization_id=organization_id, plan_id=plan.pk, on=day
        )
    return render(request, "monitoring/home_liaison.html", context)


# The home shows the most late few; the dashboard's Reporting tab lists more.
LATE_ON_HOME = 10


def _manager_home(request: HttpRequest) -> HttpResponse:
    plan, latest, day = _plan_and_day()
    context = {
        "nav": "home",
        "plan": plan,
        "latest": latest,
        "day": day,
        "now": timezone.now(),
        "waiting": home_selectors.waiting_for_approval(),
    }
    if plan is not None:
        context["late"] = period_selectors.late_reports(
            plan_id=plan.pk, today=day, viewer=request.user, limit=LATE_ON_HOME
        )
    if plan is not None and latest is not None:
        context["turned"], context["turned_total"] = turned_worse(plan_id=plan.pk)
        context["stale"], context["stale_total"] = stale_reports(
            plan_id=plan.pk, as_of=latest, viewer=request.user, current=True
        )
    return render(request, "monitoring/home_manager.html", context)
