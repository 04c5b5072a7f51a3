"""Monitoring endpoints: status history, runs (request with 202, poll, list), the status summary
of a plan, status overrides."""

import datetime as dt

import pytest

from monitoring.models import MonitoringRun, StatusOverride
from tests.api.conftest import API
from tests.factories import (
    ActivityFactory,
    MilestoneFactory,
    ParticipationFactory,
    assess,
    thematic_area,
)


def test_status_history_with_from_and_to(world, as_viewer, django_assert_num_queries):
    for month, status in [(3, "on_track"), (6, "at_risk"), (9, "off_track")]:
        assess(
            world.activity,
            dt.date(2016, month, 30),
            status,
            [{"code": "c", "severity": "warning", "message": f"month {month}"}],
        )
    url = f"{API}/activities/{world.activity.pk}/status-history/"
    # token with user, the activity, count, page.
    with django_assert_num_queries(4):
        body = as_viewer.get(url).json()
    assert [(a["as_of"], a["status"]) for a in body["results"]] == [
        ("2016-03-30", "on_track"),
        ("2016-06-30", "at_risk"),
        ("2016-09-30", "off_track"),
    ]
    assert body["results"][1]["reasons"] == [
        {"code": "c", "severity": "warning", "message": "month 6"}
    ]
    window = as_viewer.get(f"{url}?from=2016-04-01&to=2016-09-01").json()
    assert [a["status"] for a in window["results"]] == ["at_risk"]
    bad = as_viewer.get(f"{url}?from=April")
    assert bad.status_code == 400 and "from" in bad.json()
    assert as_viewer.get(f"{API}/activities/999999/status-history/").status_code == 404


def test_manager_requests_a_run_gets_202_and_polls_it_to_the_end(
    world, as_manager, django_capture_on_commit_callbacks
):
    MilestoneFactory(activity=world.activity, due_date=dt.date(2016, 3, 1))  # overdue by June
    with django_capture_on_commit_callbacks(execute=True):  # eager Celery runs it on commit
        response = as_manager.post(
            f"{API}/monitoring-runs/",
            {"plan": world.plan.pk, "as_of": "2016-06-30"},
            format="json",
        )
    assert response.status_code == 202, response.json()
    queued = response.json()
    assert (queued["state"], queued["trigger"], queued["requested_by"]) == (
        "queued",
        "api",
        "manager",
    )
    assert response["Location"].endswith(f"/api/v1/monitoring-runs/{queued['id']}/")

    polled = as_manager.get(response["Location"]).json()
    assert polled["state"] == "finished"
    assert polled["activities_assessed"] == 1
    assert sum(polled["counts"].values()) == 1
    assert polled["chunks_done"] == polled["chunks_total"] == 1
    world.activity.refresh_from_db()
    assert world.activity.status_as_of == dt.date(2016, 6, 30)
    detail = as_manager.get(f"{API}/activities/{world.activity.pk}/").json()
    assert detail["current_status"]["as_of"] == "2016-06-30"
    assert detail["current_status"]["reasons"], "an overdue milestone gives a reason"


def test_run_request_validation(world, as_manager):
    response = as_manager.post(
        f"{API}/monitoring-runs/", {"plan": 999999, "as_of": "30/06/2016"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"plan", "as_of"}
    assert not MonitoringRun.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "liaison", "outsider"])
def test_only_managers_request_runs(world, who):
    from tests.api.conftest import client_for

    response = client_for(getattr(world, who)).post(
        f"{API}/monitoring-runs/", {"plan": world.plan.pk}, format="json"
    )
    assert response.status_code == 403
    assert not MonitoringRun.objects.exists()


