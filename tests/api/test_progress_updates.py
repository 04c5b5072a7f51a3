"""Progress updates through the API: draft or submitted, edit, submit, approve, return with a
note; the approval queue."""

import datetime as dt
from unittest import mock

import pytest

from activities import services
from activities.models import ProgressUpdate
from tests.api.conftest import API, client_for
from tests.factories import ParticipationFactory, ProgressUpdateFactory


@pytest.fixture
def facts_signal():
    with mock.patch.object(services, "activity_facts_changed") as signal:
        yield signal


def _post_update(client, activity, **overrides):
    payload = {"period_end": "2016-06-30", "percent_complete": 45, "narrative": "On course."}
    payload.update(overrides)
    return client.post(f"{API}/activities/{activity.pk}/updates/", payload, format="json")


def _submitted(world, **kwargs):
    return ProgressUpdateFactory(
        activity=world.activity,
        author=world.liaison,
        state="submitted",
        submitted_at=dt.datetime(2016, 7, 1, tzinfo=dt.UTC),
        **kwargs,
    )


def test_liaison_writes_a_draft_then_submits_it(world, as_liaison):
    created = _post_update(as_liaison, world.activity)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["state"], body["author"], body["submitted_at"]) == ("draft", "liaison", None)
    submitted = as_liaison.post(f"{API}/updates/{body['id']}/submit/")
    assert submitted.status_code == 200
    assert submitted.json()["state"] == "submitted"
    assert submitted["ETag"] == '"v2"'


def test_liaison_submits_straight_away(world, as_liaison):
    created = _post_update(as_liaison, world.activity, submit=True)
    assert created.json()["state"] == "submitted"


def test_invalid_update_is_400_and_writes_nothing(world, as_liaison):
    response = _post_update(as_liaison, world.activity, percent_complete=140, narrative="")
    assert response.status_code == 400
    assert set(response.json()) == {"percent_complete", "narrative"}
    assert not ProgressUpdate.objects.exists()


