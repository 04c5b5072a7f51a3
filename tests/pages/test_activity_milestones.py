"""Adding milestones and marking them complete from the activity page."""

import datetime as dt

import pytest
import time_machine

from activities import services
from activities.models import Milestone
from tests.factories import ActivityFactory, MilestoneFactory, liaison_for, make_user
from tests.support.forms import form_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity():
    return ActivityFactory()


@pytest.fixture
def liaison(activity):
    return liaison_for(activity, username="liaison")


@pytest.fixture
def milestone(activity):
    return MilestoneFactory(activity=activity, title="Regional workshop")


def add_url(activity) -> str:
    return f"/activities/{activity.pk}/milestones/new/"


def complete_url(milestone) -> str:
    return f"/activities/{milestone.activity_id}/milestones/{milestone.pk}/complete/"


def test_a_liaison_officer_adds_a_milestone(client, activity, liaison):
    client.force_login(liaison)
    assert client.get(add_url(activity)).status_code == 200
    token = form_token(client, add_url(activity))
    response = client.post(
        add_url(activity),
        {"title": "Train the trainers", "due_date": "2016-10-15", "weight": "2", "token": token},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/activities/{activity.pk}/"
    milestone = Milestone.objects.get(activity=activity)
    assert (milestone.title, milestone.due_date, milestone.weight) == (
        "Train the trainers",
        dt.date(2016, 10, 15),
        2,
    )


def test_a_milestone_with_bad_input_shows_the_errors_and_keeps_the_input(client, activity, liaison):
    client.force_login(liaison)
    response = client.post(
        add_url(activity), {"title": "Train the trainers", "due_date": "15/10/2016", "weight": "0"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid date." in body
    assert "Ensure this value is greater than or equal to 1." in body
    assert 'value="Train the trainers"' in body and 'value="15/10/2016"' in body
    assert not Milestone.objects.exists()


@time_machine.travel(dt.datetime(2016, 7, 4, 12, tzinfo=dt.UTC), tick=False)
def test_marking_a_milestone_complete_dates_it_today_and_tells_monitoring(
    client, milestone, liaison, django_capture_on_commit_callbacks
):
    client.force_login(liaison)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(complete_url(milestone), {"version": milestone.version})
    assert response["Location"] == f"/activities/{milestone.activity_id}/"
    milestone.refresh_from_db()
    assert milestone.completed_on == dt.date(2016, 7, 4)
    assert milestone.version == 2
    assert callbacks  # the facts-changed signal waits for the commit
    assert "marked complete" in client.get(response["Location"]).content.decode()


def test_a_completion_date_can_be_given(client, milestone, liaison):
    client.force_login(liaison)
    client.post(complete_url(milestone), {"version": 1, "completed_on": "2016-06-28"})
    milestone.refresh_from_db()
    assert milestone.completed_on == dt.date(2016, 6, 28)


def test_completing_a_milestone_someone_else_changed_is_refused(client, milestone, liaison):
    services.update_milestone(
        actor=None, milestone=milestone, version=1, changes={"title": "Regional workshop (Dakar)"}
    )
    client.force_login(liaison)
    response = client.post(complete_url(milestone), {"version": 1}, follow=True)
    assert "Someone else changed this milestone since you opened the page." in (
        response.content.decode()
    )
    milestone.refresh_from_db()
    assert milestone.completed_on is None
    assert milestone.version == 2


def test_completing_without_a_version_is_refused(client, milestone, liaison):
    client.force_login(liaison)
    response = client.post(complete_url(milestone), {}, follow=True)
    assert "reload the page" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.completed_on is None


def test_a_milestone_of_another_activity_is_not_found(client, activity, liaison):
    other = MilestoneFactory()
    client.force_login(liaison)
    response = client.post(
        f"/activities/{activity.pk}/milestones/{other.pk}/complete/", {"version": 1}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["viewer", "liaison_officer"])
def test_others_are_refused_with_403(client, activity, milestone, liaison, role):
    client.force_login(make_user(role=role, username="outsider"))
    assert client.get(add_url(activity)).status_code == 403
    assert (
        client.post(
            add_url(activity), {"title": "X", "due_date": "2016-10-15", "weight": 1}
        ).status_code
        == 403
    )
    assert client.post(complete_url(milestone), {"version": 1}).status_code == 403
    assert Milestone.objects.count() == 1
    milestone.refresh_from_db()
    assert milestone.completed_on is None
