"""The dashboard pages: numbers as the assessments of the chosen date say (the same selectors the
API's summary uses), readable without JavaScript, in a constant number of queries."""

import datetime as dt
import re

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils.html import escape

from activities.models import Activity
from monitoring import selectors
from monitoring.models import Assessment
from partnership.models import Profile
from tests.factories import make_user
from tests.monitoring.dashboard_scenario import (
    MONTH_ENDS_2016,
    add_activities,
    assess,
    build_scenario,
)

pytestmark = pytest.mark.django_db

MARCH, JUNE, OCTOBER = dt.date(2016, 3, 31), dt.date(2016, 6, 30), dt.date(2016, 10, 31)


@pytest.fixture
def scenario():
    scenario = build_scenario()
    assess(scenario.plan, MONTH_ENDS_2016)
    return scenario


@pytest.fixture
def manager_client(client, scenario):
    client.force_login(scenario.reviewer)
    return client


def page(client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def counts_on_page(html: str) -> dict[str, int]:
    """The numbers of the 'Activities by status' list, read as a person reads them."""
    block = html.split('id="status-counts"', 1)[1].split("</ul>", 1)[0]
    return {
        status: int(n)
        for status, n in re.findall(r'data-status="(\w+)">(\d+)</span>', block)
        if status != "total"
    }


def area_table_on_page(html: str) -> dict[str, dict[str, int]]:
    table = html.split('id="status-by-area"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for name, body in re.findall(r'<tr data-area="([^"]+)">(.*?)</tr>', table, re.S):
        rows[name] = {s: int(n) for s, n in re.findall(r'data-status="(\w+)">(\d+)<', body)}
    return rows


def assessed_counts(plan, on):
    rows = (
        Assessment.objects.filter(activity__matrix__plan=plan, as_of=on)
        .values("status")
        .annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}


# --- What the dashboard says ---------------------------------------------------------------------


def test_the_dashboard_needs_a_login(client, scenario):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert reverse("monitoring:dashboard") == "/dashboard/"


def test_the_dashboard_defaults_to_the_plans_latest_assessed_date(manager_client, scenario):
    html = page(manager_client, "/dashboard/")
    latest = selectors.latest_assessed_on(plan_id=scenario.plan.pk)
    assert f'<strong id="as-of">{latest:%Y-%m-%d}</strong>' in html
    assert (
        counts_on_page(html)
        == selectors.status_counts(plan_id=scenario.plan.pk, as_of=latest).counts
    )


@pytest.mark.parametrize("on", [MARCH, JUNE, OCTOBER])
def test_the_numbers_equal_the_selectors_behind_the_api_summary(manager_client, scenario, on):
    html = page(manager_client, "/dashboard/", plan=scenario.plan.pk, as_of=on.isoformat())
    assert (
        counts_on_page(html) == selectors.status_counts(plan_id=scenario.plan.pk, as_of=on).counts
    )
    by_area = {
        row.name: row.counts
        for row in selectors.status_counts_by_thematic_area(plan_id=scenario.plan.pk, as_of=on)
    }
    for name, cells in area_table_on_page(html).items():
        expected = by_area.get(name, dict.fromkeys(cells, 0))
        assert {k: v for k, v in cells.items() if k in expected} == expected


def test_changing_the_date_changes_the_numbers_as_the_assessments_say(manager_client, scenario):
    seen = set()
    for on in MONTH_ENDS_2016:
        shown = counts_on_page(page(manager_client, "/dashboard/", plan=scenario.plan.pk, as_of=on))
        assert {k: v for k, v in shown.items() if v} == assessed_counts(scenario.plan, on)
        seen.add(tuple(sorted(shown.items())))
    assert len(seen) > 3


def test_the_dashboard_reads_assessments_not_the_activitys_current_status(manager_client, scenario):
    before = counts_on_page(page(manager_client, "/dashboard/", plan=scenario.plan.pk, as_of=MARCH))
    Activity.objects.filter(matrix=scenario.matrix).update(status="suspended")
    after = counts_on_page(page(manager_client, "/dashboard/", plan=scenario.plan.pk, as_of=MARCH))
    assert after == before
    assert after["suspended"] == 0


