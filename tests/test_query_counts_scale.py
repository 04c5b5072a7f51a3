"""Every page and API endpoint that lists, shows or aggregates data reads the same number of
queries however much data there is (issue 8: "Performance at scale").

For each view in VIEWS: request it as a manager on a small portfolio (tests/query_counts_world.py:
one 2016 plan of three activities, each with every kind of record), count the queries, grow the
same plan five-fold, the activity shown and the rest of the portfolio with records of the same
kinds, request it again, and require the same count, a 200 both times and evidence that the grown
response shows grown data (a grown record named, or a count that went up), so that no view can
pass by showing nothing. The activity list and detail (page and API) are also measured filtered
and sorted, and as a liaison officer, whose permissions are worked out per activity.

The portfolio is built, grown and measured once for the module (building it for each of the ~50
views would cost minutes on the shared CI machine) inside a transaction rolled back at the end;
each view still gets its own test, and a view that raises fails only its own test. Counts are
compared between the two sizes, not against fixed numbers: the tests of each view (tests/pages,
tests/api, tests/monitoring, tests/partnership) assert and name its exact queries.

`test_every_url_is_covered_or_excluded` keeps the list honest: a URL pattern added to the project
fails it until it is put in VIEWS or, with a reason, in EXCLUDED.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from knox.models import AuthToken
from openpyxl import load_workbook

from partnership.models import Profile
from tests.factories import make_user
from tests.query_counts_world import (
    AS_OF,
    GROWN_ACTIVITIES,
    GROWN_DATES,
    SMALL_ACTIVITIES,
    SMALL_DATES,
    World,
    build_world,
    grow,
)

# --- What each view is asked, and what shows that it saw the grown data ---------------------------

XLSX = "application/vnd.openxmlformats"


@dataclass(frozen=True)
class Response:
    status: int
    queries: list[str] = field(repr=False)
    body: bytes = field(repr=False)
    content_type: str = ""

    @property
    def text(self) -> str:
        if self.content_type.startswith(XLSX):
            workbook = load_workbook(io.BytesIO(self.body), read_only=True)
            return "\n".join(
                "\t".join("" if cell is None else str(cell) for cell in row)
                for sheet in workbook.worksheets
                for row in sheet.iter_rows(values_only=True)
            )
        return self.body.decode()

    @property
    def json(self):
        return json.loads(self.body)


# Evidence: given the world (grown) and both responses, the reason the grown response does not
# show the grown data, or None when it does.
Evidence = Callable[[World, Response, Response], str | None]


def mentions(text: str) -> Evidence:
    """The grown response names a record only grow() creates."""

    def check(world: World, small: Response, grown: Response) -> str | None:
        if text in small.text:
            return f"{text!r} is already in the small response: it proves no growth"
        return None if text in grown.text else f"the grown response does not mention {text!r}"

    return check


def lacks(text: str) -> Evidence:
    """The grown response leaves out a grown record its filters exclude (so they were applied)."""

    def check(world: World, small: Response, grown: Response) -> str | None:
        return f"the grown response mentions {text!r}" if text in grown.text else None

    return check


def all_of(*checks: Evidence) -> Evidence:
    def check(world: World, small: Response, grown: Response) -> str | None:
        return next((p for p in (c(world, small, grown) for c in checks) if p), None)

    return check


def mentions_record(text: Callable[[World], str]) -> Evidence:
    """The view shows one record that does not itself grow (a milestone, a draft update): both
    responses name it, so neither is empty."""

    def check(world: World, small: Response, grown: Response) -> str | None:
        wanted = text(world)
        missing = [name for name, r in (("small", small), ("grown", grown)) if wanted not in r.text]
        return (
            f"the {' and '.join(missing)} response does not mention {wanted!r}" if missing else None
        )

    return check


def grew(path: str) -> Evidence:
    """A number in the JSON grew: `count` of a paginated list, or a field reached through dots
    (e.g. `all_activities.total`)."""

    def value(response: Response):
        data = response.json
        for key in path.split("."):
            data = data[key]
        return data

    def check(world: World, small: Response, grown: Response) -> str | None:
        before, after = value(small), value(grown)
        return None if after > before else f"{path} did not grow: {before} → {after}"

    return check


def number_grew(pattern: str) -> Evidence:
    """A number the page shows (the first group of the regular expression `pattern`) grew."""

    def value(response: Response) -> int | None:
        found = re.search(pattern, response.text)
        return int(found.group(1)) if found else None

    def check(world: World, small: Response, grown: Response) -> str | None:
        before, after = value(small), value(grown)
        if before is None or after is None:
            return f"{pattern!r} is not on the page"
        return None if after > before else f"{pattern!r} did not grow: {before} → {after}"

    return check


@dataclass(frozen=True)
class View:
    name: str  # the URL pattern's name, with its namespace
    url: Callable[[World], str]
    evidence: Evidence
    api: bool = False  # requested with an API token rather than a browser session
    # As INTERPOL's liaison officer rather than a manager: what such a user may do is worked out
    # per activity (participations), a classic place for a query per row.
    liaison: bool = False


def page(
    name: str, evidence: Evidence, url: Callable[[World], str] | None = None, liaison=False
) -> View:
    return View(name, url or (lambda w: reverse(name)), evidence, liaison=liaison)


def api(
    name: str, evidence: Evidence, url: Callable[[World], str] | None = None, liaison=False
) -> View:
    url = url or (lambda w: reverse(f"api:{name}"))
    return View(f"api:{name}", url, evidence, api=True, liaison=liaison)


def scoped(name: str) -> Callable[[World], str]:
    """A plan-wide page of the world's plan as of the dashboards' date."""
    return lambda w: f"{reverse(name)}?plan={w.plan.pk}&as_of={AS_OF:%Y-%m-%d}"


def of_shown(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w.shown.pk])


def of_latest_run(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w.latest_run().pk])


GROWN_CODE = "QC-G11"  # the last activity grow() adds to the plan
GROWN_MILESTONE = "Milestone grown-"  # milestones grow() adds to the activity shown
GROWN_INDICATOR = "Indicator grown-"
GROWN_PENDING = "Pending update grown-"
GROWN_PARTNER = "Grown partner 4"  # an organization grow() adds to the activity shown
# Filters and a sort shared by the list page and the API (the same parameter names).
LIST_FILTERS = "?search=QC&organization=INTERPOL&priority_year=2016&ordering=-status"
UNODC_ONLY = "QC-G00"  # a grown activity INTERPOL takes no part in
OTHER_PLAN = "QC-O00"  # a grown activity of the other plan


VIEWS = [
    # --- Home pages by role (a viewer's is the dashboard, covered below)
    pytest.param(
        page("home", number_grew(r"Updates waiting for approval \((\d+)\)")), id="page:home"
    ),
    pytest.param(
        page("home", number_grew(r"Your progress updates \((\d+)\)"), liaison=True),
        id="page:home-as-liaison",
    ),
    # --- Activity pages
    pytest.param(page("activities:list", mentions(GROWN_CODE)), id="page:activity-list"),
    pytest.param(
        page(
            "activities:list",
            all_of(mentions(GROWN_CODE), lacks(UNODC_ONLY)),
            lambda w: reverse("activities:list") + LIST_FILTERS,
        ),
        id="page:activity-list-filtered",
    ),
    pytest.param(
        page("activities:list", mentions(GROWN_CODE), liaison=True),
        id="page:activity-list-as-liaison",
    ),
    pytest.param(
        page("activities:detail", mentions(GROWN_MILESTONE), of_shown("activities:detail")),
        id="page:activity-detail",
    ),
    pytest.param(
        page(
            "activities:detail",
            mentions(GROWN_MILESTONE),
            of_shown("activities:detail"),
            liaison=True,
        ),
        id="page:activity-detail-as-liaison",
    ),
    pytest.param(
        page("activities:changes", mentions(GROWN_INDICATOR), of_shown("activities:changes")),
        id="page:activity-changes",
    ),
    pytest.param(
        # The form shows the activity's own fields: nothing on it grows but the choices.
        page(
            "activities:edit",
            mentions_record(lambda w: w.shown.title),
            of_shown("activities:edit"),
        ),
        id="page:activity-edit-form",
    ),
    pytest.param(
        page(
            "activities:measurement-add",
            mentions("15 Jul 2016"),  # a measurement grow() adds to the indicator shown
            lambda w: reverse("activities:measurement-add", args=[w.shown.pk, w.indicator.pk]),
        ),
        id="page:indicator-measurements-form",
    ),
    pytest.param(
        page(
            "activities:update-edit",
            mentions_record(lambda w: w.draft.narrative),
            lambda w: reverse("activities:update-edit", args=[w.shown.pk, w.draft.pk]),
        ),
        id="page:update-edit-form",
    ),
    pytest.param(page("activities:approvals", mentions(GROWN_PENDING)), id="page:approvals"),
    pytest.param(
        page(
            "activities:search",
            mentions(GROWN_CODE),
            lambda w: reverse("activities:search") + "?q=QC",
        ),
        id="page:search",
    ),
    pytest.param(
        page(
            "activities:search",
            mentions(GROWN_CODE),
            lambda w: reverse("activities:search") + "?q=QC",
            liaison=True,
        ),
        id="page:search-as-liaison",
    ),
    # --- Editing pages (issue 16): their choices grow with the portfolio
    pytest.param(page("activities:new", mentions("QC-P4")), id="page:activity-new-form"),
    pytest.param(
        page("activities:new", mentions("Later Joint Action Plan"), liaison=True),
        id="page:activity-new-form-as-liaison",
    ),
    pytest.param(
        page(
            "activities:participations-edit",
            mentions("QC-P4"),
            of_shown("activities:participations-edit"),
        ),
        id="page:participations-form",
    ),
    pytest.param(
        page("activities:links-edit", mentions("Grown Topic 4"), of_shown("activities:links-edit")),
        id="page:links-form",
    ),
    pytest.param(
        page("activities:funding-add", mentions("QC-D4"), of_shown("activities:funding-add")),
        id="page:funding-add-form",
    ),
    pytest.param(
        page(
            "activities:funding-edit",
            mentions("QC-D4"),
            lambda w: reverse(
                "activities:funding-edit", args=[w.shown.pk, w.shown.funding.earliest("id").pk]
            ),
        ),
        id="page:funding-edit-form",
    ),
    pytest.param(
        page(
            "activities:milestone-edit",
            mentions_record(lambda w: w.milestone.title),
            lambda w: reverse("activities:milestone-edit", args=[w.shown.pk, w.milestone.pk]),
        ),
        id="page:milestone-edit-form",
    ),
    pytest.param(
        page(
            "activities:priorities-edit",
            mentions(GROWN_CODE),
            lambda w: reverse("activities:priorities-edit", args=[2016]),
        ),
        id="page:priorities-form",
    ),
    pytest.param(
        page(
            "status_history:activity",
            mentions(f"{len(SMALL_DATES + GROWN_DATES)} assessments in 2016"),
            lambda w: reverse("status_history:activity", args=[w.shown.pk]),
        ),
        id="page:status-history",
    ),
    pytest.param(
        page(
            "status_history:activity-fragment",
            mentions(f"{len(SMALL_DATES + GROWN_DATES)} assessments in 2016"),
            lambda w: reverse("status_history:activity-fragment", args=[w.shown.pk]),
        ),
        id="page:status-history-fragment",
    ),
    # --- Dashboards, matrix, report, runs, exports of the plan
    pytest.param(
        page("monitoring:dashboard", mentions(GROWN_CODE), scoped("monitoring:dashboard")),
        id="page:dashboard-overview",
    ),
    pytest.param(
        page("monitoring:priorities", mentions(GROWN_CODE), scoped("monitoring:priorities")),
        id="page:dashboard-priorities",
    ),
    pytest.param(
        page("monitoring:funding", mentions(GROWN_CODE), scoped("monitoring:funding")),
        id="page:dashboard-funding",
    ),
    pytest.param(
        page("monitoring:sdg", mentions(GROWN_CODE), scoped("monitoring:sdg")),
        id="page:dashboard-sdg",
    ),
    pytest.param(
        page("monitoring:matrix", mentions(GROWN_CODE), scoped("monitoring:matrix")),
        id="page:matrix",
    ),
    pytest.param(
        page("monitoring:report", mentions(GROWN_CODE), scoped("monitoring:report")),
        id="page:report",
    ),
    pytest.param(
        page(
            "monitoring:run-detail",
            mentions(f"{SMALL_ACTIVITIES + GROWN_ACTIVITIES} activities assessed"),
            of_latest_run("monitoring:run-detail"),
        ),
        id="page:run-detail",
    ),
    pytest.param(
        page(
            "monitoring:run-progress",
            grew("activities_assessed"),
            of_latest_run("monitoring:run-progress"),
        ),
        id="page:run-progress-json",
    ),
    pytest.param(
        page("monitoring:export-csv", mentions(GROWN_CODE), scoped("monitoring:export-csv")),
        id="page:export-csv",
    ),
    pytest.param(
        page("monitoring:export-xlsx", mentions(GROWN_CODE), scoped("monitoring:export-xlsx")),
        id="page:export-xlsx",
    ),
    # --- The framework documents
    pytest.param(page("agreement-list", mentions("Grown addendum")), id="page:agreement-list"),
    pytest.param(
        page(
            "agreement-detail",
            mentions("Grown addendum"),  # it builds on the agreement shown
            lambda w: reverse("agreement-detail", args=[w.agreement.pk]),
        ),
        id="page:agreement-detail",
    ),
    pytest.param(page("plan-list", mentions("Later Joint Action Plan")), id="page:plan-list"),
    pytest.param(
        page(
            "plan-detail",
            mentions_record(lambda w: w.plan.title),
            lambda w: reverse("plan-detail", args=[w.plan.pk]),
        ),
        id="page:plan-detail",
    ),
    # --- API: reference data and framework documents
    pytest.param(api("organization-list", grew("count")), id="api:organizations"),
    pytest.param(
        api("thematic-area-list", mentions_record(lambda w: "institutional-capacity")),
        id="api:thematic-areas",
    ),
    pytest.param(api("sdg-target-list", grew("count")), id="api:sdg-targets"),
    pytest.param(api("agreement-list", grew("count")), id="api:agreements"),
    pytest.param(
        api(
            "agreement-detail",
            mentions_record(lambda w: w.agreement.title),
            lambda w: reverse("api:agreement-detail", args=[w.agreement.pk]),
        ),
        id="api:agreement-detail",
    ),
    pytest.param(api("plan-list", grew("count")), id="api:plans"),
    pytest.param(
        api(
            "plan-detail",
            mentions_record(lambda w: w.plan.title),
            lambda w: reverse("api:plan-detail", args=[w.plan.pk]),
        ),
        id="api:plan-detail",
    ),
    pytest.param(
        api(
            "plan-matrix",
            mentions(GROWN_CODE),
            lambda w: reverse("api:plan-matrix", args=[w.plan.pk]),
        ),
        id="api:plan-matrix",
    ),
    # --- API: activities and what hangs off them
    pytest.param(api("activity-list", grew("count")), id="api:activities"),
    pytest.param(
        api(
            "activity-list",
            all_of(grew("count"), lacks(UNODC_ONLY), lacks(OTHER_PLAN)),
            lambda w: f"{reverse('api:activity-list')}{LIST_FILTERS}&plan={w.plan.pk}",
        ),
        id="api:activities-filtered",
    ),
    pytest.param(api("activity-list", grew("count"), liaison=True), id="api:activities-as-liaison"),
    pytest.param(
        api("activity-detail", mentions(GROWN_PARTNER), of_shown("api:activity-detail")),
        id="api:activity-detail",
    ),
    pytest.param(
        api(
            "activity-detail",
            mentions(GROWN_PARTNER),
            of_shown("api:activity-detail"),
            liaison=True,
        ),
        id="api:activity-detail-as-liaison",
    ),
    pytest.param(
        api("activity-milestones", grew("count"), of_shown("api:activity-milestones")),
        id="api:activity-milestones",
    ),
    pytest.param(
        api("activity-indicators", grew("count"), of_shown("api:activity-indicators")),
        id="api:activity-indicators",
    ),
    pytest.param(
        api("activity-updates", grew("count"), of_shown("api:activity-updates")),
        id="api:activity-updates",
    ),
    pytest.param(
        api("activity-history", grew("count"), of_shown("api:activity-history")),
        id="api:activity-history",
    ),
    pytest.param(
        api(
            "activity-status-history",
            grew("count"),
            of_shown("api:activity-status-history"),
        ),
        id="api:activity-status-history",
    ),
    pytest.param(
        api(
            "activity-status-overrides",
            grew("count"),
            of_shown("api:activity-status-overrides"),
        ),
        id="api:activity-status-overrides",
    ),
    pytest.param(
        api(
            "milestone-detail",
            mentions_record(lambda w: w.milestone.title),
            lambda w: reverse("api:milestone-detail", args=[w.milestone.pk]),
        ),
        id="api:milestone-detail",
    ),
    pytest.param(
        api(
            "indicator-detail",
            mentions("2016-07-15"),  # a measurement grow() adds to it
            lambda w: reverse("api:indicator-detail", args=[w.indicator.pk]),
        ),
        id="api:indicator-detail",
    ),
    pytest.param(
        api(
            "indicator-measurements",
            grew("count"),
            lambda w: reverse("api:indicator-measurements", args=[w.indicator.pk]),
        ),
        id="api:indicator-measurements",
    ),
    pytest.param(api("update-list", grew("count")), id="api:updates"),
    pytest.param(
        api(
            "update-detail",
            mentions_record(lambda w: w.pending.narrative),
            lambda w: reverse("api:update-detail", args=[w.pending.pk]),
        ),
        id="api:update-detail",
    ),
    pytest.param(
        api("priority-list", grew("count"), lambda w: reverse("api:priority-list", args=[2016])),
        id="api:priorities",
    ),
    # --- Geography: the map, a country's and a region's page and API
    pytest.param(
        page("geography:map", mentions("Ghana: 12 activities"), scoped("geography:map")),
        id="page:map",
    ),
    pytest.param(
        page(
            "geography:dashboard-countries",
            mentions('data-country="GH"'),
            scoped("geography:dashboard-countries"),
        ),
        id="page:dashboard-countries",
    ),
    pytest.param(
        page(
            "geography:country",
            mentions(GROWN_CODE),
            lambda w: reverse("geography:country", args=["NG"]) + f"?plan={w.plan.pk}",
        ),
        id="page:country",
    ),
    pytest.param(
        page(
            "geography:region",
            mentions(GROWN_CODE),
            lambda w: reverse("geography:region", args=["011"]) + f"?plan={w.plan.pk}",
        ),
        id="page:region",
    ),
    pytest.param(
        api(
            "country-list",
            mentions("Ghana"),
            lambda w: f"{reverse('api:country-list')}?plan={w.plan.pk}",
        ),
        id="api:countries",
    ),
    pytest.param(
        api(
            "country-detail",
            grew("total"),
            lambda w: reverse("api:country-detail", args=["NG"]) + f"?plan={w.plan.pk}",
        ),
        id="api:country-detail",
    ),
    pytest.param(
        api(
            "region-detail",
            grew("total"),
            lambda w: reverse("api:region-detail", args=["011"]) + f"?plan={w.plan.pk}",
        ),
        id="api:region-detail",
    ),
    pytest.param(
        api(
            "activity-places", mentions_record(lambda w: "Nigeria"), of_shown("api:activity-places")
        ),
        id="api:activity-places",
    ),
    # --- API: monitoring
    pytest.param(api("monitoring-run-list", grew("count")), id="api:monitoring-runs"),
    pytest.param(
        api(
            "monitoring-run-detail",
            grew("activities_assessed"),
            of_latest_run("api:monitoring-run-detail"),
        ),
        id="api:monitoring-run-detail",
    ),
    pytest.param(
        api(
            "monitoring-summary",
            grew("all_activities.total"),
            lambda w: f"{reverse('api:monitoring-summary')}?plan={w.plan.pk}&as_of={AS_OF}",
        ),
        id="api:monitoring-summary",
    ),
]

# URL patterns that are not in VIEWS, and why. Keyed by the pattern's name (with its namespace).
POST_ONLY = "answers POST only (checked below: a GET is refused with 405)"
EXCLUDED = {
    # Signing in and out, passwords: forms about the user, nothing from the portfolio.
    "login": "sign-in form",
    "logout": "sign-out",
    "password_change": "password form",
    "password_change_done": "confirmation page",
    "password_reset": "password form",
    "password_reset_done": "confirmation page",
    "password_reset_confirm": "password form",
    "password_reset_complete": "confirmation page",
    "profile": "the signed-in user's own profile and token: nothing on it grows with the data",
    "healthz": "liveness probe: a fixed query, no data shown",
    "favicon": "a redirect to the static icon, no query",
    "lockout-list": (
        "sign-in lockouts, not the portfolio; its count as lockouts grow is checked in "
        "tests/pages/test_lockouts.py"
    ),
    "api-schema": "the OpenAPI document, generated from the code, not the data",
    "api:region-list": "the UN M49 regions: reference data, the same whatever the portfolio",
    "api-docs": "Swagger UI around the schema",
    # Forms that render empty: the activity they belong to is the only record read.
    "activities:milestone-add": "empty form for a new milestone",
    "activities:update-new": "empty form for a new progress update",
    # Writes.
    "profile-token-rotate": POST_ONLY,
    "lockout-unlock": POST_ONLY,
    "activities:milestone-complete": POST_ONLY,
    "activities:milestone-delete": POST_ONLY,
    "activities:funding-delete": POST_ONLY,
    "activities:update-delete": POST_ONLY,
    "activities:update-withdraw": POST_ONLY,
    "activities:update-submit": POST_ONLY,
    "activities:approve": POST_ONLY,
    "activities:return": POST_ONLY,
    "monitoring:run-request": POST_ONLY,
    "api:update-submit": POST_ONLY,
    "api:update-approve": POST_ONLY,
    "api:update-return": POST_ONLY,
    "api:status-override-end": POST_ONLY,
    # The exchange's files: binary (XLSX) or XML, so not read for grown data here; their fixed
    # counts as the plan grows are asserted in tests/exchange/test_interfaces.py and test_iati.py.
    "exchange:matrix-download": "XLSX file; its count as the plan grows: tests/exchange",
    "api:matrix-workbook": "the same XLSX file through the API (tests/exchange)",
    "exchange:iati-export": "IATI XML file; its count as the plan grows: tests/exchange",
    "exchange:matrix-upload": "empty upload form (a POST stages the file)",
    "exchange:upload-review": (
        "the dry run of a staged file; its count as the plan grows: tests/exchange"
    ),
    "exchange:upload-confirm": POST_ONLY,
    "api:matrix-upload": POST_ONLY,
    # Publication (issue 18): measured on a grown plan in its own tests. The public pages and API
    # read a frozen snapshot, not the portfolio (tests/publication/test_public_http.py: 2
    # queries per page, 1 for a 304, with 30 more activities published); the staff pages in
    # tests/publication/test_staff_pages.py.
    **dict.fromkeys(
        [
            "public:index",
            "public:snapshot",
            "public:activities",
            "public:activities-csv",
            "public:activity",
            "public:priorities",
            "public:sdg",
            "public:countries",
            "public-api:snapshots",
            "public-api:snapshot",
            "public-api:activities",
            "public-api:activity",
            "public-api:countries",
            "public-api:country",
            "publication:overview",
            "publication:checklist",
            "publication:disclosure",
        ],
        "publication: measured on grown data in tests/publication/",
    ),
    "monitoring:reporting": (
        "the dashboard's Reporting tab: this world has no reporting calendar, so it would show "
        "no late report; measured as the plan grows in tests/monitoring/test_dashboard_pages.py"
    ),
    "geography:places-edit": (
        "the places form: its choices are the fixed country and region lists; measured as the "
        "activity's places grow in tests/geography/test_places_page.py"
    ),
    "public-api:schema": "the public API's OpenAPI document, generated from the code",
    "public-api:docs": "Swagger UI around the public schema",
    "publication:publish": POST_ONLY,
    "publication:withdraw": POST_ONLY,
    "publication:disclosure-text": POST_ONLY,
    # Issue 19's pages and endpoints: each asserts its constant count as its data grows in its
    # own test (not yet in this module's world, which has no notifications, comments, webhooks
    # or calendar).
    "notifications:inbox": "tests/notifications/test_pages.py (the inbox grows 2 → 22)",
    "notifications:log": "tests/notifications/test_pages.py (the log grows 2 → 12)",
    "notifications:settings": "one form, a row per kind of event: nothing grows with the data",
    "notifications:mark-read": POST_ONLY,
    "notifications:webhooks": "a manager's own few subscriptions and an empty form",
    "notifications:webhook": "its delivery log, capped at 50 rows, attempts prefetched",
    "notifications:webhook-toggle": POST_ONLY,
    "conversation:thread": "tests/notifications/test_conversation.py (2 → 12 comments)",
    "conversation:fragment": "the thread's comments, read as on conversation:thread",
    "conversation:edit": "one comment's form",
    "api:webhook-list": "tests/notifications/test_webhooks.py (one manager's subscriptions)",
    "api:webhook-detail": "one subscription",
    "api:webhook-deliveries": "tests/notifications/test_webhooks.py (1 → 6 deliveries)",
    "api:plan-reporting-calendar": "tests/api/test_reporting_calendar.py (1 → 6 activities)",
    "activities:evidence-remove": POST_ONLY,
    # Issue 20's views, each with its own growth test (the world here has no results chain,
    # breakdowns or files): same count as the data grows.
    "results:plan": "the results chain: tests/results/test_results_page.py (6 and 42 activities)",
    "results:plan-csv": "the chain as CSV, the page's reads: tests/results/test_results_page.py",
    "api:plan-results": "the chain API: tests/results/test_chain_api.py (3 and 33 activities)",
    "api:indicator-breakdown": "tests/api/test_indicator_breakdown.py (1 and 12 values)",
    "activities:update-evidence": "tests/pages/test_evidence_pages.py (1 and 6 files)",
    "activities:measurement-evidence": "the update's evidence page's view, for a measurement",
    "api:update-evidence": "the measurement's listing, for an update: see below",
    "api:measurement-evidence": "tests/api/test_evidence_api.py (1 and 6 files)",
    "activities:evidence-download": "streams one file: nothing grows",
    "api:evidence-download": "streams one file: nothing grows",
    "activities:reporting-calendar": "tests/pages/test_reporting_calendar.py (4 → 12 periods)",
    # Editing the results chain (managers): forms of one record, and an output's contributions,
    # measured as they grow in their own tests.
    "results:result-new": "one form; its parent choices are one query",
    "results:result-edit": "one result's form",
    "results:result-delete": "one result, its children and contributions counted",
    "results:contributions": "tests/results/test_chain_editing_pages.py (1 → 6 contributions)",
    "results:contribution-edit": POST_ONLY,
    "results:contribution-delete": POST_ONLY,
    "api:result-detail": "one result",
    "api:result-contributions": "tests/results/test_chain_write_api.py (1 → 6 contributions)",
    "api:contribution-detail": "one contribution",
    # The inbox and the conversation through the API (issue 19).
    "api:notification-list": "tests/notifications/test_api.py (the inbox: 3 queries, 1 or many)",
    "api:notification-read": "marks one notification read: nothing grows",
    "api:notification-read-all": "one UPDATE of the reader's notifications",
    "api:activity-comments": "tests/notifications/test_api.py (the conversation: 7, 1 or many)",
    "api:comment-detail": "edits one comment: nothing grows",
}
# The Django admin is a staff tool with its own (Django's) queries, outside issue 8's pages.
EXCLUDED_NAMESPACES = {"admin"}


# --- Measuring ------------------------------------------------------------------------------------


def _request(client: Client, url: str) -> Response:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return Response(
        status=response.status_code,
        queries=[query["sql"] for query in captured.captured_queries],
        body=b"".join(response.streaming_content) if response.streaming else response.content,
        content_type=response.get("Content-Type", ""),
    )


# Each view is requested twice in a row: first right after the data changed, and again. Nothing
# is cached between requests, so both should make the same queries; each of the two counts is
# compared with its own kind all the same, so that a cache added later cannot hide a growing
# first request behind a constant repeat.
Pair = tuple[Response, Response]


def _clients(world: World) -> dict[tuple[bool, bool], Client]:
    """(API?, liaison?) → a client signed in as the manager or the liaison officer: with a
    session for the pages, with a token (as REST clients call) for the API."""
    clients = {}
    for liaison, user in ((False, world.manager), (True, world.liaison)):
        browser = Client()
        browser.force_login(user)
        clients[False, liaison] = browser
        _, token = AuthToken.objects.create(user=user)
        clients[True, liaison] = Client(HTTP_AUTHORIZATION=f"Token {token}")
    return clients


def _measure_all(world: World, clients: dict) -> dict[str, Pair | Exception]:
    results: dict[str, Pair | Exception] = {}
    for param in VIEWS:
        view: View = param.values[0]
        client, url = clients[view.api, view.liaison], view.url(world)
        try:
            results[param.id] = (_request(client, url), _request(client, url))
        except Exception as exc:  # recorded: it fails that view's test only
            results[param.id] = exc
    return results


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker) -> tuple[World, dict, dict]:
    """Build the small portfolio, request every view, grow, request every view again; roll
    everything back."""
    from config.celery import app

    cache.clear()  # API throttle counters
    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, False
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
            transaction.atomic(),
        ):
            world = build_world()
            clients = _clients(world)
            small = _measure_all(world, clients)
            grow(world)
            grown = _measure_all(world, clients)
            transaction.set_rollback(True)
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = saved
        cache.clear()
    return world, small, grown


def _difference(small: list[str], grown: list[str]) -> str:
    """The statements only one of the two requests ran (the per-row ones, usually)."""
    only_grown = [sql for sql in grown if sql not in small]
    only_small = [sql for sql in small if sql not in grown]
    lines = [f"  + {sql[:300]}" for sql in only_grown[:10]]
    lines += [f"  - {sql[:300]}" for sql in only_small[:10]]
    return "\n".join(lines)


# --- The tests ------------------------------------------------------------------------------------


# django_db: pytest-django creates the test database only for tests marked as using it; the
# requests themselves run in the module's `measured` fixture.
@pytest.mark.django_db
@pytest.mark.parametrize("view", VIEWS)
def test_query_count_does_not_grow_with_the_data(view: View, request, measured):
    world, small, grown = measured
    pairs = small[request.node.callspec.id], grown[request.node.callspec.id]
    for pair in pairs:
        if isinstance(pair, Exception):
            raise pair
    (first, again), (grown_first, grown_again) = pairs
    assert [r.status for r in (first, again, grown_first, grown_again)] == [200] * 4
    for which, before, after in (
        ("first request", first, grown_first),
        ("repeated request", again, grown_again),
    ):
        small_count, grown_count = len(before.queries), len(after.queries)
        assert grown_count == small_count, (
            f"{which}: {small_count} queries on the small portfolio, {grown_count} on the grown "
            f"one:\n{_difference(before.queries, after.queries)}"
        )
    problem = view.evidence(world, again, grown_again)
    assert problem is None, problem


def _url_patterns(patterns=None, prefix: str = "", namespace: str = "", converters=None):
    """(name with namespace, route, the URL's arguments) of every URL pattern of the project;
    a pattern without a name goes by its route."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        arguments = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            if entry.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_patterns(entry.url_patterns, route, inner, arguments)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else route), route, arguments


def test_every_url_is_covered_or_excluded():
    """A new URL pattern fails here until it is measured above or excluded with a reason."""
    covered = {param.values[0].name for param in VIEWS}
    found = {name for name, _route, _arguments in _url_patterns()}
    assert not covered & set(EXCLUDED), "both measured and excluded"
    assert sorted(found - covered - set(EXCLUDED)) == [], "neither measured nor excluded"
    assert sorted((covered | set(EXCLUDED)) - found) == [], "listed, but no such URL pattern"


@pytest.mark.parametrize("name", sorted(n for n, why in EXCLUDED.items() if why == POST_ONLY))
def test_views_excluded_as_post_only_refuse_get(name, client, db):
    arguments = {found: arguments for found, _route, arguments in _url_patterns()}[name]
    client.force_login(make_user(role=Profile.Role.MANAGER, password=None))
    response = client.get(reverse(name, kwargs=dict.fromkeys(arguments, 1)))
    assert response.status_code == 405
