"""Plausible input through the API (issue 15): dates inside the activity's period, indicator
values of their kind, every error in one answer, lower-case currencies, PATCHes that change
nothing, and `If-Match: *`."""

import datetime as dt

import pytest

from activities.models import Activity, Indicator, Measurement, Milestone, ProgressUpdate
from tests.api.conftest import API
from tests.factories import IndicatorFactory, MilestoneFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

PERIOD = "Choose a date from 1 Jan 2016 to 31 Dec 2016, the activity's period"


def activity_url(world, tail: str = "") -> str:
    return f"{API}/activities/{world.activity.pk}/{tail}"


# --- progress updates -----------------------------------------------------------------------------


def test_an_update_period_outside_the_activity_is_refused_with_the_period(world, as_liaison):
    response = as_liaison.post(
        activity_url(world, "updates/"),
        {"period_end": "2017-03-31", "percent_complete": 40, "narrative": "Late report."},
        format="json",
    )
    assert response.status_code == 422
    assert response.json() == {"period_end": [f"{PERIOD}."]}
    assert not ProgressUpdate.objects.exists()


def test_an_update_reports_its_schema_errors_and_its_period_together(world, as_liaison):
    response = as_liaison.post(
        activity_url(world, "updates/"),
        {"period_end": "2015-12-31", "percent_complete": 140, "narrative": ""},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"period_end", "percent_complete", "narrative"}
    assert body["period_end"] == [f"{PERIOD}."]
    assert not ProgressUpdate.objects.exists()


def test_editing_an_update_to_a_period_outside_is_refused(world, as_liaison):
    update = ProgressUpdateFactory(activity=world.activity, author=world.liaison)
    response = as_liaison.patch(
        f"{API}/updates/{update.pk}/",
        {"period_end": "2017-01-31"},
        format="json",
        HTTP_IF_MATCH='"v1"',
    )
    assert response.status_code == 422
    assert response.json() == {"period_end": [f"{PERIOD}."]}
    update.refresh_from_db()
    assert (update.period_end, update.version) == (dt.date(2016, 6, 30), 1)


# --- milestones -----------------------------------------------------------------------------------


def test_a_milestone_due_outside_the_period_needs_confirming(world, as_liaison):
    body = {"title": "Follow-up meeting", "due_date": "2017-02-15"}
    refused = as_liaison.post(activity_url(world, "milestones/"), body, format="json")
    assert refused.status_code == 422
    assert refused.json() == {
        "due_date": [f"{PERIOD}, or confirm that this milestone is due outside it."]
    }
    assert not Milestone.objects.exists()

    confirmed = as_liaison.post(
        activity_url(world, "milestones/"),
        {**body, "outside_period_confirmed": True},
        format="json",
    )
    assert confirmed.status_code == 201, confirmed.json()
    assert confirmed.json()["outside_period_confirmed"] is True
    assert Milestone.objects.get().due_date == dt.date(2017, 2, 15)