def test_a_date_between_two_runs_shows_each_activitys_latest_assessment(manager_client, scenario):
    html = page(manager_client, "/dashboard/", plan=scenario.plan.pk, as_of="2016-05-15")
    assert "No run assessed the plan as of 2016-05-15" in html
    assert "2016-05-15 (between assessments)" in html
    assert (
        counts_on_page(html)
        == selectors.status_counts(plan_id=scenario.plan.pk, as_of=dt.date(2016, 4, 30)).counts
    )


def test_the_date_picker_offers_every_assessed_date_and_steps_month_by_month(
    manager_client, scenario
):
    html = page(manager_client, "/dashboard/", plan=scenario.plan.pk, as_of=JUNE)
    options = re.findall(r'<option value="(2016-\d\d-\d\d)"', html)
    assert options == [on.isoformat() for on in sorted(MONTH_ENDS_2016, reverse=True)]
    assert f'rel="prev" href="?plan={scenario.plan.pk}&amp;as_of=2016-05-31"' in html
    assert f'rel="next" href="?plan={scenario.plan.pk}&amp;as_of=2016-07-31"' in html


def test_the_trend_table_gives_the_counts_of_each_month_up_to_the_date(manager_client, scenario):
    html = page(manager_client, "/dashboard/", plan=scenario.plan.pk, as_of=JUNE)
    table = html.split('id="trend"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr data-as-of="([\d-]+)">(.*?)</tr>', table, re.S)
    assert [on for on, _ in rows] == [on.isoformat() for on in MONTH_ENDS_2016[:6]]
    for on, body in rows:
        cells = {s: int(n) for s, n in re.findall(r'data-status="(\w+)">(\d+)<', body)}
        expected = selectors.status_counts(
            plan_id=scenario.plan.pk, as_of=dt.date.fromisoformat(on)
        ).counts
        assert {k: v for k, v in cells.items() if k in expected} == expected
    # Each chart has a text alternative: a title, a description and the table.
    assert html.count('role="img"') == 2
    assert 'aria-labelledby="trend-chart-title trend-chart-desc"' in html


def test_overdue_milestones_and_stale_reports_are_listed(manager_client, scenario):
    html = page(manager_client, "/dashboard/", plan=scenario.plan.pk, as_of=JUNE)
    overdue = html.split('id="overdue-milestones"', 1)[1].split("</table>", 1)[0]
    assert "Dark net threat report" in overdue
    assert "136 days" in overdue
    stale = html.split('id="stale-reports"', 1)[1].split("</table>", 1)[0]
    for assessment in Assessment.objects.filter(activity__matrix=scenario.matrix, as_of=JUNE):
        has_stale = any(r["code"] == "stale_reporting" for r in assessment.reasons)
        assert (f">{assessment.activity.code}</a>" in stale) == has_stale


def test_an_unknown_plan_is_not_found_and_a_bad_date_falls_back(manager_client, scenario):
    assert manager_client.get("/dashboard/", {"plan": 9999}).status_code == 404
    html = page(manager_client, "/dashboard/", plan=scenario.plan.pk, as_of="31/12/2016")
    assert "were not understood" in html
    assert '<strong id="as-of">2016-12-31</strong>' in html


def test_a_plan_not_yet_assessed_offers_a_run(client):
    from tests.factories import PlanFactory

    PlanFactory()
    client.force_login(make_user(role=Profile.Role.MANAGER, username="boss"))
    html = page(client, "/dashboard/")
    assert "has not been assessed yet" in html
    assert "Request a monitoring run" in html


def test_priority_board_shows_the_cards_of_the_date(manager_client, scenario):
    html = page(manager_client, reverse("monitoring:priorities"), plan=scenario.plan.pk, as_of=JUNE)
    codes = re.findall(r'<article class="card priority-card[^"]*"[^>]*data-code="([^"]+)"', html)
    assert codes == ["T-01", "C-01", "D-01", "I-01"]
    dark = Assessment.objects.get(activity__code="C-01", as_of=JUNE)
    assert escape(dark.reasons[0]["message"]) in html
    assert "Dark net threat report, due 2016-02-15" in html
    assert f'href="/activities/{scenario.activities["C-01"].pk}/"' in html


