"""Managers' pages in a real browser: the dashboard agrees with the API's monitoring summary for
the same plan and date and follows the date picker; the priority board, the Activity Matrix and
the printable report render; a requested run shows its progress live.

Data: factories plus the monitoring services (a run at each month end of 2016), not the demo.
"""

import datetime as dt
import re

import pytest
from django.db.models import Count

from monitoring import services
from monitoring.models import Assessment, MonitoringRun
from tests.browser.conftest import login
from tests.monitoring.dashboard_scenario import MONTH_ENDS_2016, assess, build_scenario

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

STATUSES = ["not_started", "on_track", "at_risk", "off_track", "completed", "suspended"]


@pytest.fixture
def scenario():
    scenario = build_scenario()
    assess(scenario.plan, MONTH_ENDS_2016)
    return scenario


def counts_on_page(page) -> dict[str, int]:
    return {
        status: int(page.locator(f'#status-counts [data-status="{status}"]').inner_text())
        for status in STATUSES
    }


def area_rows_on_page(page) -> dict[str, dict[str, int]]:
    rows = {}
    for row in page.locator("#status-by-area tbody tr").all():
        name = row.get_attribute("data-area")
        rows[name] = {
            status: int(row.locator(f'[data-status="{status}"]').inner_text())
            for status in STATUSES
        }
    return rows


def api_summary(page, plan_id: int, as_of: str) -> dict:
    response = page.request.get(f"/api/v1/monitoring/summary/?plan={plan_id}&as_of={as_of}")
    assert response.ok, response.text()
    return response.json()


def assessed_counts(plan, on: dt.date) -> dict[str, int]:
    rows = (
        Assessment.objects.filter(activity__matrix__plan=plan, as_of=on)
        .values("status")
        .annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}


def test_dashboard_numbers_equal_the_api_summary_and_follow_the_date(page, screenshot, scenario):
    plan_id = scenario.plan.pk
    login(page, "manager")
    page.goto("/dashboard/")
    assert page.locator("#as-of").inner_text() == "2016-12-31"
    summary = api_summary(page, plan_id, "2016-12-31")
    assert counts_on_page(page) == summary["all_activities"]["counts"]
    by_area = {row["name"]: row["counts"] for row in summary["by_thematic_area"]}
    for name, counts in area_rows_on_page(page).items():
        assert counts == by_area.get(name, dict.fromkeys(STATUSES, 0))
    december = counts_on_page(page)
    screenshot(page, "dashboard")

    # Replay March with the date picker: the numbers become March's.
    page.get_by_label("As of (assessed dates)").select_option("2016-03-31")
    page.get_by_role("button", name="Show date").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#as-of").inner_text() == "2016-03-31"
    march = counts_on_page(page)
    assert march == api_summary(page, plan_id, "2016-03-31")["all_activities"]["counts"]
    assert {k: v for k, v in march.items() if v} == assessed_counts(
        scenario.plan, dt.date(2016, 3, 31)
    )
    assert march != december
    screenshot(page, "dashboard-2016-03")

    # One step forward, month by month.
    page.get_by_role("link", name="2016-04-30 →").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#as-of").inner_text() == "2016-04-30"
    assert (
        counts_on_page(page) == api_summary(page, plan_id, "2016-04-30")["all_activities"]["counts"]
    )

    # The trend table holds every month up to the date, each as the summary says.
    rows = page.locator("#trend tbody tr")
    assert rows.count() == 4
    for row in rows.all():
        on = row.get_attribute("data-as-of")
        shown = {s: int(row.locator(f'[data-status="{s}"]').inner_text()) for s in STATUSES}
        assert shown == api_summary(page, plan_id, on)["all_activities"]["counts"]
    assert page.locator("svg[role=img]").count() == 2


def test_priority_board_shows_the_priorities_as_cards(page, screenshot, scenario):
    login(page, "manager")
    page.goto(f"/dashboard/?plan={scenario.plan.pk}&as_of=2016-06-30")
    page.get_by_role("link", name="Priority board").click()
    page.wait_for_load_state("networkidle")
    cards = page.locator("#priority-board article")
    assert cards.count() == 4
    assert [c.get_attribute("data-code") for c in cards.all()] == ["T-01", "C-01", "D-01", "I-01"]
    dark = Assessment.objects.get(activity__code="C-01", as_of=dt.date(2016, 6, 30))
    card = page.locator('#priority-board article[data-code="C-01"]')
    assert card.locator(".badge").inner_text() == dark.get_status_display()
    assert dark.reasons[0]["message"] in card.inner_text()
    assert "Dark net threat report" in card.inner_text()
    screenshot(page, "priority-board")
    card.get_by_role("link", name="C-01").click()
    page.wait_for_load_state("networkidle")
    assert "Dark net research" in page.locator("h1").inner_text()


