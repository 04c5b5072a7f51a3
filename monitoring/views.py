"""The managers' pages: dashboards for a plan and date, the Activity Matrix, the printable report,
monitoring runs with their progress, and the exports.

Thin by design: `monitoring.selectors` (counts by status — the very functions the API's summary
uses, so page and API agree) and `monitoring.dashboard` (a module per tab) read,
`monitoring.charts` turns numbers into SVG geometry, `monitoring.services` requests runs,
`monitoring.exports` writes files.
Every page reads a fixed number of queries whatever the size of the plan (see the tests).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from activities import period_selectors, permissions
from activities.filters import ActivityFilter
from activities.matrix import selectors as matrix_selectors
from activities.models import Activity
from monitoring import charts, exports, rules, selectors, services
from monitoring.dashboard.funding import funding_by_activity, funding_by_area, funding_totals
from monitoring.dashboard.overview import (
    attention_total,
    needing_attention,
    overdue_milestones,
    overdue_milestones_total,
    rows_for_every_area,
    stale_reports,
    status_trend,
)
from monitoring.dashboard.priorities import priority_cards
from monitoring.dashboard.report import report_sections
from monitoring.dashboard.runs import plan_runs, run_or_none
from monitoring.dashboard.scope import (
    assessed_dates,
    dashboard_plans,
    default_plan,
    matrix_editions,
    plan_or_none,
    thematic_areas,
)
from monitoring.dashboard.sdg import sdg_rows
from monitoring.exceptions import BrokerUnavailable
from monitoring.forms import HorizonForm, RunRequestForm, ScopeForm
from monitoring.models import MonitoringRun
from partnership.limits import parse_id
from partnership.models import JointActionPlan

# Items listed per "needs attention" list on the dashboard; the totals say how many there are.
ATTENTION_LIMIT = 50

# --- Which plan, which date -----------------------------------------------------------------------


@dataclass
class Scope:
    """The plan and as-of date a dashboard shows, and what the date picker offers."""

    plans: list[JointActionPlan]
    plan: JointActionPlan | None
    dates: list[dt.date]  # assessed dates of the plan, newest first
    as_of: dt.date | None
    notes: list[str] = field(default_factory=list)
    latest: dt.date | None = None  # the latest date any of the plan's activities was assessed

    @property
    def is_assessed_date(self) -> bool:
        return self.as_of in self.dates

    @property
    def is_current(self) -> bool:
        """Nothing of the plan was assessed after the date: each activity's status then is its
        current one (`monitoring.selectors.is_current`)."""
        return self.as_of is not None and selectors.is_current(as_of=self.as_of, latest=self.latest)

    @property
    def previous_date(self) -> dt.date | None:
        return next((on for on in self.dates if self.as_of and on < self.as_of), None)

    @property
    def next_date(self) -> dt.date | None:
        return next((on for on in reversed(self.dates) if self.as_of and on > self.as_of), None)

    @property
    def year(self) -> int | None:
        if self.as_of is not None:
            return self.as_of.year
        return self.plan.period_start.year if self.plan else None

    def query(self, as_of: dt.date | None = None) -> str:
        """`plan=…&as_of=…` for links that keep the scope (optionally at another date)."""
        params = {}
        if self.plan is not None:
            params["plan"] = self.plan.pk
        on = as_of or self.as_of
        if on is not None:
            params["as_of"] = on.isoformat()
        return urlencode(params)


def resolve_scope(params: QueryDict) -> Scope:
    """Three queries: the plans, the plan's assessed dates, its latest assessed date."""
    form = ScopeForm(params)
    notes = []
    if not form.is_valid():
        # Named with the reason, so a bad link is fixed rather than silently misread.
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in form.errors.items()
        )
        notes.append(f"Some of the parameters were not understood and were left out ({problems})")
    # The valid ones still apply (a bad date keeps the chosen plan).
    data = form.cleaned_data
    plans = dashboard_plans()
    plan = default_plan(plans)
    if data.get("plan"):
        plan = next((p for p in plans if p.pk == data["plan"]), None)
        if plan is None:
            raise Http404("No such plan.")
    dates = assessed_dates(plan_id=plan.pk) if plan else []
    as_of = data.get("as_of")
    if as_of is None and plan is not None:
        as_of = rules.default_dashboard_date(
            assessed=dates, period_start=plan.period_start, period_end=plan.period_end
        )
    if as_of is not None and dates and as_of not in dates:
        notes.append(
            f"No run assessed the plan as of {as_of:%Y-%m-%d}: each activity is shown with its "
            "latest assessment before that date."
        )
    latest = selectors.latest_assessed_on(plan_id=plan.pk) if plan else None
    return Scope(plans=plans, plan=plan, dates=dates, as_of=as_of, notes=notes, latest=latest)


