"""The conversation on an activity: who takes part, mentions of either organization's staff,
plain text shown escaped with links, edits audited; through the service and the pages."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from activities.exceptions import ConflictError, NotAllowed
from activities.models import Event
from activities.sensitivity import FIELD_GROUPS
from notifications import conversation
from notifications.models import Comment, Notification
from partnership.models import Profile
from publication import services as publication_services
from tests.factories import OrganizationFactory, ProgressUpdateFactory, make_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2016, 6, 10, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def post(world, actor, body, callbacks, **kwargs):
    with callbacks(execute=True):
        return conversation.post_comment(actor=actor, activity=world.activity, body=body, **kwargs)


def inbox_of(user):
    return list(
        Notification.objects.filter(recipient=user, channel="inbox").values_list(
            "event__kind", flat=True
        )
    )


def test_a_mention_of_the_other_organizations_officer_tells_them(
    world, django_capture_on_commit_callbacks
):
    comment = post(
        world,
        world.officer,
        "@partner can you confirm the dates? cc @manager.",
        django_capture_on_commit_callbacks,
    )
    assert sorted(u.username for u in comment.mentioned.all()) == ["manager", "partner"]
    assert inbox_of(world.partner_officer) == ["mention"]
    assert inbox_of(world.manager) == ["mention"]
    assert inbox_of(world.officer) == []  # not told of their own comment
    mention = Notification.objects.get(recipient=world.partner_officer, channel="inbox")
    assert mention.subject == "officer mentioned you on T-01 Foreign terrorist fighters"
    assert mention.url == f"/activities/{world.activity.pk}/#conversation"


def test_a_comment_tells_the_officers_and_those_in_the_conversation(
    world, django_capture_on_commit_callbacks
):
    post(world, world.manager, "Where are we on this?", django_capture_on_commit_callbacks)
    assert inbox_of(world.officer) == ["comment"]
    assert inbox_of(world.partner_officer) == ["comment"]
    post(world, world.officer, "On track.", django_capture_on_commit_callbacks)
    # The manager commented before: they hear of the answer.
    assert inbox_of(world.manager) == ["comment"]


def test_only_members_of_either_organization_can_be_mentioned(
    world, django_capture_on_commit_callbacks
):
    make_user(
        Profile.Role.LIAISON_OFFICER,
        organization=OrganizationFactory(acronym="OTHER"),
        username="outsider",
        password=None,
    )
    comment = post(
        world, world.officer, "@outsider @nobody hello", django_capture_on_commit_callbacks
    )
    assert list(comment.mentioned.all()) == []
    assert not Event.objects.filter(kind=Event.Kind.MENTION).exists()


def test_outsiders_take_no_part(world):
    outsider = make_user(
        Profile.Role.LIAISON_OFFICER,
        organization=OrganizationFactory(acronym="OTHER"),
        password=None,
    )
    with pytest.raises(NotAllowed):
        conversation.post_comment(actor=outsider, activity=world.activity, body="Hello")
    # A viewer with no organization neither; a viewer of a participating organization may.
    with pytest.raises(NotAllowed):
        conversation.post_comment(actor=world.viewer, activity=world.activity, body="Hello")
    staff = make_user(
        Profile.Role.VIEWER, organization=world.officer.profile.organization, password=None
    )
    assert conversation.post_comment(actor=staff, activity=world.activity, body="Hi").pk


def test_a_blank_comment_and_an_update_of_another_activity_are_refused_at_once(world):
    other_update = ProgressUpdateFactory()
    with pytest.raises(ValidationError) as caught:
        conversation.post_comment(
            actor=world.officer, activity=world.activity, body="   ", update=other_update
        )
    assert set(caught.value.message_dict) == {"body", "update"}
    assert not Comment.objects.exists()


def test_edits_are_audited_and_tell_only_the_newly_mentioned(
    world, django_capture_on_commit_callbacks
):
    comment = post(world, world.officer, "@partner first draft", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        edited = conversation.edit_comment(
            actor=world.officer,
            comment=comment,
            version=comment.version,
            body="@partner @manager second draft",
        )
    assert (edited.version, edited.body) == (2, "@partner @manager second draft")
    assert edited.edited_at == NOW
    assert list(edited.history.order_by("history_id").values_list("body", "history_user")) == [
        ("@partner first draft", world.officer.pk),
        ("@partner @manager second draft", world.officer.pk),
    ]
    assert inbox_of(world.partner_officer).count("mention") == 1
    assert inbox_of(world.manager).count("mention") == 1

    with pytest.raises(ConflictError):
        conversation.edit_comment(actor=world.officer, comment=comment, version=1, body="stale")
    with pytest.raises(NotAllowed):
        conversation.edit_comment(
            actor=world.partner_officer, comment=comment, version=2, body="not mine"
        )


# --- pages ----------------------------------------------------------------------------------------


def test_the_thread_shows_text_escaped_with_links(
    client, world, django_capture_on_commit_callbacks
):
    post(
        world,
        world.officer,
        '<script>alert("x")</script> See https://www.unodc.org/ and <b>this</b>.',
        django_capture_on_commit_callbacks,
    )
    client.force_login(world.partner_officer)
    page = client.get(f"/activities/{world.activity.pk}/conversation/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;b&gt;this&lt;/b&gt;" in page
    assert '<a href="https://www.unodc.org/" rel="nofollow">https://www.unodc.org/</a>' in page


def test_posting_through_the_page_and_the_fragment_on_the_activity_page(client, world):
    update = ProgressUpdateFactory(
        activity=world.activity, author=world.officer, state="submitted", submitted_at=NOW
    )
    client.force_login(world.manager)
    url = f"/activities/{world.activity.pk}/conversation/"
    response = client.post(url, {"body": "@officer the figures?", "update": update.pk})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert response["Location"] == f"{url}#comment-{comment.pk}"
    assert comment.update == update

    fragment = client.get(f"{url}fragment/").content.decode()
    assert "about the progress update to 30 Jun 2016" in fragment
    assert "@officer the figures?" in fragment
    activity_page = client.get(f"/activities/{world.activity.pk}/").content.decode()
    assert f'data-fragment-url="{url}fragment/"' in activity_page


def test_an_empty_post_answers_400_and_outsiders_403(client, world):
    client.force_login(world.officer)
    url = f"/activities/{world.activity.pk}/conversation/"
    assert client.post(url, {"body": ""}).status_code == 400
    client.force_login(world.viewer)
    assert client.get(url).status_code == 403
    assert "for the staff" in client.get(f"{url}fragment/").content.decode()


def test_the_thread_query_count_does_not_grow(
    client, world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    for n in range(2):
        post(world, world.officer, f"Comment {n}", django_capture_on_commit_callbacks)
    client.force_login(world.partner_officer)
    url = f"/activities/{world.activity.pk}/conversation/"
    # session, user; the activity with its matrix; its participations (prefetched); the
    # profile (may take part); the activity's submitted updates (the form's choices); the
    # header's profile and unread count; the comments with author and update.
    with django_assert_num_queries(8):
        client.get(url)
    for n in range(10):
        post(world, world.manager, f"More {n}", django_capture_on_commit_callbacks)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.content.decode().count('class="comment"') == 12


def test_the_approvals_queue_links_to_the_thread_about_the_update(client, world):
    update = ProgressUpdateFactory(
        activity=world.activity, author=world.officer, state="submitted", submitted_at=NOW
    )
    client.force_login(world.manager)
    queue = client.get("/approvals/").content.decode()
    link = f"/activities/{world.activity.pk}/conversation/?update={update.pk}#new-comment"
    assert f'href="{link}"' in queue
    page = client.get(link.split("#")[0]).content.decode()
    assert f'<option value="{update.pk}" selected>' in page


def test_a_restricted_activity_s_conversation_is_not_found_for_those_outside_it(client, world):
    """403 would say that the activity exists; its page and detail answer 404 to them."""
    publication_services.set_disclosure(
        actor=None,
        activity_id=world.activity.pk,
        version=None,
        tier="restricted",
        field_tiers=dict.fromkeys(FIELD_GROUPS, "restricted"),
    )
    outsider = make_user(
        Profile.Role.LIAISON_OFFICER, organization=OrganizationFactory(), password=None
    )
    url = f"/activities/{world.activity.pk}/conversation/"
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(f"{url}fragment/").status_code == 404
    api = APIClient()
    api.force_authenticate(outsider)
    assert api.get(f"/api/v1/activities/{world.activity.pk}/comments/").status_code == 404
    client.force_login(world.partner_officer)  # takes part: the thread as before
    assert client.get(url).status_code == 200