def test_activity_matrix_highlights_gap_single_organization_and_overlap(page, screenshot, scenario):
    login(page, "manager")
    page.goto("/matrix/")
    maritime = page.locator('tr[data-area="maritime-border-security"]')
    assert "No current activity." in maritime.locator("td.flags").inner_text()
    forensic = page.locator('tr[data-area="forensic-criminal-justice"]')
    assert "Only INTERPOL is active." in forensic.locator("td.flags").inner_text()
    trafficking = page.locator('tr[data-area="trafficking-organized-crime"]')
    assert "D-01 (UNODC) and D-02 (INTERPOL) on Drugs." in trafficking.inner_text()
    assert page.locator("li.entry-overlap").count() == 2
    assert page.locator(".matrix-legend").is_visible()
    screenshot(page, "activity-matrix")
    page.get_by_label("Show").select_option("aspirational")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.locator('li.entry[data-code="M-01"]').count() == 2  # in both partners' cells
    assert page.locator('li.entry[data-code="T-01"]').count() == 0


def test_printable_report_has_a_section_per_area(page, screenshot, scenario):
    login(page, "manager")
    page.goto(f"/reports/monitoring/?plan={scenario.plan.pk}&as_of=2016-06-30")
    assert page.locator("section.report-section[data-area]").count() == 6
    assert page.locator("tr[data-code]").count() == 4  # the priorities, with their reasons
    dark = Assessment.objects.get(activity__code="C-01", as_of=dt.date(2016, 6, 30))
    row = page.locator('tr[data-code="C-01"]')
    for reason in dark.reasons:
        assert reason["message"] in row.inner_text()
    screenshot(page, "monitoring-report")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".tabs").is_visible()
    assert page.locator("section.report-section").first.is_visible()
    screenshot(page, "monitoring-report-print")


def test_a_run_shows_its_progress_live_until_it_finishes(page, screenshot, scenario):
    run = services.request_run(
        plan_id=scenario.plan.pk,
        as_of=dt.date(2016, 7, 15),
        trigger=MonitoringRun.Trigger.MANUAL,
        enqueue=False,
    )
    login(page, "manager")
    page.goto(f"/monitoring/runs/{run.pk}/")
    status = page.get_by_role("status").last
    assert status.inner_text().startswith("Queued")
    screenshot(page, "run-progress-queued")
    # A worker carries the run out; the page, polling progress.json, follows without a reload.
    services.execute_run(run_id=run.pk)
    page.get_by_role("heading", name="Result").wait_for()
    assert page.locator("#run-progress-bar").get_attribute("value") == page.locator(
        "#run-progress-bar"
    ).get_attribute("max")
    assert page.get_by_role("status").last.inner_text().startswith("Finished")
    assert re.search(r"7 activities assessed", page.content())
    screenshot(page, "run-progress-finished")


def test_a_manager_requests_a_run_from_the_dashboard(page, scenario):
    login(page, "manager")
    page.goto(f"/dashboard/?plan={scenario.plan.pk}")
    page.get_by_label("As of").last.fill("2016-08-15")
    page.get_by_role("button", name="Request a monitoring run").click()
    page.wait_for_load_state("networkidle")
    # No REDIS_URL in the tests: the run is carried out at once, in process.
    assert "Monitoring run" in page.locator("h1").inner_text()
    page.get_by_role("heading", name="Result").wait_for()
    page.get_by_role("link", name="See the dashboard as of 2016-08-15").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#as-of").inner_text() == "2016-08-15"
    assert (
        counts_on_page(page)
        == api_summary(page, scenario.plan.pk, "2016-08-15")["all_activities"]["counts"]
    )


def test_funding_and_sdg_dashboards_render_with_text_alternatives(page, screenshot, scenario):
    login(page, "manager")
    page.goto(f"/dashboard/funding/?plan={scenario.plan.pk}&as_of=2016-06-30")
    terrorism = page.locator('#funding-by-area tr[data-area="Terrorism"]')
    assert terrorism.locator('[data-col="secured"]').inner_text() == "60,000"
    assert terrorism.locator('[data-col="gap"]').inner_text() == "40,000"
    assert (
        page.locator("svg[role=img] title").first.text_content().startswith("Required and secured")
    )
    screenshot(page, "dashboard-funding")
    page.get_by_role("link", name="SDG targets").click()
    page.wait_for_load_state("networkidle")
    row = page.locator('#sdg-targets tr[data-target="16.4"]')
    assert row.locator('[data-col="total"]').inner_text() == "2"
    assert page.locator("#sdg-targets tbody tr").count() == 13  # the 12 SDG 16 targets and 3.5
    screenshot(page, "dashboard-sdg")