def test_funding_page_shows_required_secured_and_gap_per_area_and_activity(
    manager_client, scenario
):
    html = page(manager_client, reverse("monitoring:funding"), plan=scenario.plan.pk, as_of=JUNE)
    table = html.split('id="funding-by-area"', 1)[1].split("</table>", 1)[0]
    terrorism = re.search(r'<tr data-area="Terrorism">(.*?)</tr>', table, re.S).group(1)
    assert 'data-col="required">100,000<' in terrorism
    assert 'data-col="secured">60,000<' in terrorism
    assert 'data-col="gap">40,000<' in terrorism
    assert "EU" in terrorism
    assert "EU (pledged)" in html.split('id="funding-by-activity"', 1)[1]
    january = page(
        manager_client, reverse("monitoring:funding"), plan=scenario.plan.pk, as_of="2016-01-31"
    )
    table = january.split('id="funding-by-area"', 1)[1].split("</table>", 1)[0]
    terrorism = re.search(r'<tr data-area="Terrorism">(.*?)</tr>', table, re.S).group(1)
    assert 'data-col="secured">0<' in terrorism


def test_sdg_page_lists_the_targets_with_the_activities_and_their_status(manager_client, scenario):
    html = page(manager_client, reverse("monitoring:sdg"), plan=scenario.plan.pk, as_of=JUNE)
    row = re.search(r'<tr data-target="16.4"[^>]*>(.*?)</tr>', html, re.S).group(1)
    assert 'data-col="total">2<' in row
    assert ">C-01</a>" in row and ">D-01</a>" in row
    assert '<tr data-target="16.2" class="muted-row">' in html
    assert '<tr data-target="3.5"' in html


def test_the_report_has_a_section_per_area_and_the_priorities_with_reasons(
    manager_client, scenario
):
    html = page(manager_client, reverse("monitoring:report"), plan=scenario.plan.pk, as_of=JUNE)
    sections = re.findall(r'<section class="report-section"[^>]*data-area="([^"]+)"', html)
    assert sections == [
        "terrorism",
        "trafficking-organized-crime",
        "cybercrime",
        "maritime-border-security",
        "forensic-criminal-justice",
        "institutional-capacity",
    ]
    for code in ["T-01", "C-01", "D-01", "I-01"]:
        assert f'<tr data-code="{code}">' in html
        for reason in Assessment.objects.get(activity__code=code, as_of=JUNE).reasons:
            assert escape(reason["message"]) in html
    assert "(priority 2016)" in html
    assert (
        counts_on_page(html) == selectors.status_counts(plan_id=scenario.plan.pk, as_of=JUNE).counts
    )
    assert 'href="/static/css/print.css" media="print"' in html


# --- Constant queries ----------------------------------------------------------------------------

# Every page: the session, the user, the plans (with agreements), the plan's assessed dates, its
# latest assessed date, the profile for the permission check, and at the end the header's profile
# (context processor): 7.
COMMON = 7
# The overview, live: + thematic areas, counts by area (the plan's counts are added up from
# them), the trend (every month in one statement), the activities needing attention and their
# total (counted apart from the status counts: only what the viewer may list), the stale reports
# and their total, the overdue milestones and their total, the plan's runs.
DASHBOARD = COMMON + 10
PAGES = {
    # + priority designations (status, milestone and update as subqueries), participations.
    "monitoring:priorities": COMMON + 2,
    # + thematic areas, donors per area, sums per area, activities with gaps, their funding.
    "monitoring:funding": COMMON + 5,
    # + SDG 16 targets, the plan's target links with status.
    "monitoring:sdg": COMMON + 2,
    # + whether the plan has a reporting calendar (the scenario's has none).
    "monitoring:reporting": COMMON + 1,
    # + thematic areas, counts by area (the plan's counts are added up from them), priority
    #   designations, participations, the activities with status, reasons, priority and lead.
    "monitoring:report": COMMON + 5,
}