def tab_context(request: HttpRequest, scope: Scope, tab: str) -> dict:
    """What every tab of the dashboard shows around its own figures (the scope, the tabs, the
    run request); public for the tab geography adds ("By country")."""
    return {
        "scope": scope,
        "tab": tab,
        "nav": "dashboard",
        "statuses": list(charts.STATUS_ORDER[:-1]),
        "legend": charts.STATUS_ORDER,
        "can_request_run": scope.plan is not None
        and permissions.can_request_monitoring_run(request.user, scope.plan),
        "run_form": _run_form(scope),
    }


def _run_form(scope: Scope) -> RunRequestForm | None:
    if scope.plan is None:
        return None
    plan = scope.plan
    within = [on for on in scope.dates if rules.inside(on, plan.period_start, plan.period_end)]
    suggested = rules.suggested_run_date(
        today=timezone.localdate(),
        period_start=plan.period_start,
        period_end=plan.period_end,
        latest=max(within, default=None),
    )
    return RunRequestForm(initial={"plan": plan.pk, "as_of": suggested}, plan=plan)


def _status_rows(rows) -> list[tuple[str, dict[str, int]]]:
    return [(row.name, {**row.counts, "unassessed": row.unassessed}) for row in rows]


# --- Dashboards -----------------------------------------------------------------------------------


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = resolve_scope(request.GET)
    context = tab_context(request, scope, "overview")
    if scope.plan is not None and scope.as_of is not None:
        plan_id, as_of = scope.plan.pk, scope.as_of
        current = scope.is_current
        areas = thematic_areas()
        by_area = rows_for_every_area(
            areas,
            selectors.status_counts_by_thematic_area(plan_id=plan_id, as_of=as_of, current=current),
        )
        counts = selectors.sum_rows(by_area, key=plan_id)
        trend = status_trend(
            plan_id=plan_id,
            dates=charts.monthly_points(scope.dates, until=as_of),
            latest=scope.latest,
            last=counts,
        )
        # The lists of rows and their totals show only what the viewer may see; the status
        # counts count every activity.
        viewer = request.user
        attention = needing_attention(
            plan_id=plan_id, as_of=as_of, viewer=viewer, limit=ATTENTION_LIMIT, current=current
        )
        stale, stale_total = stale_reports(
            plan_id=plan_id, as_of=as_of, viewer=viewer, limit=ATTENTION_LIMIT, current=current
        )
        overdue = overdue_milestones(
            plan_id=plan_id, as_of=as_of, viewer=viewer, limit=ATTENTION_LIMIT, current=current
        )
        overdue_total = overdue_milestones_total(
            plan_id=plan_id, as_of=as_of, viewer=viewer, current=current
        )
        context.update(
            counts=counts,
            by_area=by_area,
            area_chart=charts.stacked_bars(_status_rows(by_area)),
            trend=trend,
            trend_chart=charts.trend_lines(
                [(p.as_of, {**p.counts, "unassessed": p.unassessed}) for p in trend]
            ),
            # Bounded lists, with their totals: a large plan has thousands of activities off
            # track, and a page listing them all would grow with the portfolio.
            attention=attention,
            attention_total=attention_total(
                plan_id=plan_id, as_of=as_of, viewer=viewer, current=current
            ),
            stale=stale,
            stale_total=stale_total,
            overdue=overdue,
            overdue_total=overdue_total,
        )
    if scope.plan is not None:
        context["runs"] = plan_runs(plan_id=scope.plan.pk)
    return render(request, "monitoring/dashboard.html", context)


