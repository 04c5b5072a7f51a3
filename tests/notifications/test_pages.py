"""The inbox (with the header's unread count), marking read, the settings page and the
managers' log: through the pages, with their query counts."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from activities import services as activity_services
from activities.models import Event
from notifications.models import Notification, Preference

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2016, 6, 10, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def mention(world, who, note="@viewer have a look"):
    with transaction.atomic():
        activity_services.record_event(
            kind=Event.Kind.MENTION,
            activity_ids=[world.activity.pk],
            actor=world.officer,
            payload={"mentioned_ids": [who.pk]},
            note=note,
        )


@pytest.fixture
def mentioned(world, django_capture_on_commit_callbacks):
    def make(n=1, who=None):
        for i in range(n):
            with django_capture_on_commit_callbacks(execute=True):
                mention(world, who or world.viewer, note=f"@viewer look at item {i}")

    return make


def test_the_header_counts_unread_notifications_and_the_inbox_lists_them(client, world, mentioned):
    mentioned(2)
    client.force_login(world.viewer)
    page = client.get("/activities/").content.decode()
    assert '<span class="unread-count" aria-label="2 unread">2</span>' in page

    inbox = client.get("/notifications/").content.decode()
    assert inbox.count('class="card inbox-item unread"') == 2
    assert "officer mentioned you on T-01 Foreign terrorist fighters" in inbox
    assert "you are told because you were mentioned on T-01" in inbox


def test_marking_one_read_then_all(client, world, mentioned):
    mentioned(3)
    client.force_login(world.viewer)
    inbox = Notification.objects.filter(recipient=world.viewer, channel="inbox")
    first = inbox.order_by("id").first()

    response = client.post("/notifications/read/", {"notification": first.pk})
    assert response.status_code == 302
    assert inbox.filter(read_at__isnull=True).count() == 2

    client.post("/notifications/read/")
    assert not inbox.filter(read_at__isnull=True).exists()
    assert "unread-count" not in client.get("/notifications/").content.decode()


def test_nobody_marks_someone_elses_notifications_read(client, world, mentioned):
    mentioned(1)
    theirs = Notification.objects.get(recipient=world.viewer, channel="inbox")
    client.force_login(world.manager)
    client.post("/notifications/read/", {"notification": theirs.pk})
    client.post("/notifications/read/")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_inbox_needs_a_sign_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_settings_page_saves_a_choice_per_kind(client, world):
    client.force_login(world.viewer)
    page = client.get("/notifications/settings/").content.decode()
    assert '<option value="immediate" selected>Immediately</option>' in page  # mention's default

    choices = dict.fromkeys(("update_submitted", "mention", "report_late"), "daily")
    choices["comment"] = "off"
    from notifications import rules

    form = {kind: rules.DEFAULT_CADENCE[kind] for kind in rules.KINDS_FOR_PEOPLE} | choices
    response = client.post("/notifications/settings/", form)
    assert response.status_code == 302
    stored = dict(Preference.objects.filter(user=world.viewer).values_list("kind", "cadence"))
    assert {kind: stored[kind] for kind in choices} == choices


def test_the_settings_page_refuses_an_unknown_choice(client, world):
    client.force_login(world.viewer)
    response = client.post("/notifications/settings/", {"mention": "hourly"})
    assert response.status_code == 400
    assert not Preference.objects.exists()


def test_the_log_is_for_managers(client, world, mentioned):
    mentioned(1)
    client.force_login(world.viewer)
    assert client.get("/notifications/log/").status_code == 403
    client.force_login(world.manager)
    page = client.get("/notifications/log/").content.decode()
    assert "you were mentioned on T-01" in page
    assert "viewer" in page


def test_the_inbox_and_log_query_counts_do_not_grow(
    client, world, mentioned, django_assert_num_queries
):
    mentioned(2)
    client.force_login(world.viewer)
    # session, user; the header's profile with its unread count; the page's notifications;
    # their count for the paginator.
    with django_assert_num_queries(5):
        client.get("/notifications/")
    mentioned(20)
    with django_assert_num_queries(5):
        response = client.get("/notifications/")
    assert response.content.decode().count("inbox-item unread") == 22

    client.force_login(world.manager)
    # session, user; the profile (is_manager); the header's profile and count; the page's
    # notifications with recipient and event; their count.
    with django_assert_num_queries(6):
        client.get("/notifications/log/")
    mentioned(10, who=world.partner_officer)
    with django_assert_num_queries(6):
        client.get("/notifications/log/")