def test_a_milestone_reports_a_missing_title_and_its_due_date_at_once(world, as_liaison):
    response = as_liaison.post(
        activity_url(world, "milestones/"), {"due_date": "2015-06-30"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"title", "due_date"}
    assert response.json()["due_date"][0].startswith(PERIOD)


def test_moving_a_milestone_outside_the_period_is_refused(world, as_liaison):
    milestone = MilestoneFactory(activity=world.activity)
    response = as_liaison.patch(
        f"{API}/milestones/{milestone.pk}/",
        {"due_date": "2018-01-01", "weight": 0},
        format="json",
        HTTP_IF_MATCH='"v1"',
    )
    assert response.status_code == 400
    assert set(response.json()) == {"weight", "due_date"}
    milestone.refresh_from_db()
    assert milestone.due_date == dt.date(2016, 6, 30)


# --- indicators -----------------------------------------------------------------------------------


def indicator_body(**overrides):
    body = {
        "name": "Officers trained",
        "unit": "officers",
        "kind": "count",
        "baseline": "0",
        "baseline_date": "2016-01-01",
        "target": "120",
        "target_date": "2016-12-31",
        "direction": "increase",
    }
    body.update(overrides)
    return body


def test_an_indicator_of_a_kind_keeps_its_values_to_it(world, as_liaison):
    url = activity_url(world, "indicators/")
    negative = as_liaison.post(url, indicator_body(baseline="-3"), format="json")
    assert negative.status_code == 422
    assert negative.json() == {"baseline": ["A count is a whole number, 0 or more."]}

    percent = as_liaison.post(
        url, indicator_body(kind="percentage", baseline="10", target="150"), format="json"
    )
    assert percent.status_code == 422
    assert percent.json() == {"target": ["A percentage lies from 0 to 100."]}
    assert not Indicator.objects.exists()

    created = as_liaison.post(url, indicator_body(), format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["kind"] == "count"


def test_an_indicator_reports_schema_and_kind_errors_at_once(world, as_liaison):
    response = as_liaison.post(
        activity_url(world, "indicators/"),
        indicator_body(
            name="", kind="percentage", baseline="-1", target="90", target_date="2015-01-01"
        ),
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"name", "baseline", "target_date"}
    assert body["baseline"] == ["A percentage lies from 0 to 100."]
    assert body["target_date"] == [
        "The target date must be after the baseline date: choose a date after 1 Jan 2016."
    ]


def test_a_measurement_keeps_to_its_indicators_kind(world, as_liaison):
    indicator = IndicatorFactory(activity=world.activity, kind=Indicator.Kind.COUNT)
    url = f"{API}/indicators/{indicator.pk}/measurements/"
    response = as_liaison.post(url, {"measured_on": "2016-06-30", "value": "28.98"}, format="json")
    assert response.status_code == 422
    assert response.json() == {"value": ["A count is a whole number, 0 or more."]}
    both = as_liaison.post(url, {"measured_on": "30/06/2016", "value": "-1"}, format="json")
    assert both.status_code == 400
    assert set(both.json()) == {"measured_on", "value"}
    assert not Measurement.objects.exists()
    ok = as_liaison.post(url, {"measured_on": "2016-06-30", "value": "29"}, format="json")
    assert ok.status_code == 201


# --- activities: every error at once, currencies --------------------------------------------------


def test_a_create_reports_schema_errors_with_the_rules_of_the_valid_fields(world, as_manager):
    response = as_manager.post(
        f"{API}/activities/",
        {
            "matrix": world.matrix.pk,
            "code": "T-09",
            "title": "x",
            "thematic_area": "terrorism",
            "cooperation_type": "joint",
            "horizon": "someday",
            "start_date": "2016-06-01",
            "end_date": "2016-03-01",
            "participations": [
                {"organization": "INTERPOL", "role": "partner"},
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"horizon", "end_date", "participations"}
    assert body["end_date"] == ["The end date must be after the start date, 1 Jun 2016."]
    assert body["participations"] == ["An activity needs exactly one lead organization."]
    assert not Activity.objects.filter(code="T-09").exists()


def test_a_lower_case_currency_is_stored_upper_case(world, as_manager, as_liaison):
    response = as_manager.post(
        f"{API}/activities/",
        {
            "matrix": world.matrix.pk,
            "code": "T-10",
            "title": "Container control",
            "thematic_area": "terrorism",
            "cooperation_type": "joint",
            "horizon": "current",
            "currency": "eur",
            "participations": [{"organization": "INTERPOL", "role": "lead"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["currency"] == "EUR"
    patched = as_liaison.patch(
        activity_url(world), {"currency": "chf"}, format="json", HTTP_IF_MATCH='"v1"'
    )
    assert patched.status_code == 200
    assert patched.json()["currency"] == "CHF"


# --- PATCH that changes nothing, If-Match: * ------------------------------------------------------


def test_a_patch_that_changes_nothing_keeps_version_and_etag(world, as_liaison):
    before = as_liaison.get(activity_url(world))
    same = {
        "title": world.activity.title,
        "start_date": "2016-01-01",
        "budget_required": "100000",
        "currency": "usd",
        "participations": [{"organization": "INTERPOL", "role": "lead"}],
    }
    response = as_liaison.patch(
        activity_url(world), same, format="json", HTTP_IF_MATCH=before["ETag"]
    )
    assert response.status_code == 200
    assert response["ETag"] == before["ETag"] == '"v1"'
    assert response.json()["version"] == 1
    assert world.activity.history.count() == 1  # the creation only
    # A change still moves it on.
    changed = as_liaison.patch(
        activity_url(world), {"title": "New"}, format="json", HTTP_IF_MATCH='"v1"'
    )
    assert changed["ETag"] == '"v2"'


def test_a_noop_patch_with_a_stale_version_is_still_412(world, as_liaison):
    as_liaison.patch(activity_url(world), {"title": "New"}, format="json", HTTP_IF_MATCH='"v1"')
    response = as_liaison.patch(
        activity_url(world), {"title": "New"}, format="json", HTTP_IF_MATCH='"v1"'
    )
    assert response.status_code == 412


def test_noop_patches_of_milestones_and_updates_keep_their_etag(world, as_liaison):
    milestone = MilestoneFactory(activity=world.activity)
    response = as_liaison.patch(
        f"{API}/milestones/{milestone.pk}/",
        {"due_date": "2016-06-30", "weight": 1},
        format="json",
        HTTP_IF_MATCH='"v1"',
    )
    assert (response.status_code, response["ETag"]) == (200, '"v1"')
    update = ProgressUpdateFactory(activity=world.activity, author=world.liaison)
    response = as_liaison.patch(
        f"{API}/updates/{update.pk}/",
        {"percent_complete": 50, "narrative": update.narrative},
        format="json",
        HTTP_IF_MATCH='"v1"',
    )
    assert (response.status_code, response["ETag"]) == (200, '"v1"')


def test_if_match_star_edits_whatever_version_is_current(world, as_liaison):
    as_liaison.patch(activity_url(world), {"title": "v2"}, format="json", HTTP_IF_MATCH='"v1"')
    response = as_liaison.patch(
        activity_url(world), {"title": "v3"}, format="json", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 200, response.json()
    assert response["ETag"] == '"v3"'
    milestone = MilestoneFactory(activity=world.activity)
    response = as_liaison.patch(
        f"{API}/milestones/{milestone.pk}/", {"weight": 3}, format="json", HTTP_IF_MATCH="*"
    )
    assert (response.status_code, response.json()["weight"]) == (200, 3)


def test_if_match_star_on_a_record_that_does_not_exist_is_404(world, as_manager):
    response = as_manager.patch(
        f"{API}/milestones/999999/", {"weight": 3}, format="json", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 404


def test_a_milestone_stored_outside_the_period_can_still_be_completed(world, as_liaison):
    """Written before the rule (or imported): an edit that leaves its date alone goes through;
    moving it is checked."""
    legacy = MilestoneFactory(activity=world.activity, due_date=dt.date(2017, 3, 1))
    url = f"{API}/milestones/{legacy.pk}/"
    done = as_liaison.patch(
        url, {"completed_on": "2016-12-20"}, format="json", HTTP_IF_MATCH='"v1"'
    )
    assert done.status_code == 200, done.json()
    moved = as_liaison.patch(url, {"due_date": "2017-04-01"}, format="json", HTTP_IF_MATCH="*")
    assert moved.status_code == 422
