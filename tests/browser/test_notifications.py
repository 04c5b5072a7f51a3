"""In Chromium: an officer mentions the other organization's officer in the activity's
conversation; the partner sees the unread count in the header, reads the notification in the
inbox and marks it read, then chooses a weekly digest on the settings page."""

import pytest

from notifications.models import Notification, Preference
from tests.browser.conftest import login
from tests.notifications.world import world as world_fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

world = world_fixture
PASSWORD = "correct-horse-battery"


@pytest.fixture
def people(world):
    for user in (world.officer, world.partner_officer, world.manager):
        user.set_password(PASSWORD)
        user.save()
    return world


def test_a_mention_in_the_thread_reaches_the_partners_inbox_and_settings(page, people, screenshot):
    activity = people.activity
    login(page, "officer")
    page.goto(f"/activities/{activity.pk}/")
    # The activity page shows the conversation (fetched as a fragment) with a way in.
    page.locator("#conversation [data-fragment-loaded]").wait_for()
    page.get_by_role("link", name="Write a comment").click()
    page.get_by_role("textbox", name="Comment").fill(
        "@partner can you confirm the workshop dates? Agenda: https://www.unodc.org/ <b>draft</b>"
    )
    page.get_by_role("button", name="Post comment").click()
    comment = page.locator(".comment").first
    assert "<b>draft</b>" in comment.inner_text()  # shown as typed, not as markup
    assert comment.get_by_role("link", name="https://www.unodc.org/").is_visible()
    screenshot(page, "conversation-with-mention")

    page.get_by_role("button", name="Log out").click()
    login(page, "partner")
    assert page.locator("#inbox-link .unread-count").inner_text() == "1"
    page.locator("#inbox-link").click()
    item = page.locator(".inbox-item.unread").first
    assert "officer mentioned you on T-01 Foreign terrorist fighters" in item.inner_text()
    assert "you were mentioned on T-01" in item.inner_text()
    screenshot(page, "inbox-unread-mention")
    item.get_by_role("button", name="Mark read").click()
    assert page.locator(".inbox-item.unread").count() == 0
    assert page.locator("#inbox-link .unread-count").count() == 0
    assert (
        Notification.objects.get(recipient=people.partner_officer, channel="inbox").read_at
        is not None
    )

    page.get_by_role("link", name="Notification settings").click()
    page.locator("#id_mention").select_option("weekly")
    page.locator("#id_comment").select_option("off")
    page.get_by_role("button", name="Save settings").click()
    assert "Your notification settings are saved." in page.get_by_role("status").first.inner_text()
    screenshot(page, "notification-settings")
    stored = dict(
        Preference.objects.filter(user=people.partner_officer).values_list("kind", "cadence")
    )
    assert (stored["mention"], stored["comment"]) == ("weekly", "off")
