"""The map page, a country's page and a region's page, for a plan as of any assessed date, and
the dashboard's "By country" tab.

Thin: monitoring.views.resolve_scope reads the plan and the date as the dashboard does,
geography.forms the list's filters, geography.selectors the figures, geography.world_map the
outlines (drawn on the server: no JavaScript, each country a link).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from activities import page_selectors
from geography import rules, selectors
from geography.forms import COLOUR_WORST, MapFilterForm
from geography.world_map import HEIGHT, WIDTH, world_shapes
from monitoring.charts import STATUS_ORDER
from monitoring.views import Scope, resolve_scope, tab_context

ON_PAGE = 200


@dataclass(frozen=True, slots=True)
class MapCountry:
    """One outline on the map with what it is coloured by and says."""

    code: str
    name: str
    d: str
    total: int
    worst: str
    css_class: str
    url: str
    label: str


def _outlines(shapes: list[MapCountry]) -> SafeString:
    """The map's countries as SVG markup, escaped by format_html: each country with an ISO code
    a link (focusable, with its label), the rest plain shapes. Written here rather than by a
    template loop, which took ~0.3 s for the 176 outlines."""
    linked = format_html_join(
        "\n",
        '<a href="{}" aria-label="{}" data-country="{}"><path class="{}" d="{}">'
        "<title>{}</title></path></a>",
        ((c.url, c.label, c.code, c.css_class, c.d, c.label) for c in shapes if c.url),
    )
    plain = format_html_join(
        "\n",
        '<path class="map-none" d="{}"><title>{}</title></path>',
        ((c.d, c.name) for c in shapes if not c.url),
    )
    return format_html("{}\n{}", linked, plain)


def _status_parts(figure: selectors.PlaceFigure) -> list[tuple[str, int]]:
    """(status, count) of the statuses a country's activities have, in the charts' order."""
    parts = [(s, figure.counts[s]) for s in STATUS_ORDER if figure.counts.get(s)]
    return parts + ([("unassessed", figure.unassessed)] if figure.unassessed else [])


def _filters(request: HttpRequest) -> MapFilterForm:
    form = MapFilterForm(request.GET or None, choices=page_selectors.filter_choices())
    if form.is_bound:
        form.is_valid()  # invalid filters are shown beside their field and left out
    return form


def _scope_query(scope: Scope, form: MapFilterForm) -> str:
    """The plan, date and filters, for links from the map to a country and back."""
    params = {}
    if scope.plan is not None:
        params["plan"] = scope.plan.pk
    if scope.as_of is not None:
        params["as_of"] = scope.as_of.isoformat()
    for name, value in form.filter_params().items():
        params[name] = value[0] if isinstance(value, list) else value
    return urlencode(params)


def _label(name: str, total: int, worst: str) -> str:
    if not total:
        return f"{name}: no activities"
    status = dict(_status_names()).get(worst, "not assessed")
    return f"{name}: {total} activit{'y' if total == 1 else 'ies'}, worst status {status.lower()}"


def _status_names() -> list[tuple[str, str]]:
    from activities.models import MonitoringStatus

    return [*MonitoringStatus.choices, ("", "Not assessed")]


@require_GET
def world_map(request: HttpRequest) -> HttpResponse:
    scope = resolve_scope(request.GET)
    form = _filters(request)
    colour_by = form.colour_by
    figures: dict[str, selectors.PlaceFigure] = {}
    if scope.plan is not None and scope.as_of is not None:
        figures = {
            f.code: f
            for f in selectors.place_figures(
                plan_id=scope.plan.pk,
                as_of=scope.as_of,
                current=scope.is_current,
                viewer=request.user,
                filters=form.filter_params(),
            )
        }
    buckets = rules.count_buckets(max((f.total for f in figures.values()), default=0))
    query = _scope_query(scope, form)
    shapes = []
    for shape in world_shapes():
        figure = figures.get(shape.code)
        total = figure.total if figure else 0
        worst = figure.worst if figure else ""
        if colour_by == COLOUR_WORST:
            css = f"seg-{worst or 'unassessed'}" if total else "map-none"
        else:
            css = f"map-n{rules.bucket_of(total, buckets)}"
        url = ""
        if shape.code:
            url = reverse("geography:country", args=[shape.code]) + (f"?{query}" if query else "")
        name = figure.name if figure else shape.name
        label = _label(name, total, worst)
        shapes.append(MapCountry(shape.code, name, shape.d, total, worst, css, url, label))
    # Countries with activities first: the keyboard reaches them before the rest.
    shapes.sort(key=lambda s: (s.total == 0, s.name))
    return render(
        request,
        "geography/map.html",
        {
            "nav": "map",
            "scope": scope,
            "form": form,
            "colour_by": colour_by,
            "outlines": _outlines(shapes),
            "width": WIDTH,
            "height": HEIGHT,
            "buckets": [(i, low, high) for i, (low, high) in enumerate(buckets, start=1)],
            "figures": [
                (f, _status_parts(f)) for f in sorted(figures.values(), key=lambda f: f.name)
            ],
            "legend_statuses": [s for s in rules.WORST_FIRST if s] + ["unassessed"],
            "query": query,
        },
    )


def _place_page(
    request: HttpRequest, *, template: str, where, context: dict, list_filter: dict
) -> HttpResponse:
    scope = resolve_scope(request.GET)
    form = _filters(request)
    summary = None
    if scope.plan is not None and scope.as_of is not None:
        summary = selectors.place_summary(
            plan_id=scope.plan.pk,
            as_of=scope.as_of,
            current=scope.is_current,
            where=where,
            viewer=request.user,
            limit=ON_PAGE,
        )
    list_query = urlencode({**({"plan": scope.plan.pk} if scope.plan else {}), **list_filter})
    return render(
        request,
        template,
        {
            "nav": "map",
            "scope": scope,
            "summary": summary,
            "funding": selectors.funding_totals(summary.funding) if summary else [],
            "statuses": [s for s in STATUS_ORDER if s != "unassessed"],
            "map_query": _scope_query(scope, form),
            "list_query": list_query,
            "api_url": reverse("api:activity-list") + "?" + list_query,
            "on_page": ON_PAGE,
            **context,
        },
    )


@require_GET
def country(request: HttpRequest, code: str) -> HttpResponse:
    code = code.upper()
    if not rules.is_country(code):
        raise Http404("No such country.")
    return _place_page(
        request,
        template="geography/country.html",
        where=selectors.place_condition(country=code),
        context={
            "code": code,
            "name": selectors.country_name(code),
            "regions": selectors.regions_of_country(code=code),
        },
        list_filter={"country": code},
    )


@require_GET
def region(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.region(code=code)
    if found is None:
        raise Http404("No such region.")
    return _place_page(
        request,
        template="geography/region.html",
        where=selectors.place_condition(region_code=code),
        context={
            "code": code,
            "name": found.name,
            "region": found,
            "countries": selectors.countries_of_region(code=code),
            "subregions": list(found.children.order_by("name")),
        },
        list_filter={"region": code},
    )


@require_GET
def dashboard_countries(request: HttpRequest) -> HttpResponse:
    """The dashboard's "By country" tab: every country the plan's activities name, with their
    counts by status on the date, the most activities first. Queries: session, user; the scope
    (3: resolve_scope); the run request's permission and form (as every tab); the countries by
    status (1: place_figures); the activities naming no country (1); the page header's."""
    scope = resolve_scope(request.GET)
    context = tab_context(request, scope, "countries")
    if scope.plan is not None and scope.as_of is not None:
        figures = selectors.place_figures(
            plan_id=scope.plan.pk,
            as_of=scope.as_of,
            current=scope.is_current,
            viewer=request.user,
        )
        context.update(
            rows=sorted(figures, key=lambda figure: (-figure.total, figure.name)),
            without_country=selectors.activities_without_country(
                plan_id=scope.plan.pk, viewer=request.user
            ),
        )
    return render(request, "geography/dashboard_countries.html", context)
