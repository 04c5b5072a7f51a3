"""The home page of each role after signing in, on the demo data with the clock ten years after
the plan (issue 16): a liaison officer sees their organization's activities, their updates (a
returned one with the reviewer's note), their milestones and the reports due and late on the
plan's quarterly calendar; a manager what waits for approval, what turned worse, the late and
missing reports and the stale reports, with the dashboard one click away; a viewer the
dashboard. Each at 1366 px and at 390 px wide, with nothing wider than the screen.

Screenshots (var/screenshots/, the browser suite's folder): home-liaison-1366.png,
home-liaison-390.png, home-manager-1366.png, home-manager-390.png, home-viewer-1366.png,
home-viewer-390.png."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from activities.models import ProgressUpdate
from tests.browser.conftest import login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "correct-horse-battery"
WIDTHS = {1366: 900, 390: 844}  # width → height of the window


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    with time_machine.travel(dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC), tick=True):
        call_command("load_demo", stdout=StringIO())
        yield


def _pages(browser, live_server):
    for width, height in WIDTHS.items():
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            is_mobile=width < 600,
        )
        context.set_default_timeout(15_000)
        try:
            yield width, context.new_page()
        finally:
            context.close()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_liaison_officers_home_shows_what_waits_for_them(demo, browser, live_server, screenshot):
    returned = ProgressUpdate.objects.filter(
        state=ProgressUpdate.State.RETURNED, author__username="liaison-unodc"
    ).first()
    assert returned is not None, "the demo has a returned update of UNODC's"
    for width, page in _pages(browser, live_server):
        login(page, "liaison-unodc", PASSWORD)
        assert page.url.endswith("/")
        assert page.get_by_role("heading", level=1).inner_text() == "Your work for UNODC"
        activities = page.locator("#my-activities")
        assert activities.get_by_role("row").count() > 1
        assert "Lead" in activities.inner_text()
        updates = page.locator("#my-updates")
        assert returned.review_note in updates.inner_text()
        assert page.locator("#my-milestones h2").is_visible()
        # The plan's day is 31 Dec 2016 (its latest assessment), inside Q4 2016, due 7 Jan 2017.
        current = page.locator("#my-reports li").filter(has_text="(current)")
        assert current.count() > 0
        assert "Q4 2016 (current), due 7 Jan 2017" in current.first.inner_text()
        assert "days late" in page.locator("#my-reports").inner_text()
        assert _fits(page), width
        screenshot(page, f"home-liaison-{width}")


def test_a_managers_home_shows_what_waits_and_opens_the_dashboard(
    demo, browser, live_server, screenshot
):
    waiting = ProgressUpdate.objects.filter(state=ProgressUpdate.State.SUBMITTED).count()
    assert waiting > 0
    for width, page in _pages(browser, live_server):
        login(page, "manager", PASSWORD)
        assert page.get_by_role("heading", level=1).inner_text() == "What needs you"
        assert f"Updates waiting for approval ({waiting})" in page.locator("#waiting").inner_text()
        assert "waiting" in page.locator("#waiting li").first.inner_text()
        assert page.locator("#turned h2").is_visible()
        assert page.locator("#stale h2").is_visible()
        late = page.locator("#late")
        assert late.locator("h2").inner_text().startswith("Late and missing reports (")
        # The demo leaves some 2016 quarters unreported: the worst is listed first.
        assert "days late" in late.get_by_role("row").nth(1).inner_text()
        assert late.get_by_role("row").count() <= 1 + 10
        assert _fits(page), width
        screenshot(page, f"home-manager-{width}")
        page.get_by_role("link", name="Open the plan's dashboard").click()
        assert page.locator("#as-of").inner_text() == "2016-12-31"


def test_a_viewers_home_is_the_dashboard(demo, browser, live_server, screenshot):
    for width, page in _pages(browser, live_server):
        login(page, "viewer", PASSWORD)
        assert page.get_by_role("heading", level=1).inner_text().startswith("Dashboard")
        assert page.locator("#as-of").inner_text() == "2016-12-31"
        assert _fits(page), width
        screenshot(page, f"home-viewer-{width}")
