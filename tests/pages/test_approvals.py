"""The managers' approval queue: approve, or return with a note."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from activities import services
from activities.models import Activity, ProgressUpdate
from monitoring.models import Assessment, MonitoringRun
from tests.factories import (
    ActivityFactory,
    ProgressUpdateFactory,
    assess,
    liaison_for,
    make_user,
)

pytestmark = pytest.mark.django_db

QUEUE = "/approvals/"


@pytest.fixture
def activity():
    return ActivityFactory(code="Q-01", title="Wildlife and forest crime")


@pytest.fixture
def liaison(activity):
    return liaison_for(activity, username="liaison")


@pytest.fixture
def manager(client):
    user = make_user(role="manager", username="manager")
    client.force_login(user)
    return user


def submitted(activity, author, **kwargs) -> ProgressUpdate:
    return ProgressUpdateFactory(
        activity=activity,
        author=author,
        state=ProgressUpdate.State.SUBMITTED,
        submitted_at=timezone.now(),
        **kwargs,
    )


def approve_url(update) -> str:
    return f"/approvals/{update.pk}/approve/"


def return_url(update) -> str:
    return f"/approvals/{update.pk}/return/"


def test_the_queue_lists_submitted_updates_only(client, activity, liaison, manager):
    waiting = submitted(activity, liaison, narrative="Seizures up by a third.")
    ProgressUpdateFactory(activity=activity, author=liaison, narrative="A draft.")
    body = client.get(QUEUE).content.decode()
    assert "Seizures up by a third." in body
    assert "A draft." not in body
    assert f'action="{approve_url(waiting)}"' in body
    assert f'action="{return_url(waiting)}"' in body
    assert 'aria-current="page">Approvals</a>' in body


def test_approving_an_update_records_the_reviewer_and_reassesses_the_activity(
    client, activity, liaison, manager, django_capture_on_commit_callbacks
):
    update = submitted(activity, liaison)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            approve_url(update),
            {f"a{update.pk}-version": update.version, f"a{update.pk}-note": "Good."},
        )
    assert response["Location"] == QUEUE
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.APPROVED
    assert update.reviewer == manager
    assert update.review_note == "Good."
    # Monitoring answered the approval (eager Celery, in process). Today, years after the
    # plan's period, is no date to assess it on, and nothing was assessed yet: no assessment.
    assert not Assessment.objects.filter(activity=activity).exists()
    assert "approved" in client.get(QUEUE).content.decode()


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        # Inside the plan's period: re-assessed as of today, also kept on the activity.
        (dt.date(2016, 8, 15), dt.date(2016, 8, 15)),
        # Ten years later: on the plan's latest assessed date, never outside its period.
        (dt.date(2026, 12, 6), dt.date(2016, 6, 30)),
    ],
)
def test_an_approval_reassesses_the_activity_on_a_date_inside_the_plans_period(
    client, activity, liaison, manager, django_capture_on_commit_callbacks, today, expected
):
    assess(activity, dt.date(2016, 6, 30), "on_track")
    update = submitted(activity, liaison)
    with time_machine.travel(today), django_capture_on_commit_callbacks(execute=True):
        client.post(
            approve_url(update),
            {f"a{update.pk}-version": update.version, f"a{update.pk}-note": "Good."},
        )
    run = MonitoringRun.objects.get(trigger="change")
    assert (run.plan_id, run.as_of, run.state) == (activity.matrix.plan_id, expected, "finished")
    activity = Activity.objects.get(pk=activity.pk)
    assert activity.status_as_of == expected
    assert activity.status != ""
    assert Assessment.objects.get(activity=activity, as_of=expected).run_id == run.pk


def test_returning_needs_a_note_and_keeps_what_was_typed_elsewhere(
    client, activity, liaison, manager
):
    update = submitted(activity, liaison)
    response = client.post(
        return_url(update), {f"r{update.pk}-version": update.version, f"r{update.pk}-note": "  "}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Say what needs to change before returning the update." in body
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.SUBMITTED


def test_returning_with_a_note(client, activity, liaison, manager):
    update = submitted(activity, liaison)
    response = client.post(
        return_url(update),
        {f"r{update.pk}-version": update.version, f"r{update.pk}-note": "Add the figures."},
    )
    assert response["Location"] == QUEUE
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.RETURNED
    assert update.review_note == "Add the figures."
    assert update.reviewer == manager


def test_a_review_of_an_update_changed_meanwhile_is_refused(client, activity, liaison, manager):
    update = submitted(activity, liaison)
    stale = update.version
    ProgressUpdate.objects.filter(pk=update.pk).update(version=stale + 1)
    response = client.post(approve_url(update), {f"a{update.pk}-version": stale}, follow=True)
    assert "This update was changed since you opened the queue." in response.content.decode()
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.SUBMITTED


def test_an_update_already_reviewed_says_so(client, activity, liaison, manager):
    update = submitted(activity, liaison)
    client.post(approve_url(update), {f"a{update.pk}-version": update.version})
    update.refresh_from_db()
    response = client.post(
        approve_url(update), {f"a{update.pk}-version": update.version}, follow=True
    )
    assert "This update is approved; it cannot be approved." in response.content.decode()


def test_a_manager_cannot_approve_their_own_update(client, activity, manager):
    update = submitted(activity, manager)
    body = client.get(QUEUE).content.decode()
    assert "You wrote this update: another manager approves it." in body
    assert f'action="{approve_url(update)}"' not in body
    assert (
        client.post(approve_url(update), {f"a{update.pk}-version": update.version}).status_code
        == 403
    )
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.SUBMITTED


@pytest.mark.parametrize("role", ["viewer", "liaison_officer"])
def test_only_managers_review(client, activity, liaison, role):
    update = submitted(activity, make_user(role="liaison_officer", username="author"))
    # Even a liaison officer of a participating organization is not a reviewer.
    user = liaison if role == "liaison_officer" else make_user(username="viewer")
    client.force_login(user)
    assert client.get(QUEUE).status_code == 403
    assert client.post(approve_url(update), {f"a{update.pk}-version": 1}).status_code == 403
    assert (
        client.post(
            return_url(update), {f"r{update.pk}-version": 1, f"r{update.pk}-note": "No"}
        ).status_code
        == 403
    )
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.SUBMITTED
    assert "Approvals</a>" not in client.get(f"/activities/{activity.pk}/").content.decode()


def test_the_queue_query_count_does_not_grow_with_the_updates(
    client, liaison, manager, django_assert_num_queries
):
    """session, user; the profile (permission check); the submitted updates with activity,
    thematic area and author; the activities' participations; their organizations; the updates'
    history versions (who changed their content: the four-eyes rule); their evidence; the profile
    (header): 9, for 2 or 12 waiting updates."""
    for _ in range(2):
        activity = ActivityFactory()
        liaison_for(activity)
        submitted(activity, liaison)
    with django_assert_num_queries(9):
        client.get(QUEUE)
    for _ in range(10):
        activity = ActivityFactory()
        liaison_for(activity)
        submitted(activity, liaison)
    with django_assert_num_queries(9):
        response = client.get(QUEUE)
    assert response.content.decode().count('class="card queue-item"') == 12


def test_a_review_form_without_its_version_is_refused_with_a_message(
    client, activity, liaison, manager
):
    update = submitted(activity, liaison)
    for url, data in (
        (approve_url(update), {}),
        (return_url(update), {f"r{update.pk}-note": "Add the figures."}),
    ):
        response = client.post(url, data, follow=True)
        assert "The form lost track of the version you opened" in response.content.decode()
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.SUBMITTED


def test_a_manager_who_changed_an_update_may_return_it_but_not_approve_it(
    client, activity, liaison, manager
):
    """The four-eyes rule on the page: returned, edited (10 % → 100 %) and resubmitted by the
    manager, the update is approved by another manager only."""
    update = services.create_progress_update(
        actor=liaison,
        activity=activity,
        period_end=dt.date(2016, 6, 30),
        percent_complete=10,
        narrative="Started.",
        submit=True,
    )
    update = services.return_progress_update(actor=manager, update=update, note="Only 10 %?")
    update = services.edit_progress_update(
        actor=manager, update=update, version=update.version, changes={"percent_complete": 100}
    )
    update = services.submit_progress_update(actor=manager, update=update)

    body = client.get(QUEUE).content.decode()
    assert "You changed this update's content: another manager approves it." in body
    assert f'action="{approve_url(update)}"' not in body
    assert f'action="{return_url(update)}"' in body
    response = client.post(
        approve_url(update), {f"a{update.pk}-version": update.version}, follow=True
    )
    assert "another manager must approve it (four-eyes rule)" in response.content.decode()
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.SUBMITTED

    client.force_login(make_user(role="manager", username="manager2"))
    assert f'action="{approve_url(update)}"' in client.get(QUEUE).content.decode()
    client.post(approve_url(update), {f"a{update.pk}-version": update.version})
    update.refresh_from_db()
    assert (update.state, update.reviewer.username) == (ProgressUpdate.State.APPROVED, "manager2")
