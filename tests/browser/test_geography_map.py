"""The world map in a real browser, on the demo: a manager opens the map, reaches a country with
the keyboard and by a click, lands on the country's page, and the region page and the worst
status switch render. Screenshots: geography-map-count.png, geography-map-worst.png,
geography-country-mali.png, geography-region-western-africa.png, dashboard-by-country.png."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from partnership.models import JointActionPlan
from tests.browser.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    with time_machine.travel(dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC), tick=True):
        call_command("load_demo", stdout=StringIO())
        yield JointActionPlan.objects.get(title="INTERPOL–UNODC Joint Action Plan")


def test_clicking_a_country_on_the_map_opens_its_page(demo, page, screenshot):
    login(page, "manager", PASSWORD)
    page.get_by_role("link", name="Map", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Where the activities are"
    mali = page.locator('svg a[data-country="ML"]')
    label = mali.get_attribute("aria-label")
    assert label.startswith("Mali: ") and "activities" in label
    # The table beside the map says the same.
    row = page.locator(".map-table tr", has=page.get_by_role("link", name="Mali", exact=True))
    assert row.locator("td").first.inner_text() == label.split(": ")[1].split(" ")[0]
    screenshot(page, "geography-map-count")

    # The keyboard: countries with activities come first, each a link that takes the focus.
    page.locator("#scope-plan").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.getAttribute('data-country')")
        if focused:
            break
    assert focused is not None, "Tab never reached a country of the map"
    # Enter on the focused country opens its page, as a click does.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.url.split("?")[0].endswith(f"/map/countries/{focused}/")
    page.go_back()
    page.wait_for_load_state("networkidle")

    mali.click()
    page.wait_for_load_state("networkidle")
    assert page.url.split("?")[0].endswith("/map/countries/ML/")
    assert page.locator("h1").inner_text().startswith("Mali")
    assert "as of 31 Dec 2016" in page.locator("#status-title").inner_text()
    assert page.locator("#areas-title").is_visible()
    assert page.get_by_text("AIRCOP: airport communication project").first.is_visible()
    screenshot(page, "geography-country-mali")

    page.get_by_role("link", name="Western Africa").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Western Africa")
    assert page.get_by_text("CRIMJUST: criminal justice cooperation").first.is_visible()
    screenshot(page, "geography-region-western-africa")

    page.goto(f"/map/?plan={demo.pk}&colour=worst")
    assert "worst status" in page.locator("figcaption").inner_text()
    assert page.locator("svg a path.seg-off_track, svg a path.seg-at_risk").count() > 0
    screenshot(page, "geography-map-worst")


def test_the_dashboard_s_by_country_tab_lists_the_countries_and_opens_one(demo, page, screenshot):
    login(page, "manager", PASSWORD)
    page.goto("/dashboard/")
    page.get_by_role("navigation", name="Dashboard sections").get_by_role(
        "link", name="By country"
    ).click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("By country")
    tab = page.get_by_role("navigation", name="Dashboard sections").locator('[aria-current="page"]')
    assert tab.inner_text() == "By country"
    mali = page.locator('#status-by-country tr[data-country="ML"]')
    assert int(mali.locator('td[data-status="total"]').inner_text()) > 0
    screenshot(page, "dashboard-by-country")
    mali.get_by_role("link", name="Mali").click()
    page.wait_for_load_state("networkidle")
    assert page.url.split("?")[0].endswith("/map/countries/ML/")
    assert page.locator("h1").inner_text().startswith("Mali")
