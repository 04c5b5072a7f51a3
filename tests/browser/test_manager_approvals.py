"""A manager returns an update with a note (the note is required), and the liaison officer sees
it; the pages work on a phone-sized screen."""

import pytest
from django.utils import timezone

from activities.models import ProgressUpdate
from tests.browser.conftest import login
from tests.factories import ActivityFactory, ProgressUpdateFactory, liaison_for, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_manager_returns_an_update_with_a_note(page, screenshot):
    activity = ActivityFactory(code="P16-02", title="Cultural heritage")
    author = liaison_for(activity, username="liaison")
    update = ProgressUpdateFactory(
        activity=activity,
        author=author,
        state=ProgressUpdate.State.SUBMITTED,
        submitted_at=timezone.now(),
        narrative="Inventory of stolen objects started.",
    )
    make_user(role="manager", username="manager")

    login(page, "manager")
    page.goto("/approvals/")
    item = page.locator(f"#update-{update.pk}")
    item.get_by_role("button", name="Return with note").click()
    item = page.locator(f"#update-{update.pk}")
    assert "Say what needs to change before returning the update." in item.inner_text()
    screenshot(page, "manager-return-needs-a-note")
    assert ProgressUpdate.objects.get(pk=update.pk).state == ProgressUpdate.State.SUBMITTED

    item.get_by_label("What needs to change").fill("Say how many objects were recovered.")
    item.get_by_role("button", name="Return with note").click()
    assert "returned to its authors" in page.get_by_role("status").first.inner_text()
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.RETURNED

    page.get_by_role("button", name="Log out").click()
    login(page, "liaison")
    page.goto(f"/activities/{activity.pk}/")
    timeline = page.locator(f"#update-{update.pk}")
    assert "Returned" in timeline.inner_text()
    assert "Say how many objects were recovered." in timeline.inner_text()
    assert timeline.get_by_role("link", name="Edit").is_visible()


def test_the_activity_pages_fit_a_phone_screen(browser, live_server, screenshot):
    activity = ActivityFactory(code="P16-11", title="Institutional cooperation")
    liaison_for(activity, username="liaison")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    try:
        login(page, "liaison")
        for path, name in (
            ("/activities/?priority_year=", "phone-activity-list"),
            (f"/activities/{activity.pk}/", "phone-activity-detail"),
            (f"/activities/{activity.pk}/updates/new/", "phone-progress-update-form"),
        ):
            page.goto(path)
            # Nothing is wider than the screen: no sideways scrolling.
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
            screenshot(page, name)
        # The list's table is stacked: each cell is labelled, the header row hidden.
        page.goto("/activities/")
        assert not page.locator("table.activity-list thead").is_visible()
        assert page.locator('td[data-label="Status"]').first.is_visible()
    finally:
        context.close()
