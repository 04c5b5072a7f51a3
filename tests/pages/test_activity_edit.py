"""Editing an activity: who may, validation beside the fields, and a stale edit refused."""

import datetime as dt

import pytest

from activities import services
from activities.models import Activity
from tests.factories import ActivityFactory, liaison_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity():
    return ActivityFactory(code="E-01", title="Maritime security", currency="USD")


@pytest.fixture
def liaison(activity):
    return liaison_for(activity, username="liaison")


def url(activity) -> str:
    return f"/activities/{activity.pk}/edit/"


def form_data(activity, **changes) -> dict:
    data = {
        "version": activity.version,
        "title": activity.title,
        "description": activity.description,
        "thematic_area": activity.thematic_area_id,
        "cooperation_type": activity.cooperation_type,
        "horizon": activity.horizon,
        "lifecycle": activity.lifecycle,
        "start_date": activity.start_date.isoformat(),
        "end_date": activity.end_date.isoformat(),
        "budget_required": str(activity.budget_required),
        "currency": activity.currency,
    }
    data.update(changes)
    return data


def test_the_form_opens_with_the_current_values_and_version(client, activity, liaison):
    client.force_login(liaison)
    body = client.get(url(activity)).content.decode()
    assert 'value="Maritime security"' in body
    assert f'<input type="hidden" name="version" value="{activity.version}"' in body
    assert 'value="2016-01-01"' in body  # dates in the ISO form a date input reads


def test_a_participating_liaison_officer_saves_a_change(client, activity, liaison):
    client.force_login(liaison)
    response = client.post(
        url(activity), form_data(activity, title="Maritime and border security", currency="eur")
    )
    assert response.status_code == 302
    assert response["Location"] == f"/activities/{activity.pk}/"
    activity.refresh_from_db()
    assert activity.title == "Maritime and border security"
    assert activity.currency == "EUR"
    assert activity.version == 2
    # The change is recorded with its author.
    assert activity.history.first().history_user == liaison
    assert "Activity E-01 saved." in client.get(response["Location"]).content.decode()


def test_a_manager_may_edit_any_activity(client, activity):
    client.force_login(make_user(role="manager"))
    response = client.post(url(activity), form_data(activity, title="Renamed by a manager"))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Renamed by a manager"


def test_bad_input_is_reported_beside_the_field_and_kept(client, activity, liaison):
    client.force_login(liaison)
    response = client.post(
        url(activity),
        form_data(
            activity,
            title="Typed by the user",
            start_date="2016-06-01",
            end_date="2016-03-01",
            budget_required="-5",
        ),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in body
    assert "Ensure this value is greater than or equal to 0." in body
    assert 'value="Typed by the user"' in body and 'value="2016-03-01"' in body
    # Field errors point the field to their message.
    assert 'aria-describedby="id_budget_required_error"' in body
    activity.refresh_from_db()
    assert activity.title == "Maritime security"
    assert activity.version == 1


def test_a_rule_the_service_checks_is_reported_beside_its_field(client, activity, liaison):
    client.force_login(liaison)
    response = client.post(
        url(activity), form_data(activity, start_date="2016-06-01", end_date="2016-03-01")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        '<p class="error" id="id_end_date_error">'
        "The end date must be after the start date, 1 Jun 2016." in body
    )
    activity.refresh_from_db()
    assert activity.end_date == dt.date(2016, 12, 31)
    assert activity.version == 1


def test_a_stale_edit_is_refused_clearly_keeps_the_input_and_changes_nothing(
    client, activity, liaison
):
    opened = form_data(activity, title="My new title", description="My description")
    # Someone else saves first.
    services.update_activity(
        actor=None, activity=activity, version=1, changes={"title": "Their new title"}
    )
    client.force_login(liaison)
    response = client.post(url(activity), opened)
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this activity since you opened it." in body
    assert 'role="alert"' in body
    assert 'value="My new title"' in body and "My description" in body
    # Their value is shown beside the user's.
    assert "<td>Their new title</td><td>My new title</td>" in body
    # Saving again now is a deliberate overwrite from the current version.
    assert '<input type="hidden" name="version" value="2"' in body
    activity.refresh_from_db()
    assert activity.title == "Their new title"
    assert activity.description == ""
    assert activity.version == 2


def test_a_missing_version_is_refused(client, activity, liaison):
    client.force_login(liaison)
    data = form_data(activity, title="No version")
    del data["version"]
    body = client.post(url(activity), data).content.decode()
    assert "reload the page" in body
    assert Activity.objects.get(pk=activity.pk).title == "Maritime security"


@pytest.mark.parametrize("role", ["viewer", "liaison_officer"])
def test_others_are_refused_with_403_and_nothing_changes(client, activity, liaison, role):
    client.force_login(make_user(role=role, username="outsider"))
    assert client.get(url(activity)).status_code == 403
    response = client.post(url(activity), form_data(activity, title="Hijacked"))
    assert response.status_code == 403
    activity.refresh_from_db()
    assert activity.title == "Maritime security"
    assert activity.version == 1


def test_the_edit_form_query_count(client, activity, liaison, django_assert_num_queries):
    """session, user; the activity with matrix, plan and thematic area, its participations; the
    profile (permission check), the profile (header); thematic areas twice (the select's options,
    and Django's look at the first option to decide on the `required` attribute): 8."""
    client.force_login(liaison)
    with django_assert_num_queries(8):
        client.get(url(activity))


def test_fields_point_to_their_help_and_their_errors(client, activity, liaison):
    client.force_login(liaison)
    body = client.get(url(activity)).content.decode()
    assert 'aria-describedby="id_currency_help"' in body
    body = client.post(url(activity), form_data(activity, currency="dollars")).content.decode()
    assert 'aria-describedby="id_currency_error id_currency_help"' in body
    assert 'aria-invalid="true"' in body
