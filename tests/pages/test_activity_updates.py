"""Writing progress updates: save a draft, submit, edit a draft or a returned update."""

import datetime as dt

import pytest
from django.utils import timezone

from activities import services
from activities.models import ProgressUpdate
from tests.factories import ActivityFactory, ProgressUpdateFactory, liaison_for, make_user
from tests.support.forms import form_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity():
    return ActivityFactory()


@pytest.fixture
def liaison(activity):
    return liaison_for(activity, username="liaison")


def new_url(activity) -> str:
    return f"/activities/{activity.pk}/updates/new/"


def edit_url(update) -> str:
    return f"/activities/{update.activity_id}/updates/{update.pk}/edit/"


def submit_url(update) -> str:
    return f"/activities/{update.activity_id}/updates/{update.pk}/submit/"


GOOD = {
    "period_end": "2016-09-30",
    "percent_complete": "65",
    "narrative": "Two regional workshops held.",
    "risks": "Visa delays.",
}


def test_the_form_offers_draft_and_submit(client, activity, liaison):
    client.force_login(liaison)
    body = client.get(new_url(activity)).content.decode()
    assert 'name="action" value="submit"' in body
    assert 'name="action" value="draft"' in body


def test_saving_a_draft(client, activity, liaison):
    client.force_login(liaison)
    token = form_token(client, new_url(activity))
    response = client.post(new_url(activity), {**GOOD, "action": "draft", "token": token})
    assert response["Location"] == f"/activities/{activity.pk}/"
    update = ProgressUpdate.objects.get()
    assert update.state == ProgressUpdate.State.DRAFT
    assert update.author == liaison
    assert update.submitted_at is None
    assert "saved as a draft" in client.get(response["Location"]).content.decode()


def test_submitting_for_approval(client, activity, liaison):
    client.force_login(liaison)
    token = form_token(client, new_url(activity))
    client.post(new_url(activity), {**GOOD, "action": "submit", "token": token})
    update = ProgressUpdate.objects.get()
    assert update.state == ProgressUpdate.State.SUBMITTED
    assert update.submitted_at is not None
    assert (update.percent_complete, update.period_end) == (65, dt.date(2016, 9, 30))


def test_bad_input_shows_the_errors_beside_the_fields_and_keeps_the_input(
    client, activity, liaison
):
    client.force_login(liaison)
    response = client.post(
        new_url(activity),
        {**GOOD, "percent_complete": "150", "narrative": "", "action": "submit"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in body
    assert (
        '<p class="error" id="id_percent_complete_error">'
        "Ensure this value is less than or equal to 100.</p>" in body
    )
    assert '<p class="error" id="id_narrative_error">This field is required.</p>' in body
    assert 'value="150"' in body and "Visa delays." in body and 'value="2016-09-30"' in body
    assert not ProgressUpdate.objects.exists()


def test_editing_a_draft_and_submitting_it(client, activity, liaison):
    update = ProgressUpdateFactory(activity=activity, author=liaison)
    client.force_login(liaison)
    body = client.get(edit_url(update)).content.decode()
    assert 'value="Work proceeds as planned."' in body or "Work proceeds as planned." in body
    response = client.post(
        edit_url(update), {**GOOD, "version": update.version, "action": "submit"}
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.narrative == "Two regional workshops held."
    assert update.state == ProgressUpdate.State.SUBMITTED


def test_a_returned_update_can_be_reworked_and_shows_the_reviewers_note(client, activity, liaison):
    update = ProgressUpdateFactory(
        activity=activity,
        author=liaison,
        state=ProgressUpdate.State.RETURNED,
        submitted_at=timezone.now(),
        review_note="Add attendance figures.",
    )
    client.force_login(liaison)
    assert "Add attendance figures." in client.get(edit_url(update)).content.decode()
    client.post(edit_url(update), {**GOOD, "version": update.version, "action": "draft"})
    update.refresh_from_db()
    assert update.narrative == "Two regional workshops held."
    assert update.state == ProgressUpdate.State.RETURNED  # saved, not yet sent again


def test_a_stale_edit_of_an_update_is_refused_and_keeps_the_input(client, activity, liaison):
    update = ProgressUpdateFactory(activity=activity, author=liaison)
    services.edit_progress_update(
        actor=None, update=update, version=1, changes={"narrative": "Their words."}
    )
    client.force_login(liaison)
    response = client.post(edit_url(update), {**GOOD, "version": 1, "action": "submit"})
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this progress update since you opened it." in body
    assert "Two regional workshops held." in body
    update.refresh_from_db()
    assert update.narrative == "Their words."
    assert update.state == ProgressUpdate.State.DRAFT


def test_an_approved_update_can_no_longer_be_edited(client, activity, liaison):
    update = ProgressUpdateFactory(
        activity=activity,
        author=liaison,
        state=ProgressUpdate.State.APPROVED,
        submitted_at=timezone.now(),
        reviewer=make_user(role="manager"),
        reviewed_at=timezone.now(),
    )
    client.force_login(liaison)
    response = client.post(edit_url(update), {**GOOD, "version": update.version}, follow=True)
    assert "it can no longer be edited" in response.content.decode()
    update.refresh_from_db()
    assert update.narrative == "Work proceeds as planned."


def test_submitting_a_draft_from_the_timeline(client, activity, liaison):
    update = ProgressUpdateFactory(activity=activity, author=liaison)
    client.force_login(liaison)
    response = client.post(submit_url(update), {"version": update.version}, follow=True)
    assert "submitted for approval" in response.content.decode()
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.SUBMITTED


def test_submitting_a_stale_draft_is_refused(client, activity, liaison):
    update = ProgressUpdateFactory(activity=activity, author=liaison)
    services.edit_progress_update(actor=None, update=update, version=1, changes={"risks": "New"})
    client.force_login(liaison)
    response = client.post(submit_url(update), {"version": 1}, follow=True)
    assert "Someone else changed this progress update" in response.content.decode()
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.DRAFT


def test_a_colleague_of_the_same_organization_may_continue_a_draft(client, activity, liaison):
    update = ProgressUpdateFactory(activity=activity, author=liaison)
    colleague = make_user(
        role="liaison_officer", organization=liaison.profile.organization, username="colleague"
    )
    client.force_login(colleague)
    client.post(submit_url(update), {"version": update.version})
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.SUBMITTED


@pytest.mark.parametrize("role", ["viewer", "liaison_officer"])
def test_others_are_refused_with_403(client, activity, liaison, role):
    update = ProgressUpdateFactory(activity=activity, author=liaison)
    client.force_login(make_user(role=role, username="outsider"))
    assert client.get(new_url(activity)).status_code == 403
    assert client.post(new_url(activity), {**GOOD, "action": "submit"}).status_code == 403
    assert client.get(edit_url(update)).status_code == 403
    assert client.post(edit_url(update), {**GOOD, "version": 1}).status_code == 403
    assert client.post(submit_url(update), {"version": 1}).status_code == 403
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.DRAFT
    assert ProgressUpdate.objects.count() == 1