def count_queries(client, url, params, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        assert client.get(url, params).status_code == 200


@pytest.mark.parametrize("name", list(PAGES))
def test_each_dashboard_page_takes_the_same_queries_as_the_plan_grows(
    manager_client, scenario, name, django_assert_num_queries
):
    url = reverse(name)
    params = {"plan": scenario.plan.pk, "as_of": JUNE.isoformat()}
    count_queries(manager_client, url, params, django_assert_num_queries, PAGES[name])
    add_activities(scenario, 25)
    assess(scenario.plan, [dt.date(2016, 4, 30), JUNE])
    assert Activity.objects.filter(matrix=scenario.matrix).count() == 32
    count_queries(manager_client, url, params, django_assert_num_queries, PAGES[name])


def test_the_overview_takes_the_same_queries_as_the_plan_grows(
    manager_client, scenario, django_assert_num_queries
):
    url = reverse("monitoring:dashboard")
    params = {"plan": scenario.plan.pk, "as_of": JUNE.isoformat()}
    count_queries(manager_client, url, params, django_assert_num_queries, DASHBOARD)
    add_activities(scenario, 25)
    assess(scenario.plan, [dt.date(2016, 4, 30), JUNE])
    assert Activity.objects.filter(matrix=scenario.matrix).count() == 32
    count_queries(manager_client, url, params, django_assert_num_queries, DASHBOARD)


def test_the_overview_of_the_latest_date_takes_the_same_queries_as_the_plan_grows(
    manager_client, scenario, django_assert_num_queries
):
    # The default view: the figures read the activities' current status.
    url = reverse("monitoring:dashboard")
    params = {"plan": scenario.plan.pk}
    count_queries(manager_client, url, params, django_assert_num_queries, DASHBOARD)
    add_activities(scenario, 25)
    assess(scenario.plan, MONTH_ENDS_2016[-2:])
    count_queries(manager_client, url, params, django_assert_num_queries, DASHBOARD)


# --- Requesting a monitoring run -----------------------------------------------------------------


def test_managers_see_the_run_form_and_others_do_not(client, manager_client, scenario):
    assert "Request a monitoring run" in page(manager_client, "/dashboard/")
    client.logout()
    client.force_login(make_user(role=Profile.Role.LIAISON_OFFICER, username="lo"))
    html = page(client, "/dashboard/")
    assert "Request a monitoring run" not in html
    assert "Monitoring runs" in html


@pytest.mark.parametrize("role", [Profile.Role.VIEWER, Profile.Role.LIAISON_OFFICER])
def test_only_managers_may_request_a_run(client, scenario, role):
    client.force_login(make_user(role=role, username=f"user-{role}"))
    response = client.post(
        reverse("monitoring:run-request"), {"plan": scenario.plan.pk, "as_of": "2016-07-15"}
    )
    assert response.status_code == 403
    assert not Assessment.objects.filter(as_of=dt.date(2016, 7, 15)).exists()


def test_a_run_request_needs_the_csrf_token(scenario):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(scenario.reviewer)
    response = client.post(
        reverse("monitoring:run-request"), {"plan": scenario.plan.pk, "as_of": "2016-07-15"}
    )
    assert response.status_code == 403


def test_a_manager_requests_a_run_and_follows_it_to_the_end(
    manager_client, scenario, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(
            reverse("monitoring:run-request"), {"plan": scenario.plan.pk, "as_of": "2016-07-15"}
        )
    assert response.status_code == 302
    run_id = int(re.search(r"/monitoring/runs/(\d+)/", response["Location"]).group(1))
    # No broker in the tests: the run was carried out eagerly, as soon as it was committed.
    progress = manager_client.get(reverse("monitoring:run-progress", args=[run_id])).json()
    assert progress["state"] == "finished"
    assert progress["open"] is False
    assert progress["chunks_done"] == progress["chunks_total"] >= 1
    assert progress["activities_assessed"] == 7
    assert progress["dashboard_url"] == f"/dashboard/?plan={scenario.plan.pk}&as_of=2016-07-15"
    html = page(manager_client, response["Location"])
    assert "Finished" in html
    done, total = progress["chunks_done"], progress["chunks_total"]
    assert f'<progress id="run-progress-bar" max="{total}" value="{done}">' in html
    assert "run_progress.js" not in html  # nothing left to poll
    assert Assessment.objects.filter(as_of=dt.date(2016, 7, 15)).count() == 7


def test_an_open_run_page_shows_its_state_and_polls_for_progress(manager_client, scenario):
    from monitoring import services

    run = services.request_run(
        plan_id=scenario.plan.pk, as_of=JUNE, trigger="manual", enqueue=False
    )
    html = page(manager_client, reverse("monitoring:run-detail", args=[run.pk]))
    assert f'data-progress-url="/monitoring/runs/{run.pk}/progress.json"' in html
    assert '<script src="/static/js/run_progress.js" defer></script>' in html
    assert "Queued" in html
    assert "reload it to see the progress" in html
    progress = manager_client.get(f"/monitoring/runs/{run.pk}/progress.json")
    assert progress["Cache-Control"] == "no-store"
    assert progress.json()["open"] is True


def test_a_run_date_outside_the_plans_period_is_refused(manager_client, scenario):
    response = manager_client.post(
        reverse("monitoring:run-request"), {"plan": scenario.plan.pk, "as_of": "2017-02-01"}
    )
    assert response.status_code == 400
    assert "the plan&#x27;s period" in response.content.decode()


def test_run_request_accepts_only_post(manager_client):
    assert manager_client.get(reverse("monitoring:run-request")).status_code == 405


def test_an_unknown_run_is_not_found(manager_client):
    assert manager_client.get(reverse("monitoring:run-detail", args=[999])).status_code == 404
    assert manager_client.get(reverse("monitoring:run-progress", args=[999])).status_code == 404


@pytest.mark.parametrize("on", ["2016-03-31", "2016-05-15", "2016-12-31"])
def test_the_numbers_equal_the_api_summary_for_the_same_plan_and_date(manager_client, scenario, on):
    html = page(manager_client, "/dashboard/", plan=scenario.plan.pk, as_of=on)
    summary = manager_client.get(
        "/api/v1/monitoring/summary/", {"plan": scenario.plan.pk, "as_of": on}
    ).json()
    assert counts_on_page(html) == summary["all_activities"]["counts"]
    by_area = {row["name"]: row["counts"] for row in summary["by_thematic_area"]}
    for name, cells in area_table_on_page(html).items():
        if name in by_area:
            assert {k: v for k, v in cells.items() if k in by_area[name]} == by_area[name]
        else:
            assert cells["total"] == 0


def test_the_reporting_tab_lists_the_late_and_missing_reports_as_of_its_date(
    manager_client, scenario, django_assert_num_queries
):
    from activities import services as activity_services

    params = {"plan": scenario.plan.pk, "as_of": JUNE.isoformat()}
    url = reverse("monitoring:reporting")
    assert "The plan has no reporting calendar: <a" in page(manager_client, url, **params)
    activity_services.set_reporting_calendar(
        actor=None, plan=scenario.plan, frequency="quarterly", due_after_days=15
    )
    overview = page(manager_client, reverse("monitoring:dashboard"), **params)
    assert 'id="late-reports-link"' in overview
    # The tab's queries: whether there is a calendar, its periods, the late (activity, period)
    # pairs with their count.
    count_queries(manager_client, url, params, django_assert_num_queries, COMMON + 3)
    html = page(manager_client, url, **params)
    late = Activity.objects.filter(matrix=scenario.matrix).exclude(
        start_date__gt=dt.date(2016, 3, 31)
    )
    # As of 30 June only Q1 (due 15 April) can be late; no update of the scenario names a period.
    assert f"Late and missing reports ({late.count()})" in html
    assert '<td data-label="Period">Q1 2016</td>' in html
    assert "Missing, 76 days late" in html
    add_activities(scenario, 10)
    count_queries(manager_client, url, params, django_assert_num_queries, COMMON + 3)
