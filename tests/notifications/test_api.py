"""The inbox and an activity's conversation through the REST API: one's own notifications
(paginated, `?unread=`), marked read one by one or all at once; the comments of an activity,
read and written by the staff of its participating organizations and managers only (403 for
anyone else), with @mentions told as from the page."""

import datetime as dt

import pytest
import time_machine

from activities.models import Event, ProgressUpdate
from notifications import conversation
from notifications.models import Comment, Notification
from partnership.models import Profile
from tests.api.conftest import client_for
from tests.factories import (
    ActivityFactory,
    OrganizationFactory,
    ProgressUpdateFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"
NOW = dt.datetime(2016, 6, 10, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def mention(world, django_capture_on_commit_callbacks):
    """`mention(n)`: n comments of the officer mentioning the partner officer, delivered."""

    def make(n: int = 1) -> None:
        for i in range(n):
            with django_capture_on_commit_callbacks(execute=True):
                conversation.post_comment(
                    actor=world.officer, activity=world.activity, body=f"@partner look {i}"
                )

    return make


def _inbox(client, query: str = ""):
    return client.get(f"{API}/notifications/{query}")


# --- the inbox ------------------------------------------------------------------------------------


def test_the_inbox_lists_ones_own_notifications_newest_first_and_filters_the_unread(world, mention):
    mention(3)
    partner = client_for(world.partner_officer)
    listed = _inbox(partner)
    assert listed.status_code == 200
    body = listed.json()
    # A comment that mentions them tells them once (of the mention).
    assert body["count"] == 3
    first = body["results"][0]
    assert first["kind"] == "mention"
    assert first["activity_ids"] == [world.activity.pk]
    assert first["subject"].startswith("officer ")
    assert first["url"] == f"/activities/{world.activity.pk}/#conversation"
    assert (first["read_at"], first["unread"]) == (None, True)
    ids = [row["id"] for row in body["results"]]
    assert ids == sorted(ids, reverse=True)
    # Nobody else's: the officer wrote the comments and was told nothing.
    assert _inbox(client_for(world.officer)).json()["count"] == 0

    marked = partner.post(f"{API}/notifications/{ids[0]}/read/")
    assert marked.status_code == 200
    assert marked.json()["unread"] is False
    assert marked.json()["read_at"] is not None
    assert [r["id"] for r in _inbox(partner, "?unread=true").json()["results"]] == ids[1:]
    assert [r["id"] for r in _inbox(partner, "?unread=false").json()["results"]] == ids[:1]

    named = partner.post(f"{API}/notifications/read/", {"ids": ids[:2]}, format="json")
    assert named.json() == {"marked": 1, "unread": 1}  # the first was read already
    refused = partner.post(f"{API}/notifications/read/", {"ids": "all"}, format="json")
    assert (refused.status_code, refused.json()) == (
        400,
        {"ids": ['Expected a list of items but got type "str".']},
    )
    everything = partner.post(f"{API}/notifications/read/")  # no ids: all of them
    assert everything.json() == {"marked": 1, "unread": 0}
    assert _inbox(partner, "?unread=true").json()["count"] == 0
    assert partner.post(f"{API}/notifications/read/").json() == {"marked": 0, "unread": 0}


def test_nobody_reads_or_marks_someone_elses_notifications(world, mention):
    mention()
    theirs = Notification.objects.filter(recipient=world.partner_officer, channel="inbox").first()
    response = client_for(world.manager).post(f"{API}/notifications/{theirs.pk}/read/")
    assert response.status_code == 404
    client_for(world.manager).post(f"{API}/notifications/read/")
    marked = client_for(world.manager).post(
        f"{API}/notifications/read/", {"ids": [theirs.pk]}, format="json"
    )
    assert marked.json()["marked"] == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client_for().get(f"{API}/notifications/").status_code == 401


def test_a_bad_filter_is_400(world):
    response = _inbox(client_for(world.viewer), "?unread=perhaps")
    assert response.status_code == 400
    assert "unread" in response.json()


def test_the_inbox_query_count_does_not_grow(world, mention, django_assert_num_queries):
    mention()
    partner = client_for(world.partner_officer)
    # the token with its user; the count; the page of notifications with their events.
    with django_assert_num_queries(3):
        assert _inbox(partner).json()["count"] == 1
    mention(4)
    with django_assert_num_queries(3):
        assert _inbox(partner).json()["count"] == 5


# --- the conversation -----------------------------------------------------------------------------


def comments_url(activity) -> str:
    return f"{API}/activities/{activity.pk}/comments/"


def test_an_officer_posts_a_comment_with_a_mention_and_the_other_organization_is_told(
    world, django_capture_on_commit_callbacks
):
    officer = client_for(world.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            comments_url(world.activity),
            {"body": "@partner can you confirm the dates? <b>now</b>"},
            format="json",
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["author"] == "officer"
    assert body["mentioned"] == ["partner"]
    assert body["body"] == "@partner can you confirm the dates? <b>now</b>"  # plain text, as given
    assert (body["activity"], body["update"], body["version"]) == (world.activity.pk, None, 1)
    told = Notification.objects.get(
        recipient=world.partner_officer, channel="inbox", event__kind=Event.Kind.MENTION
    )
    assert told.subject == "officer mentioned you on T-01 Foreign terrorist fighters"
    # The partner reads it in their inbox through the API, and answers.
    partner = client_for(world.partner_officer)
    assert [row["kind"] for row in _inbox(partner).json()["results"]] == ["mention"]
    answer = partner.post(comments_url(world.activity), {"body": "Confirmed."}, format="json")
    assert answer.status_code == 201
    thread = client_for(world.manager).get(comments_url(world.activity)).json()["results"]
    assert [(c["author"], c["body"]) for c in thread] == [
        ("officer", body["body"]),
        ("partner", "Confirmed."),
    ]


def test_outsiders_and_viewers_neither_read_nor_write_the_conversation(world):
    conversation.post_comment(actor=world.officer, activity=world.activity, body="Staff only.")
    outsider = make_user(
        Profile.Role.LIAISON_OFFICER,
        organization=OrganizationFactory(acronym="OTHER"),
        username="outsider",
        password=None,
    )
    for person in (outsider, world.viewer):
        client = client_for(person)
        read = client.get(comments_url(world.activity))
        assert read.status_code == 403
        assert read.json()["detail"] == conversation.REFUSED
        wrote = client.post(comments_url(world.activity), {"body": "Hello"}, format="json")
        assert wrote.status_code == 403
    assert client_for().get(comments_url(world.activity)).status_code == 401
    assert client_for(world.manager).get(f"{API}/activities/999999/comments/").status_code == 404
    assert Comment.objects.count() == 1


def test_a_comment_about_a_progress_update_of_the_activity(world):
    submitted = ProgressUpdateFactory(
        activity=world.activity,
        author=world.officer,
        state=ProgressUpdate.State.SUBMITTED,
        submitted_at=NOW,
    )
    draft = ProgressUpdateFactory(activity=world.activity, author=world.officer)
    elsewhere = ProgressUpdateFactory(
        activity=ActivityFactory(matrix=world.activity.matrix),
        author=world.officer,
        state=ProgressUpdate.State.SUBMITTED,
        submitted_at=NOW,
    )
    manager = client_for(world.manager)
    url = comments_url(world.activity)
    about = manager.post(url, {"body": "Figures?", "update": submitted.pk}, format="json")
    assert (about.status_code, about.json()["update"]) == (201, submitted.pk)
    # A draft is not discussed, and every error comes at once.
    refused = manager.post(url, {"body": "", "update": draft.pk}, format="json")
    assert refused.status_code == 400
    assert set(refused.json()) == {"body", "update"}
    other = manager.post(url, {"body": "Hm", "update": elsewhere.pk}, format="json")
    assert other.status_code == 422
    assert other.json()["update"] == ["That progress update belongs to another activity."]
    assert Comment.objects.count() == 1


def test_the_author_edits_a_comment_at_its_version_and_nobody_else_does(
    world, django_capture_on_commit_callbacks
):
    comment = conversation.post_comment(
        actor=world.officer, activity=world.activity, body="Dates next week."
    )
    url = f"{API}/comments/{comment.pk}/"
    officer = client_for(world.officer)
    with django_capture_on_commit_callbacks(execute=True):
        edited = officer.put(
            url, {"body": "Dates next week, @partner.", "version": 1}, format="json"
        )
    assert edited.status_code == 200, edited.json()
    assert (edited.json()["version"], edited.json()["mentioned"]) == (2, ["partner"])
    assert edited.json()["edited_at"] is not None
    assert Notification.objects.filter(
        recipient=world.partner_officer, channel="inbox", event__kind=Event.Kind.MENTION
    ).exists()
    stale = officer.put(url, {"body": "Again.", "version": 1}, format="json")
    assert (stale.status_code, stale.json()["current_version"]) == (412, 2)
    assert officer.put(url, {"body": " ", "version": 2}, format="json").status_code == 400
    other = client_for(world.manager).put(url, {"body": "Mine.", "version": 2}, format="json")
    assert other.status_code == 403
    comment.refresh_from_db()
    assert (comment.body, comment.version) == ("Dates next week, @partner.", 2)
    assert [h.body for h in comment.history.order_by("history_id")] == [
        "Dates next week.",
        "Dates next week, @partner.",
    ]


def test_the_conversation_query_count_does_not_grow(world, django_assert_num_queries):
    def comment(n: int) -> None:
        for i in range(n):
            conversation.post_comment(
                actor=world.officer, activity=world.activity, body=f"@partner @manager {i}"
            )

    comment(1)
    manager = client_for(world.manager)
    # the token with its user; the manager's profile; the activity with its participations
    # (two); the count; the page of comments with authors and updates; their mentions.
    with django_assert_num_queries(7):
        assert manager.get(comments_url(world.activity)).json()["count"] == 1
    comment(5)
    with django_assert_num_queries(7):
        listed = manager.get(comments_url(world.activity)).json()
    assert listed["count"] == 6
    assert listed["results"][0]["mentioned"] == ["manager", "partner"]


def test_the_schema_documents_the_inbox_and_the_conversation(world):
    schema = client_for(world.viewer).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/v1/notifications/",
        "/api/v1/notifications/read/",
        "/api/v1/notifications/{id}/read/",
        "/api/v1/activities/{id}/comments/",
        "/api/v1/comments/{id}/",
    ):
        assert path in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/activities/{id}/comments/"]