@require_GET
def priorities(request: HttpRequest) -> HttpResponse:
    scope = resolve_scope(request.GET)
    context = tab_context(request, scope, "priorities")
    context["can_designate"] = permissions.can_designate_priority(request.user)
    if scope.plan is not None and scope.as_of is not None:
        context["cards"] = priority_cards(
            plan_id=scope.plan.pk, year=scope.year, as_of=scope.as_of, viewer=request.user
        )
    return render(request, "monitoring/priorities.html", context)


@require_GET
def funding(request: HttpRequest) -> HttpResponse:
    scope = resolve_scope(request.GET)
    context = tab_context(request, scope, "funding")
    if scope.plan is not None and scope.as_of is not None:
        areas = thematic_areas()
        rows = funding_by_area(plan_id=scope.plan.pk, as_of=scope.as_of, areas=areas)
        totals = funding_totals(rows)
        # The chart draws one currency: the one with the largest requirement.
        main = max(totals, key=lambda t: t.required).currency if totals else None
        context.update(
            area_rows=rows,
            totals=totals,
            chart_currency=main,
            funding_chart=charts.funding_bars(
                [(r.name, r.required, r.secured) for r in rows if r.currency == main]
            ),
            activities=funding_by_activity(
                plan_id=scope.plan.pk, as_of=scope.as_of, viewer=request.user
            ),
        )
    return render(request, "monitoring/funding.html", context)


@require_GET
def reporting(request: HttpRequest) -> HttpResponse:
    """The plan's late and missing reports as of the dashboard's date. A tab of its own, not a
    section of the overview: a large plan has hundreds of thousands of (activity, period) pairs
    to look through, which would cost the overview its target (docs/benchmarks.md)."""
    scope = resolve_scope(request.GET)
    context = tab_context(request, scope, "reporting")
    if scope.plan is not None:
        context["has_calendar"] = period_selectors.has_calendar(plan_id=scope.plan.pk)
        context["can_set_calendar"] = permissions.is_manager(request.user)
        if context["has_calendar"] and scope.as_of is not None:
            context["late"] = period_selectors.late_reports(
                plan_id=scope.plan.pk,
                today=scope.as_of,
                viewer=request.user,
                limit=ATTENTION_LIMIT,
            )
    return render(request, "monitoring/reporting.html", context)


@require_GET
def sdg(request: HttpRequest) -> HttpResponse:
    scope = resolve_scope(request.GET)
    context = tab_context(request, scope, "sdg")
    if scope.plan is not None and scope.as_of is not None:
        context["rows"] = sdg_rows(
            plan_id=scope.plan.pk, as_of=scope.as_of, current=scope.is_current
        )
    return render(request, "monitoring/sdg.html", context)


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """The printable monitoring report: one section per thematic area, priorities with reasons."""
    scope = resolve_scope(request.GET)
    context = tab_context(request, scope, "report")
    if scope.plan is not None and scope.as_of is not None:
        plan_id, as_of = scope.plan.pk, scope.as_of
        areas = thematic_areas()
        current = scope.is_current
        area_counts = selectors.status_counts_by_thematic_area(
            plan_id=plan_id, as_of=as_of, current=current
        )
        context.update(
            counts=selectors.sum_rows(area_counts, key=plan_id),
            cards=priority_cards(
                plan_id=plan_id, year=scope.year, as_of=as_of, viewer=request.user
            ),
            sections=report_sections(
                plan_id=plan_id,
                viewer=request.user,
                as_of=as_of,
                year=scope.year,
                areas=areas,
                area_counts=area_counts,
                current=current,
            ),
            generated_at=timezone.now(),
        )
    return render(request, "monitoring/report.html", context)


# --- The Activity Matrix --------------------------------------------------------------------------


