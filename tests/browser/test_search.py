"""The header's search box in Chromium (issue 16): a liaison officer finds an activity, a milestone
and an update by a word, each with where it sits; a viewer does not find drafts. Screenshots:
search-results.png, search-results-390.png."""

import pytest
from django.utils import timezone

from tests.browser.conftest import login
from tests.factories import (
    ActivityFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
    liaison_for,
    partner_viewer,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def hits():
    activity = ActivityFactory(code="S-01", title="Wildlife and forest crime")
    author = liaison_for(activity, username="lo")
    MilestoneFactory(activity=activity, title="Ivory seizure workshop")
    ProgressUpdateFactory(activity=activity, author=author, narrative="Ivory draft, not sent.")
    ProgressUpdateFactory(
        activity=activity,
        author=author,
        state="submitted",
        submitted_at=timezone.now(),
        narrative="Ivory tracked through four ports.",
    )
    # A viewer on the staff of a partner: progress narratives are shared with the partners.
    partner_viewer(activity, username="reader")
    return activity


def test_the_header_search_finds_each_kind_with_its_place(page, hits, screenshot):
    login(page, "lo")
    page.get_by_role("searchbox", name="Search the tracker").fill("ivory")
    page.get_by_role("search").first.get_by_role("button", name="Search").click()
    assert "3 hits for “ivory”." in page.get_by_role("status").inner_text()
    assert "Ivory seizure workshop" in page.locator("#hits-milestones").inner_text()
    assert hits.matrix.plan.title in page.locator("#hits-milestones").inner_text()
    assert "Ivory draft" in page.locator("#hits-updates").inner_text()
    screenshot(page, "search-results")
    page.locator("#hits-milestones").get_by_role("link", name="S-01").click()
    assert page.get_by_role("heading", level=1).inner_text() == "S-01 Wildlife and forest crime"


def test_a_viewer_does_not_find_drafts_and_the_page_fits_a_phone(
    browser, live_server, hits, screenshot
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    try:
        login(page, "reader")
        page.goto("/search/?q=ivory")
        assert "Ivory tracked through four ports." in page.locator("#hits-updates").inner_text()
        assert "Ivory draft" not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshot(page, "search-results-390")
    finally:
        context.close()
