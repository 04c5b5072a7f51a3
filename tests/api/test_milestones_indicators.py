"""Milestones (list, add, update with If-Match, mark complete), indicators and measurements."""

from unittest import mock

import pytest

from activities import services
from activities.models import Indicator, Measurement, Milestone
from tests.api.conftest import API
from tests.factories import IndicatorFactory, MeasurementFactory, MilestoneFactory


@pytest.fixture
def facts_signal():
    with mock.patch.object(services, "activity_facts_changed") as signal:
        yield signal


def test_list_milestones_by_due_date(world, as_viewer, django_assert_num_queries):
    MilestoneFactory(activity=world.activity, title="Late", due_date="2016-11-01")
    MilestoneFactory(activity=world.activity, title="Early", due_date="2016-02-01")
    MilestoneFactory(title="Elsewhere")
    # token with user, the caller's profile, the activity (404 check, its milestones' tier too),
    # count, page.
    with django_assert_num_queries(5):
        response = as_viewer.get(f"{API}/activities/{world.activity.pk}/milestones/")
    assert [m["title"] for m in response.json()["results"]] == ["Early", "Late"]


def test_add_milestone(world, as_liaison):
    response = as_liaison.post(
        f"{API}/activities/{world.activity.pk}/milestones/",
        {"title": "Regional workshop", "due_date": "2016-09-15"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response["ETag"] == '"v1"'
    assert response.json()["weight"] == 1
    assert world.activity.milestones.get().title == "Regional workshop"


def test_add_milestone_invalid_is_400_and_writes_nothing(world, as_liaison):
    response = as_liaison.post(
        f"{API}/activities/{world.activity.pk}/milestones/",
        {"title": "", "due_date": "someday", "weight": 0},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"title", "due_date", "weight"}
    assert not Milestone.objects.exists()


def test_mark_a_milestone_complete_with_if_match(
    world, as_liaison, facts_signal, django_capture_on_commit_callbacks
):
    milestone = MilestoneFactory(activity=world.activity)
    detail = as_liaison.get(f"{API}/milestones/{milestone.pk}/")
    assert detail["ETag"] == '"v1"'
    with django_capture_on_commit_callbacks(execute=True):
        response = as_liaison.patch(
            f"{API}/milestones/{milestone.pk}/",
            {"completed_on": "2016-06-28"},
            format="json",
            HTTP_IF_MATCH=detail["ETag"],
        )
    assert response.status_code == 200, response.json()
    assert response.json()["completed_on"] == "2016-06-28"
    assert response["ETag"] == '"v2"'
    facts_signal.send.assert_called_once_with(
        sender=mock.ANY,
        event_id=mock.ANY,
        activity_ids=[world.activity.pk],
        reason="milestone_completed",
    )


def test_stale_milestone_edit_is_412_and_changes_nothing(world, as_liaison, as_manager):
    milestone = MilestoneFactory(activity=world.activity, title="Original")
    assert (
        as_manager.patch(
            f"{API}/milestones/{milestone.pk}/",
            {"title": "Manager"},
            format="json",
            HTTP_IF_MATCH='"v1"',
        ).status_code
        == 200
    )
    response = as_liaison.patch(
        f"{API}/milestones/{milestone.pk}/",
        {"completed_on": "2016-06-28"},
        format="json",
        HTTP_IF_MATCH='"v1"',
    )
    assert response.status_code == 412
    milestone.refresh_from_db()
    assert (milestone.title, milestone.completed_on, milestone.version) == ("Manager", None, 2)


def test_list_indicators_with_measurements(world, as_viewer, django_assert_num_queries):
    for _ in range(3):
        MeasurementFactory(indicator=IndicatorFactory(activity=world.activity))
    # token with user, the caller's profile, the activity (with its indicators' tier), count,
    # page of indicators, their measurements.
    with django_assert_num_queries(6):
        response = as_viewer.get(f"{API}/activities/{world.activity.pk}/indicators/")
    results = response.json()["results"]
    assert len(results) == 3
    assert all(len(i["measurements"]) == 1 for i in results)


def test_add_indicator_and_record_measurements(world, as_liaison):
    created = as_liaison.post(
        f"{API}/activities/{world.activity.pk}/indicators/",
        {
            "name": "Officers trained",
            "unit": "officers",
            "baseline": "0",
            "baseline_date": "2016-01-01",
            "target": "200",
            "target_date": "2016-12-31",
            "direction": "increase",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    indicator_id = created.json()["id"]
    measured = as_liaison.post(
        f"{API}/indicators/{indicator_id}/measurements/",
        {"measured_on": "2016-06-30", "value": "90", "note": "Two courses"},
        format="json",
    )
    assert measured.status_code == 201
    assert measured.json()["recorded_by"] == "liaison"
    again = as_liaison.post(
        f"{API}/indicators/{indicator_id}/measurements/",
        {"measured_on": "2016-06-30", "value": "95"},
        format="json",
    )
    assert again.status_code == 422
    assert "measured_on" in again.json()
    listed = as_liaison.get(f"{API}/indicators/{indicator_id}/measurements/").json()
    assert [m["value"] for m in listed["results"]] == ["90.00"]
    detail = as_liaison.get(f"{API}/indicators/{indicator_id}/")
    assert detail.status_code == 200 and detail["ETag"]


def test_indicator_target_against_its_direction_is_422(world, as_liaison):
    response = as_liaison.post(
        f"{API}/activities/{world.activity.pk}/indicators/",
        {
            "name": "Seizures",
            "unit": "cases",
            "baseline": "10",
            "baseline_date": "2016-01-01",
            "target": "5",
            "target_date": "2016-12-31",
            "direction": "increase",
        },
        format="json",
    )
    assert response.status_code == 422
    assert list(response.json()) == ["target"]
    assert not Indicator.objects.exists()


def test_outsider_cannot_record_measurements(world, as_outsider):
    indicator = IndicatorFactory(activity=world.activity)
    response = as_outsider.post(
        f"{API}/indicators/{indicator.pk}/measurements/",
        {"measured_on": "2016-06-30", "value": "1"},
        format="json",
    )
    assert response.status_code == 403
    assert not Measurement.objects.exists()