@require_GET
def matrix(request: HttpRequest) -> HttpResponse:
    """The grid of thematic areas × the partnership's organizations: per cell the activities
    counted by status and per cooperation type and horizon, the first few of each listed with a
    link to the rest, and the gap / single-organization / overlap flags
    (`activities.matrix.selectors.matrix_summary`)."""
    form = HorizonForm(request.GET)
    form.is_valid()  # invalid parameters are named on the page and left out; valid ones apply
    data = form.cleaned_data
    plans = dashboard_plans()
    plan = default_plan(plans)
    if data.get("plan"):
        plan = next((p for p in plans if p.pk == data["plan"]), None)
        if plan is None:
            raise Http404("No such plan.")
    context = {"nav": "matrix", "plans": plans, "plan": plan, "form": form}
    if plan is not None:
        editions = matrix_editions(plan_id=plan.pk)
        chosen = editions[0] if editions else None
        if data.get("edition"):
            chosen = next((m for m in editions if m.edition == data["edition"]), None)
            if chosen is None:
                raise Http404("No such edition of the plan's matrix.")
        horizon = data.get("horizon") or ""
        page = matrix_selectors.matrix_summary(
            plan=plan, matrix=chosen, horizon=horizon, viewer=request.user
        )
        context.update(
            editions=editions,
            matrix=chosen,
            horizon=horizon,
            grid=page.summary,
            rows=_matrix_rows(page.summary, chosen),
            topic_names=page.topic_names,
            listed_per_group=matrix_selectors.LISTED_PER_GROUP,
        )
    return render(request, "monitoring/matrix.html", context)


def _matrix_rows(summary, matrix) -> list[dict]:
    """Shape the summary for the template: each group with the link to all of its activities in
    the activity list (filtered by matrix, area, organization, cooperation type and horizon)."""
    if matrix is None:
        return []
    list_url = reverse("activities:list")
    in_matrix = {"plan": matrix.plan_id, "matrix": matrix.pk}
    return [
        {
            "area": area,
            "cells": [
                {
                    "cell": cell,
                    "groups": [
                        {
                            "group": group,
                            "list_url": f"{list_url}?{urlencode(in_matrix | group.list_filters)}",
                        }
                        for group in cell.groups
                    ],
                }
                for cell in area.cells
            ],
        }
        for area in summary.areas
    ]


# --- Monitoring runs ------------------------------------------------------------------------------


@require_POST
def run_request(request: HttpRequest) -> HttpResponse:
    plan_id = parse_id(request.POST.get("plan", ""))
    plan = plan_or_none(plan_id=plan_id) if plan_id is not None else None
    if plan is None:
        raise Http404("No such plan.")
    if not permissions.can_request_monitoring_run(request.user, plan):
        raise PermissionDenied("Only managers request monitoring runs.")
    form = RunRequestForm(request.POST, plan=plan)
    if not form.is_valid():
        return _run_form_refused(request, plan, form)
    try:
        run = services.request_run(
            plan_id=plan.pk,
            as_of=form.cleaned_data["as_of"],
            trigger=MonitoringRun.Trigger.MANUAL,
            requested_by=request.user,
            note="Requested from the dashboard",
        )
    except ValidationError as exc:
        # The service's own check (the form's, made again as the run is recorded).
        form.add_error(None, exc)
        return _run_form_refused(request, plan, form)
    except BrokerUnavailable as exc:
        # Back to the dashboard the request came from, with the reason; nothing was recorded.
        messages.error(request, str(exc))
        query = urlencode({"plan": plan.pk, "as_of": form.cleaned_data["as_of"].isoformat()})
        return redirect(f"{reverse('monitoring:dashboard')}?{query}")
    messages.success(request, f"Monitoring run {run.pk} requested.")
    return redirect("monitoring:run-detail", pk=run.pk)


def _run_form_refused(request: HttpRequest, plan: JointActionPlan, form: RunRequestForm):
    scope = Scope(plans=[plan], plan=plan, dates=[], as_of=None)
    context = tab_context(request, scope, "run")
    context["run_form"] = form
    return render(request, "monitoring/run_request.html", context, status=400)


def _run_or_404(pk: int) -> MonitoringRun:
    run = run_or_none(run_id=pk)
    if run is None:
        raise Http404("No such monitoring run.")
    return run


