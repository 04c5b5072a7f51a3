"""In Chromium: the activity page's reporting periods with a late and a missing report, the
dashboard's late reports, and a manager registering a webhook (its secret shown once) and
reading its delivery log."""

import datetime as dt

import pytest
import time_machine

from activities import services as activity_services
from monitoring import engine
from notifications.models import WebhookSubscription
from tests.browser.conftest import login
from tests.notifications.world import world as world_fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

world = world_fixture
PASSWORD = "correct-horse-battery"


@pytest.fixture
def reporting(world):
    for user in (world.officer, world.manager):
        user.set_password(PASSWORD)
        user.save()
    activity_services.set_reporting_calendar(
        actor=None, plan=world.activity.matrix.plan, frequency="quarterly", due_after_days=15
    )
    with time_machine.travel(dt.datetime(2016, 4, 20, 9, tzinfo=dt.UTC), tick=False):
        activity_services.create_progress_update(
            actor=world.officer,
            activity=world.activity,
            period_end=dt.date(2016, 3, 31),
            percent_complete=20,
            narrative="Q1 report, five days late.",
            submit=True,
        )
    engine.assess_activities([world.activity.pk], as_of=dt.date(2016, 8, 1))
    return world


def test_reporting_periods_late_reports_and_a_webhook(page, reporting, screenshot):
    login(page, "manager", PASSWORD)
    page.goto(f"/activities/{reporting.activity.pk}/#reporting")
    rows = page.locator("#reporting tbody tr")
    assert rows.count() == 4
    assert "Submitted late" in rows.nth(0).inner_text()
    assert "5 days late" in rows.nth(0).inner_text()
    assert "Missing" in rows.nth(1).inner_text()  # Q2, due 15 July 2016: nothing, ever
    screenshot(page, "activity-reporting-periods")

    page.goto(f"/dashboard/?plan={reporting.activity.matrix.plan_id}&as_of=2016-08-01")
    page.locator("#late-reports-link").click()
    page.wait_for_url("**/dashboard/reporting/**")
    assert page.locator("nav.tabs [aria-current=page]").inner_text() == "Reporting"
    late = page.locator("#late-reports")
    assert "Q1 2016" in late.inner_text() and "Q2 2016" in late.inner_text()
    page.locator("#late-heading").scroll_into_view_if_needed()
    screenshot(page, "dashboard-late-reports")

    page.goto("/notifications/webhooks/")
    page.get_by_label("Receiver URL").fill("https://receiver.example.org/tracker")
    page.get_by_label("Update submitted").check()
    page.get_by_label("Report late").check()
    page.get_by_role("button", name="Register").click()
    subscription = WebhookSubscription.objects.get()
    assert subscription.event_types == ["report_late", "update_submitted"]
    assert subscription.secret in page.get_by_role("status").first.inner_text()
    assert "Nothing sent yet." in page.locator(".webhook-log").inner_text()
    screenshot(page, "webhook-registered")
    page.reload()
    assert subscription.secret not in page.content()  # shown once
