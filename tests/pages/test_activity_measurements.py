"""Recording an indicator's value from the activity page."""

import datetime as dt
from decimal import Decimal

import pytest

from activities.models import Measurement
from tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    MeasurementFactory,
    liaison_for,
    make_user,
)
from tests.support.forms import form_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator():
    return IndicatorFactory(activity=ActivityFactory(), name="Officers trained")


@pytest.fixture
def liaison(indicator):
    return liaison_for(indicator.activity, username="liaison")


def url(indicator) -> str:
    return f"/activities/{indicator.activity_id}/indicators/{indicator.pk}/measurements/new/"


def test_the_form_shows_the_indicator_and_its_values(client, indicator, liaison):
    MeasurementFactory(indicator=indicator, measured_on=dt.date(2016, 3, 31), value=Decimal("12"))
    client.force_login(liaison)
    body = client.get(url(indicator)).content.decode()
    assert "Record a value of “Officers trained”" in body
    assert "31 Mar 2016" in body


def test_a_liaison_officer_records_a_value(client, indicator, liaison):
    client.force_login(liaison)
    token = form_token(client, url(indicator))
    response = client.post(
        url(indicator),
        {"measured_on": "2016-06-30", "value": "48.5", "note": "Two courses", "token": token},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/activities/{indicator.activity_id}/"
    measurement = Measurement.objects.get(indicator=indicator)
    assert measurement.value == Decimal("48.5")
    assert measurement.recorded_by == liaison


def test_a_second_value_on_the_same_day_is_refused_beside_the_date(client, indicator, liaison):
    MeasurementFactory(indicator=indicator, measured_on=dt.date(2016, 6, 30))
    client.force_login(liaison)
    token = form_token(client, url(indicator))
    response = client.post(
        url(indicator), {"measured_on": "2016-06-30", "value": "60", "token": token}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        '<p class="error" id="id_measured_on_error">A value is already recorded for this '
        "indicator on this day.</p>"
    ) in body
    assert 'value="60"' in body
    assert Measurement.objects.count() == 1


def test_a_value_that_is_not_a_number_is_refused(client, indicator, liaison):
    client.force_login(liaison)
    body = client.post(url(indicator), {"measured_on": "2016-06-30", "value": "many"}).content
    assert "Enter a number." in body.decode()
    assert not Measurement.objects.exists()


def test_an_indicator_of_another_activity_is_not_found(client, indicator, liaison):
    other = IndicatorFactory()
    client.force_login(liaison)
    wrong = f"/activities/{indicator.activity_id}/indicators/{other.pk}/measurements/new/"
    assert client.get(wrong).status_code == 404


@pytest.mark.parametrize("role", ["viewer", "liaison_officer"])
def test_others_are_refused_with_403(client, indicator, liaison, role):
    client.force_login(make_user(role=role, username="outsider"))
    assert client.get(url(indicator)).status_code == 403
    response = client.post(url(indicator), {"measured_on": "2016-06-30", "value": "1"})
    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_the_form_query_count_does_not_grow_with_the_values(
    client, indicator, liaison, django_assert_num_queries
):
    """session, user; the activity and its participations; the profile (permission check); the
    indicator; its dimensions' categories (the fields by category); the profile (header); its
    values with who recorded them: 9, for 1 or 20 values."""
    client.force_login(liaison)
    MeasurementFactory(indicator=indicator, recorded_by=liaison)
    with django_assert_num_queries(9):
        client.get(url(indicator))
    for day in range(1, 20):
        MeasurementFactory(
            indicator=indicator, measured_on=dt.date(2016, 1, day), recorded_by=liaison
        )
    with django_assert_num_queries(9):
        client.get(url(indicator))