def _progress(run: MonitoringRun) -> dict:
    dashboard_url = reverse("monitoring:dashboard")
    if run.plan_id:
        dashboard_url += "?" + urlencode({"plan": run.plan_id, "as_of": run.as_of.isoformat()})
    return {
        "id": run.pk,
        "state": run.state,
        "state_label": run.get_state_display(),
        "open": run.is_open,
        "chunks_done": run.chunks_done,
        "chunks_total": run.chunks_total,
        "activities_assessed": run.activities_assessed,
        "counts": run.counts,
        "error": run.error,
        "dashboard_url": dashboard_url,
    }


@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_or_404(pk)
    return render(
        request,
        "monitoring/run_detail.html",
        {
            "run": run,
            "progress": _progress(run),
            "nav": "dashboard",
            "statuses": list(charts.STATUS_ORDER[:-1]),
        },
    )


@require_GET
def run_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """What the progress bar polls: chunks done of total and the state (one query)."""
    run = run_or_none(run_id=pk, related=False)
    if run is None:
        raise Http404("No such monitoring run.")
    response = JsonResponse(_progress(run))
    response["Cache-Control"] = "no-store"
    return response


# --- Exports --------------------------------------------------------------------------------------


class _BadParameters(Exception):
    def __init__(self, errors) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


# The activity list's filters an export honours, so that its export links give the rows on screen
# (`ordering` and `page` only arrange them; the file is in plan and code order).
EXPORT_FILTERS = (
    "search",
    "thematic_area",
    "organization",
    "cooperation_type",
    "horizon",
    "priority_year",
    "status",
)


def export_filters() -> list[str]:
    """EXPORT_FILTERS and the filters other apps added to the list (geography's `country` and
    `region`, through activities.filters.add_filters)."""
    added = [n for n in ActivityFilter.base_filters if n not in ActivityFilter.declared_filters]
    return [*EXPORT_FILTERS, *added]


def _export_scope(request: HttpRequest) -> exports.ExportScope:
    """The scope of the screen the export was taken from: plan, date and the list's filters. A
    plan without a date takes the date its dashboard opens on, so a link without one still gives
    the figures that page shows. Two to four queries (the plan's assessed dates and latest date).

    Raises _BadParameters: a file of every plan, given for a plan id mistyped, would be read as
    that plan's."""
    form = ScopeForm(request.GET)
    if not form.is_valid():
        raise _BadParameters(form.errors)
    filters = {
        key: request.GET.getlist(key) if key == "status" else request.GET[key]
        for key in export_filters()
        if request.GET.get(key)
    }
    checked = ActivityFilter(filters, queryset=Activity.objects.none())
    if not checked.is_valid():
        raise _BadParameters(checked.errors)
    plan_id, as_of = form.cleaned_data.get("plan"), form.cleaned_data.get("as_of")
    current = False
    if plan_id:
        plan = plan_or_none(plan_id=plan_id)
        if plan is None:
            raise _BadParameters({"plan": ["No such plan."]})
        if as_of is None:
            as_of = rules.default_dashboard_date(
                assessed=assessed_dates(plan_id=plan_id),
                period_start=plan.period_start,
                period_end=plan.period_end,
            )
        if as_of is not None:
            latest = selectors.latest_assessed_on(plan_id=plan_id)
            current = selectors.is_current(as_of=as_of, latest=latest)
    return exports.ExportScope(plan_id=plan_id, as_of=as_of, current=current, filters=filters)


def _export(request: HttpRequest, extension: str) -> HttpResponse:
    try:
        scope = _export_scope(request)
    except _BadParameters as exc:
        return HttpResponseBadRequest(f"Bad parameters: {exc}", content_type="text/plain")
    activities = exports.activities_for_export(scope, viewer=request.user)
    rows = exports.activity_rows(activities, as_of=scope.as_of, viewer=request.user)
    if extension == "csv":
        response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.to_xlsx(rows, scope=scope), content_type=exports.XLSX_CONTENT_TYPE
        )
    name = scope.file_name(extension, exported_on=timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, "csv")


@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, "xlsx")
