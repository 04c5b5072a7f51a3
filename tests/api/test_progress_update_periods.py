"""Progress updates report on a period of the plan's calendar, through the API as on the page:
the period end places the update in its period (shown as `period`); a client may name the
period too, and a period that is not the one (or not of this plan) is refused with the reason;
an approved update locks its period, and a later report on it is a correction (`corrects`)."""

import datetime as dt

import pytest
import time_machine

from activities import services
from activities.models import ProgressUpdate, ReportingPeriod
from tests.api.conftest import API, client_for
from tests.factories import MatrixFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarters(world):
    """The 2016 plan's quarterly calendar, today early in July 2016 (Q2's window is open)."""
    services.set_reporting_calendar(actor=world.manager, plan=world.plan, frequency="quarterly")
    with time_machine.travel(dt.datetime(2016, 7, 5, 9, tzinfo=dt.UTC), tick=False):
        yield {p.label: p for p in ReportingPeriod.objects.filter(calendar__plan=world.plan)}


def _post(client, activity, **fields):
    payload = {"period_end": "2016-06-30", "percent_complete": 45, "narrative": "On course."}
    return client.post(f"{API}/activities/{activity.pk}/updates/", payload | fields, format="json")


def test_an_update_reads_its_period_and_a_report_on_an_approved_period_is_a_correction(
    world, quarters, as_liaison
):
    q2 = quarters["Q2 2016"]
    first = _post(as_liaison, world.activity, submit=True, period=q2.pk)
    assert first.status_code == 201, first.json()
    assert first.json()["period"] == {
        "id": q2.pk,
        "label": "Q2 2016",
        "starts_on": "2016-04-01",
        "ends_on": "2016-06-30",
        "due_on": "2016-07-15",
    }
    assert first.json()["corrects"] is None
    services.approve_progress_update(
        actor=world.manager, update=ProgressUpdate.objects.get(pk=first.json()["id"])
    )

    # Q2 is locked by its approved update: a new report on it corrects that update.
    correction = _post(as_liaison, world.activity, period_end="2016-05-31", percent_complete=50)
    assert correction.status_code == 201, correction.json()
    assert correction.json()["period"]["label"] == "Q2 2016"
    assert correction.json()["corrects"] == first.json()["id"]
    read = as_liaison.get(f"{API}/updates/{correction.json()['id']}/").json()
    assert (read["period"]["id"], read["corrects"]) == (q2.pk, first.json()["id"])


def test_a_named_period_that_does_not_contain_the_period_end_is_refused(
    world, quarters, as_liaison
):
    response = _post(as_liaison, world.activity, period=quarters["Q3 2016"].pk)
    assert response.status_code == 422
    assert response.json() == {
        "period": [
            "Q3 2016 runs from 01 July 2016 to 30 September 2016; the period end 30 June 2016 "
            "lies outside it."
        ]
    }
    assert not ProgressUpdate.objects.exists()


def test_a_period_of_another_plans_calendar_is_refused(world, quarters, as_liaison):
    other = MatrixFactory().plan
    services.set_reporting_calendar(actor=world.manager, plan=other, frequency="monthly")
    foreign = ReportingPeriod.objects.filter(calendar__plan=other).order_by("starts_on").first()
    response = _post(as_liaison, world.activity, period=foreign.pk)
    assert response.status_code == 422
    assert response.json()["period"] == [
        "That period is not in the reporting calendar of this activity's plan."
    ]


def test_a_period_that_does_not_exist_is_400_with_the_other_errors_at_once(
    world, quarters, as_liaison
):
    response = _post(as_liaison, world.activity, period=987654, percent_complete=140)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"period", "percent_complete"}
    assert body["period"] == ['Invalid pk "987654" - object does not exist.']


def test_a_period_end_outside_the_calendar_is_refused(world, quarters, as_liaison):
    # The plan (and the activity) run through 2016; the calendar has no period in 2017.
    response = _post(as_liaison, world.activity, period_end="2017-02-28")
    assert response.status_code == 422
    assert "No reporting period of this plan contains this date." in response.json()["period_end"]


def test_editing_names_the_period_and_a_wrong_one_changes_nothing(world, quarters, as_liaison):
    created = _post(as_liaison, world.activity).json()
    url = f"{API}/updates/{created['id']}/"
    refused = as_liaison.patch(url, {"period": quarters["Q1 2016"].pk, "version": 1}, format="json")
    assert refused.status_code == 422
    assert refused.json()["period"][0].startswith("Q1 2016 runs from 01 January 2016")
    moved = as_liaison.patch(
        url,
        {"period_end": "2016-03-31", "period": quarters["Q1 2016"].pk, "version": 1},
        format="json",
    )
    assert moved.status_code == 200, moved.json()
    assert (moved.json()["period"]["label"], moved.json()["version"]) == ("Q1 2016", 2)


def test_the_lists_read_the_periods_in_a_constant_number_of_queries(
    world, quarters, django_assert_num_queries
):
    viewer = client_for(world.viewer)
    for period_end in ("2016-03-31", "2016-06-30"):
        ProgressUpdateFactory(
            activity=world.activity,
            author=world.liaison,
            state="submitted",
            submitted_at=dt.datetime(2016, 7, 1, tzinfo=dt.UTC),
            period_end=period_end,
            period=quarters["Q1 2016" if period_end < "2016-04" else "Q2 2016"],
        )
    # token with user, the reader's profile, the activity, count, page (author, reviewer and
    # period joined).
    with django_assert_num_queries(5):
        listed = viewer.get(f"{API}/activities/{world.activity.pk}/updates/").json()
    assert [u["period"]["label"] for u in listed["results"]] == ["Q2 2016", "Q1 2016"]
    for _ in range(3):
        ProgressUpdateFactory(
            activity=world.activity,
            author=world.liaison,
            state="submitted",
            submitted_at=dt.datetime(2016, 7, 2, tzinfo=dt.UTC),
            period_end="2016-06-15",
            period=quarters["Q2 2016"],
        )
    with django_assert_num_queries(5):
        listed = viewer.get(f"{API}/activities/{world.activity.pk}/updates/").json()
    assert listed["count"] == 5
    # token with user, the reader's profile, count, page (the same joins).
    with django_assert_num_queries(4):
        everything = viewer.get(f"{API}/updates/").json()
    assert {u["period"]["label"] for u in everything["results"]} == {"Q1 2016", "Q2 2016"}


def test_the_schema_documents_period_and_corrects(world):
    schema = client_for(world.viewer).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    assert {"period", "corrects"} <= set(components["ProgressUpdate"]["properties"])
    assert "period" in components["ProgressUpdateInputRequest"]["properties"]
    assert "period" in components["PatchedProgressUpdateEditRequest"]["properties"]
