"""Plausible input through the pages (issue 15): every error at once, the period to choose
from, the confirmation offered only when needed, and one-time form tokens."""

import datetime as dt
import re

import pytest

from activities.models import FormSubmission, Measurement, Milestone, ProgressUpdate
from tests.factories import ActivityFactory, IndicatorFactory, liaison_for
from tests.support.forms import form_token

pytestmark = pytest.mark.django_db

PERIOD = "Choose a date from 1 Feb 2016 to 31 Dec 2016, the activity&#x27;s period"


@pytest.fixture
def activity():
    return ActivityFactory(start_date=dt.date(2016, 2, 1), end_date=dt.date(2016, 12, 31))


@pytest.fixture
def liaison(activity, client):
    user = liaison_for(activity, username="liaison")
    client.force_login(user)
    return user


def milestone_url(activity):
    return f"/activities/{activity.pk}/milestones/new/"


def update_url(activity):
    return f"/activities/{activity.pk}/updates/new/"


def test_an_update_shows_its_field_errors_and_its_period_together(client, activity, liaison):
    url = update_url(activity)
    response = client.post(
        url,
        {
            "token": form_token(client, url),
            "period_end": "2017-01-31",
            "percent_complete": "150",
            "narrative": "",
            "action": "submit",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'<p class="error" id="id_period_end_error">{PERIOD}.</p>' in body
    assert 'id="id_percent_complete_error"' in body
    assert 'id="id_narrative_error"' in body
    assert not ProgressUpdate.objects.exists()


def test_the_milestone_confirmation_is_offered_only_when_the_date_is_outside(
    client, activity, liaison
):
    url = milestone_url(activity)
    blank = client.get(url).content.decode()
    assert 'type="checkbox" name="outside_period_confirmed"' not in blank

    token = form_token(client, url)
    data = {"token": token, "title": "Follow-up", "due_date": "2017-02-15", "weight": "1"}
    refused = client.post(url, data).content.decode()
    assert f"{PERIOD}, or confirm that this milestone is due outside it." in refused
    assert 'type="checkbox" name="outside_period_confirmed"' in refused
    assert not Milestone.objects.exists()

    # The same form (same token: nothing was saved), now confirmed.
    response = client.post(url, {**data, "outside_period_confirmed": "on"})
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    assert milestone.outside_period_confirmed and milestone.due_date == dt.date(2017, 2, 15)


def test_a_milestone_shows_a_bad_weight_and_the_date_rule_together(client, activity, liaison):
    url = milestone_url(activity)
    body = client.post(
        url,
        {"token": form_token(client, url), "title": "", "due_date": "2016-01-15", "weight": "0"},
    ).content.decode()
    assert 'id="id_title_error"' in body and 'id="id_weight_error"' in body
    assert f"{PERIOD}, or confirm" in body


def test_an_activity_edit_shows_a_bad_budget_and_end_before_start_together(
    client, activity, liaison
):
    response = client.post(
        f"/activities/{activity.pk}/edit/",
        {
            "version": 1,
            "title": activity.title,
            "thematic_area": activity.thematic_area_id,
            "cooperation_type": "joint",
            "horizon": "current",
            "lifecycle": "implementation",
            "start_date": "2016-06-01",
            "end_date": "2016-03-01",
            "budget_required": "-5",
            "currency": "usd",
        },
    )
    body = response.content.decode()
    assert 'id="id_budget_required_error"' in body
    assert "The end date must be after the start date, 1 Jun 2016." in body


def test_back_and_save_again_creates_one_milestone_and_says_so(client, activity, liaison):
    url = milestone_url(activity)
    data = {"token": form_token(client, url), "title": "Workshop", "due_date": "2016-05-02"}
    data["weight"] = "1"
    first = client.post(url, data)
    again = client.post(url, data, follow=True)
    assert first.status_code == 302
    assert Milestone.objects.count() == 1
    assert again.redirect_chain[-1][0] == f"/activities/{activity.pk}/"
    body = again.content.decode()
    assert re.search(r"This form was already saved on .+ \(milestone “Workshop”\)", body)
    assert "nothing was saved a second time" in body
    assert FormSubmission.objects.get().object_id == Milestone.objects.get().pk


def test_back_and_save_again_creates_one_progress_update(client, activity, liaison):
    url = update_url(activity)
    data = {
        "token": form_token(client, url),
        "period_end": "2016-09-30",
        "percent_complete": "60",
        "narrative": "Two workshops.",
        "action": "submit",
    }
    client.post(url, data)
    client.post(url, data)
    assert ProgressUpdate.objects.count() == 1


def test_back_and_save_again_records_one_measurement(client, activity, liaison):
    indicator = IndicatorFactory(activity=activity)
    url = f"/activities/{activity.pk}/indicators/{indicator.pk}/measurements/new/"
    data = {"token": form_token(client, url), "measured_on": "2016-06-30", "value": "12"}
    client.post(url, data)
    again = client.post(url, data, follow=True)
    assert Measurement.objects.count() == 1
    # Not "a value is already recorded on this day": the form says what happened.
    assert "already saved" in again.content.decode()


def test_each_page_hands_out_a_fresh_token(client, activity, liaison):
    url = milestone_url(activity)
    assert form_token(client, url) != form_token(client, url)


def test_a_create_form_without_its_token_is_refused(client, activity, liaison):
    body = client.post(
        milestone_url(activity), {"title": "x", "due_date": "2016-05-02", "weight": "1"}
    ).content.decode()
    assert "This form was not opened from its page; reload it and save again." in body
    assert not Milestone.objects.exists()