def test_edit_a_draft_with_if_match_and_refuse_a_stale_one(world, as_liaison):
    update = ProgressUpdateFactory(activity=world.activity, author=world.liaison)
    url = f"{API}/updates/{update.pk}/"
    etag = as_liaison.get(url)["ETag"]
    ok = as_liaison.patch(url, {"percent_complete": 60}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok.json()["percent_complete"] == 60
    stale = as_liaison.patch(url, {"percent_complete": 10}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    update.refresh_from_db()
    assert update.percent_complete == 60


def test_manager_approves_and_the_activity_is_reassessed_after_commit(
    world, as_manager, facts_signal, django_capture_on_commit_callbacks
):
    update = _submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_manager.post(
            f"{API}/updates/{update.pk}/approve/", {"note": "Thanks"}, format="json"
        )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["state"], body["reviewer"], body["review_note"]) == (
        "approved",
        "manager",
        "Thanks",
    )
    facts_signal.send.assert_called_once_with(
        sender=mock.ANY,
        event_id=mock.ANY,
        activity_ids=[world.activity.pk],
        reason="update_approved",
    )


def test_approving_twice_is_409(world, as_manager):
    update = _submitted(world)
    assert as_manager.post(f"{API}/updates/{update.pk}/approve/").status_code == 200
    again = as_manager.post(f"{API}/updates/{update.pk}/approve/")
    assert again.status_code == 409
    assert "cannot be approved" in again.json()["detail"]


def test_approve_with_a_stale_if_match_is_412(world, as_manager):
    update = _submitted(world)
    response = as_manager.post(f"{API}/updates/{update.pk}/approve/", HTTP_IF_MATCH='"v9"')
    assert response.status_code == 412
    update.refresh_from_db()
    assert update.state == "submitted"


def test_a_manager_cannot_approve_their_own_update(world, as_manager):
    update = _submitted(world)
    ProgressUpdate.objects.filter(pk=update.pk).update(author=world.manager)
    response = as_manager.post(f"{API}/updates/{update.pk}/approve/")
    assert response.status_code == 403
    assert "your own" in response.json()["detail"]


def test_return_needs_a_note(world, as_manager):
    update = _submitted(world)
    missing = as_manager.post(f"{API}/updates/{update.pk}/return/", {}, format="json")
    assert missing.status_code == 400 and "note" in missing.json()
    blank = as_manager.post(f"{API}/updates/{update.pk}/return/", {"note": "  "}, format="json")
    assert blank.status_code == 400 and "note" in blank.json()
    returned = as_manager.post(
        f"{API}/updates/{update.pk}/return/", {"note": "Add figures"}, format="json"
    )
    assert returned.status_code == 200
    assert (returned.json()["state"], returned.json()["review_note"]) == ("returned", "Add figures")


def test_list_an_activitys_updates_newest_first(world, as_viewer, django_assert_num_queries):
    # Submitted: a viewer reads no drafts.
    _submitted(world, period_end="2016-03-31")
    _submitted(world, period_end="2016-06-30")
    # token with user, the caller's profile, the activity (with its tiers), count, page (author
    # and reviewer joined, whether the risks are shown as a column).
    with django_assert_num_queries(5):
        response = as_viewer.get(f"{API}/activities/{world.activity.pk}/updates/")
    assert [u["period_end"] for u in response.json()["results"]] == ["2016-06-30", "2016-03-31"]


def test_the_approval_queue_lists_submitted_updates_oldest_first(world, as_manager):
    newer = _submitted(world)
    older = _submitted(world)
    ProgressUpdate.objects.filter(pk=older.pk).update(
        submitted_at=dt.datetime(2016, 6, 1, tzinfo=dt.UTC)
    )
    ProgressUpdateFactory(activity=world.activity, author=world.liaison)  # a draft
    queue = as_manager.get(f"{API}/updates/?state=submitted").json()["results"]
    assert [u["id"] for u in queue] == [older.pk, newer.pk]
    drafts = as_manager.get(f"{API}/updates/?state=draft").json()["results"]
    assert [u["state"] for u in drafts] == ["draft"]
    assert as_manager.get(f"{API}/updates/").json()["count"] == 3


# --- the four-eyes rule ---------------------------------------------------------------------------


def test_a_manager_who_edited_a_returned_update_cannot_approve_it(world, as_manager):
    """The walk-around found in testing: return, change 10 % to 100 %, submit, approve."""
    created = _post_update(
        client_for(world.liaison), world.activity, percent_complete=10, submit=True
    )
    url = f"{API}/updates/{created.json()['id']}/"
    returned = as_manager.post(f"{url}return/", {"note": "Really only 10 %?"}, format="json")
    assert returned.status_code == 200
    edited = as_manager.patch(
        url,
        {"percent_complete": 100, "narrative": "Complete."},
        format="json",
        HTTP_IF_MATCH=returned["ETag"],
    )
    assert edited.status_code == 200, edited.json()
    assert as_manager.post(f"{url}submit/").status_code == 200

    refused = as_manager.post(f"{url}approve/")

    assert refused.status_code == 409
    assert refused.json()["code"] == "four_eyes"
    assert "another manager must approve it" in refused.json()["detail"]
    assert as_manager.get(url).json()["state"] == "submitted"
    approved = client_for(world.manager2).post(f"{url}approve/")
    assert approved.status_code == 200
    assert (approved.json()["reviewer"], approved.json()["percent_complete"]) == ("manager2", 100)


def test_returning_with_a_note_does_not_stop_the_manager_approving_later(world, as_manager):
    created = _post_update(client_for(world.liaison), world.activity, submit=True)
    url = f"{API}/updates/{created.json()['id']}/"
    as_manager.post(f"{url}return/", {"note": "Add the figures."}, format="json")
    as_liaison = client_for(world.liaison)
    etag = as_liaison.get(url)["ETag"]
    as_liaison.patch(url, {"narrative": "12 seizures."}, format="json", HTTP_IF_MATCH=etag)
    as_liaison.post(f"{url}submit/")
    assert as_manager.post(f"{url}approve/").status_code == 200


# --- drafts are read by their organization's staff and managers only ----------------------------


def test_a_draft_is_hidden_from_other_organizations_and_viewers(
    world, as_liaison, as_outsider, as_viewer, as_manager
):
    draft = ProgressUpdateFactory(activity=world.activity, author=world.liaison, narrative="WIP")
    shared = _submitted(world)
    mine = f"{API}/activities/{world.activity.pk}/updates/"
    for hidden_from in (as_outsider, as_viewer):
        assert hidden_from.get(f"{API}/updates/{draft.pk}/").status_code == 404
        assert hidden_from.get(f"{API}/updates/{shared.pk}/").status_code == 200
        assert [u["id"] for u in hidden_from.get(mine).json()["results"]] == [shared.pk]
        assert [u["id"] for u in hidden_from.get(f"{API}/updates/").json()["results"]] == [
            shared.pk
        ]
        assert hidden_from.get(f"{API}/updates/?state=draft").json()["count"] == 0
        trail = hidden_from.get(f"{API}/activities/{world.activity.pk}/history/").json()
        shown = {e["object_id"] for e in trail["results"] if e["model"] == "progressupdate"}
        assert shown == {shared.pk}
    for allowed in (as_liaison, as_manager):
        assert allowed.get(f"{API}/updates/{draft.pk}/").json()["narrative"] == "WIP"
        assert {u["id"] for u in allowed.get(mine).json()["results"]} == {draft.pk, shared.pk}
        assert allowed.get(f"{API}/updates/?state=draft").json()["count"] == 1
        trail = allowed.get(f"{API}/activities/{world.activity.pk}/history/").json()
        shown = {e["object_id"] for e in trail["results"] if e["model"] == "progressupdate"}
        assert shown == {draft.pk, shared.pk}


def test_a_colleague_of_a_partner_organization_reads_the_draft(world):
    """Every participating organization's liaison officers may edit and submit the activity's
    updates, so they read its drafts too."""
    ParticipationFactory(activity=world.activity, organization=world.unodc, role="partner")
    draft = ProgressUpdateFactory(activity=world.activity, author=world.liaison)
    assert client_for(world.outsider).get(f"{API}/updates/{draft.pk}/").status_code == 200


def test_the_history_of_a_submitted_update_hides_its_draft_versions(world, as_outsider):
    as_liaison = client_for(world.liaison)
    created = _post_update(as_liaison, world.activity, narrative="First thoughts.")
    url = f"{API}/updates/{created.json()['id']}/"
    as_liaison.patch(url, {"narrative": "Reported."}, format="json", HTTP_IF_MATCH=created["ETag"])
    as_liaison.post(f"{url}submit/")
    trail = as_outsider.get(f"{API}/activities/{world.activity.pk}/history/").json()["results"]
    entries = [e for e in trail if e["model"] == "progressupdate"]
    assert [e["change_type"] for e in entries] == ["changed"]  # the submission only
    assert "First thoughts." not in str(trail)
    assert {c["field"] for c in entries[0]["changes"]} == {"state", "submitted_at"}
