"""A manager sets a plan's reporting calendar in the browser: from the plan page to the
calendar page, a monthly calendar saved and listed, then a custom one typed with a mistake (told
beside the field, nothing saved) and corrected. The clock is years after the 2016 plan.

Screenshots (var/screenshots/): reporting-calendar-monthly.png,
reporting-calendar-error.png, reporting-calendar-custom-390.png."""

import datetime as dt

import pytest
import time_machine

from activities.models import ReportingCalendar, ReportingPeriod
from partnership.models import Profile
from tests.browser.conftest import login
from tests.factories import PlanFactory, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _far_away_clock():
    with time_machine.travel(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


def test_a_manager_sets_a_monthly_then_a_custom_calendar(page, browser, live_server, screenshot):
    plan = PlanFactory(title="Joint Action Plan 2016")
    make_user(Profile.Role.MANAGER, username="boss")
    login(page, "boss")
    page.goto(f"/plans/{plan.pk}/")
    page.locator("#reporting-calendar-link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Reporting calendar"
    assert "No calendar yet" in page.locator("#periods").inner_text()

    page.get_by_role("radio", name="Monthly").check()
    page.get_by_label("Report due, days after the period ends").fill("10")
    page.get_by_role("button", name="Save the calendar").click()
    page.wait_for_load_state("networkidle")
    assert "is saved" in page.locator(".messages").inner_text()
    periods = page.locator("#periods")
    assert "Monthly periods (12)" in periods.inner_text()
    assert "10 Feb 2016" in periods.get_by_role("row").nth(1).inner_text()  # January's report
    assert ReportingCalendar.objects.get().frequency == "monthly"
    screenshot(page, "reporting-calendar-monthly")

    page.get_by_role("radio", name="Custom").check()
    page.get_by_label("Custom periods").fill(
        "H1 2016; 2016-01-01; 2016-06-30; 2016-06-15; 2016-07-15\n"
        "H2 2016; 2016-07-01; 2016-12-31; 2016-12-15; 31/01/2017"
    )
    page.get_by_role("button", name="Save the calendar").click()
    page.wait_for_load_state("networkidle")
    summary = page.locator(".error-summary")
    assert "Line 2: dates are written YYYY-MM-DD." in summary.inner_text()
    assert ReportingPeriod.objects.count() == 12  # nothing saved
    screenshot(page, "reporting-calendar-error")

    page.get_by_label("Custom periods").fill(
        "H1 2016; 2016-01-01; 2016-06-30; 2016-06-15; 2016-07-15\n"
        "H2 2016; 2016-07-01; 2016-12-31; 2016-12-15; 2017-01-31"
    )
    page.get_by_role("button", name="Save the calendar").click()
    page.wait_for_load_state("networkidle")
    assert "Custom periods (2)" in page.locator("#periods").inner_text()
    assert list(ReportingPeriod.objects.values_list("label", flat=True)) == ["H1 2016", "H2 2016"]

    narrow = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    try:
        small = narrow.new_page()
        login(small, "boss")
        small.goto(f"/plans/{plan.pk}/reporting-calendar/")
        assert small.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert small.get_by_role("radio", name="Custom").is_checked()
        screenshot(small, "reporting-calendar-custom-390")
    finally:
        narrow.close()
