"""Values by category over the API: recorded with a measurement (an inconsistent total refused
with its message, nothing written), and read back with their sums and completeness."""

import datetime as dt
from decimal import Decimal

import pytest

from activities import services
from activities.models import Dimension, Measurement
from tests.factories import IndicatorFactory

API = "/api/v1"


@pytest.fixture
def sex(db):
    return Dimension.objects.get(code="sex")


@pytest.fixture
def indicator(world, sex):
    indicator = IndicatorFactory(activity=world.activity, kind="count", target=Decimal("100"))
    services.declare_dimensions(actor=None, indicator=indicator, dimensions=[sex])
    return indicator


def ids(sex):
    return {c.code: c.pk for c in sex.categories.all()}


def post(client, indicator, value, breakdown):
    return client.post(
        f"{API}/indicators/{indicator.pk}/measurements/",
        {
            "measured_on": "2016-06-30",
            "value": value,
            "breakdown": [{"category": c, "value": v} for c, v in breakdown.items()],
        },
        format="json",
    )


def test_an_inconsistent_total_is_refused_with_its_message(as_liaison, indicator, sex):
    c = ids(sex)
    response = post(as_liaison, indicator, "50", {c["female"]: "20", c["male"]: "25"})
    assert response.status_code == 422
    assert response.json()["breakdown"] == ["The categories of Sex add up to 45, not the total 50."]
    assert not Measurement.objects.exists()


def test_a_repeated_category_is_refused(as_liaison, indicator, sex):
    c = ids(sex)
    response = as_liaison.post(
        f"{API}/indicators/{indicator.pk}/measurements/",
        {
            "measured_on": "2016-06-30",
            "value": "5",
            "breakdown": [
                {"category": c["male"], "value": "2"},
                {"category": c["male"], "value": "3"},
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "breakdown" in response.json()


def test_a_measurement_by_category_is_recorded_and_read_back(as_liaison, as_viewer, indicator, sex):
    c = ids(sex)
    response = post(as_liaison, indicator, "50", {c["female"]: "20", c["male"]: "30"})
    assert response.status_code == 201
    assert response.json()["breakdown"] == [
        {"category": c["female"], "value": "20.00"},
        {"category": c["male"], "value": "30.00"},
    ]
    services.record_measurement(
        actor=None,
        indicator=indicator,
        measured_on=dt.date(2016, 9, 30),
        value=Decimal("70"),
        breakdown={c["female"]: Decimal("30")},
    )
    body = as_viewer.get(f"{API}/indicators/{indicator.pk}/breakdown/").json()
    first, second = body["measurements"]
    assert first["dimensions"][0]["state"] == "complete"
    assert first["dimensions"][0]["sum"] == "50.00"
    assert second["dimensions"][0]["state"] == "not all categories reported"
    assert [x["value"] for x in second["dimensions"][0]["categories"]] == ["30.00", None]
    assert body["target"][0]["state"] == "none reported"


@pytest.mark.parametrize("values", [1, 12])
def test_the_breakdown_costs_six_queries_however_many_values(
    as_viewer, indicator, sex, values, django_assert_num_queries
):
    for day in range(1, values + 1):
        services.record_measurement(
            actor=None,
            indicator=indicator,
            measured_on=dt.date(2016, 1, day),
            value=Decimal("4"),
            breakdown={ids(sex)["female"]: Decimal("1")},
        )
    # the token with its user; the caller's profile (whose organization decides whether they see
    # the activity's indicators); the indicator (its activity's tiers in the same query); its
    # dimensions with their categories; its category targets; its measurements; their values
    with django_assert_num_queries(7):
        response = as_viewer.get(f"{API}/indicators/{indicator.pk}/breakdown/")
    assert len(response.json()["measurements"]) == values