def test_list_runs_with_filters(world, as_viewer):
    from monitoring import services

    first = services.request_run(
        plan_id=world.plan.pk, as_of=dt.date(2016, 3, 31), trigger="manual", enqueue=False
    )
    services.request_run(as_of=dt.date(2016, 4, 30), trigger="schedule", enqueue=False)
    everything = as_viewer.get(f"{API}/monitoring-runs/").json()
    assert everything["count"] == 2
    of_plan = as_viewer.get(f"{API}/monitoring-runs/?plan={world.plan.pk}").json()
    assert [r["id"] for r in of_plan["results"]] == [first.pk]
    assert as_viewer.get(f"{API}/monitoring-runs/?state=finished").json()["count"] == 0
    assert as_viewer.get(f"{API}/monitoring-runs/{first.pk}/").json()["as_of"] == "2016-03-31"


def test_summary_counts_by_status_area_and_organization(world, as_viewer):
    cyber = ActivityFactory(matrix=world.matrix, thematic_area=thematic_area("cybercrime"))
    ParticipationFactory(activity=cyber, organization=world.unodc, role="lead")
    ActivityFactory(matrix=world.matrix)  # never assessed
    assess(world.activity, dt.date(2016, 3, 31), "on_track")
    assess(world.activity, dt.date(2016, 6, 30), "at_risk")
    assess(cyber, dt.date(2016, 6, 30), "on_track")

    body = as_viewer.get(f"{API}/monitoring/summary/?plan={world.plan.pk}&as_of=2016-06-30").json()

    assert body["as_of"] == "2016-06-30"
    assert "overall" not in body  # renamed: it counts all the plan's activities
    everything = body["all_activities"]
    assert everything["counts"]["at_risk"] == 1 and everything["counts"]["on_track"] == 1
    assert (everything["unassessed"], everything["total"]) == (1, 3)
    areas = {row["name"]: row for row in body["by_thematic_area"]}
    assert areas["Cybercrime"]["counts"]["on_track"] == 1
    assert areas["Terrorism"]["counts"]["at_risk"] == 1
    organizations = {row["name"]: row["counts"] for row in body["by_organization"]}
    assert organizations["INTERPOL"]["at_risk"] == 1
    assert organizations["UNODC"]["on_track"] == 1

    in_march = as_viewer.get(f"{API}/monitoring/summary/?plan={world.plan.pk}&as_of=2016-03-31")
    assert in_march.json()["all_activities"]["counts"]["on_track"] == 1


def test_summary_needs_a_plan(world, as_viewer):
    assert as_viewer.get(f"{API}/monitoring/summary/").status_code == 400
    assert as_viewer.get(f"{API}/monitoring/summary/?plan=999999").status_code == 404
    bad_date = as_viewer.get(f"{API}/monitoring/summary/?plan={world.plan.pk}&as_of=soon")
    assert bad_date.status_code == 400


def test_manager_sets_and_ends_a_status_override(world, as_manager, as_liaison):
    url = f"{API}/activities/{world.activity.pk}/status-overrides/"
    payload = {
        "status": "suspended",
        "reason": "Security situation",
        "set_on": "2016-05-01",
        "expires_on": "2016-08-01",
    }
    assert as_liaison.post(url, payload, format="json").status_code == 403
    created = as_manager.post(url, payload, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["set_by"] == "manager"
    listed = as_liaison.get(url).json()
    assert [o["reason"] for o in listed["results"]] == ["Security situation"]
    bad = as_manager.post(url, {**payload, "expires_on": "2016-04-01"}, format="json")
    assert bad.status_code == 422 and "expires_on" in bad.json()
    # Every error at once: the field the schema refuses and the rule over the fields that passed.
    both = as_manager.post(
        url, {**payload, "status": "sleeping", "expires_on": "2016-04-01"}, format="json"
    )
    assert both.status_code == 400
    assert set(both.json()) == {"status", "expires_on"}
    assert both.json()["expires_on"] == ["An override must expire after the day it is set."]
    ended = as_manager.post(f"{API}/status-overrides/{created.json()['id']}/end/")
    assert ended.status_code == 200
    assert StatusOverride.objects.get().expires_on <= dt.date(2016, 8, 1)
