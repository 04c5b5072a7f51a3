"""Recording values by category, and targets by category (activities.services)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from activities import services
from activities.models import CategoryTarget, Dimension, Measurement, MeasurementValue
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sex():
    return Dimension.objects.get(code="sex")


@pytest.fixture
def indicator(sex):
    indicator = IndicatorFactory(kind="count", target=Decimal("100"))
    services.declare_dimensions(actor=None, indicator=indicator, dimensions=[sex])
    return indicator


def category(sex, code):
    return sex.categories.get(code=code).pk


def test_a_value_by_category_is_stored_with_the_total(indicator, sex):
    measurement = services.record_measurement(
        actor=None,
        indicator=indicator,
        measured_on=dt.date(2016, 6, 30),
        value=Decimal("50"),
        breakdown={category(sex, "female"): Decimal("20"), category(sex, "male"): Decimal("30")},
    )
    assert dict(measurement.breakdown.values_list("category__code", "value")) == {
        "female": Decimal("20"),
        "male": Decimal("30"),
    }


def test_an_inconsistent_total_is_refused_with_every_error_and_nothing_stored(indicator, sex):
    with pytest.raises(ValidationError) as caught:
        services.record_measurement(
            actor=None,
            indicator=indicator,
            measured_on=dt.date(2016, 6, 30),
            value=Decimal("50.5"),  # not whole, for a count
            breakdown={
                category(sex, "female"): Decimal("20"),
                category(sex, "male"): Decimal("25"),
            },
        )
    errors = caught.value.message_dict
    assert errors["breakdown"] == ["The categories of Sex add up to 45, not the total 50.5."]
    assert "value" in errors
    assert not Measurement.objects.exists() and not MeasurementValue.objects.exists()


def test_an_indicator_without_dimensions_takes_no_categories(sex):
    plain = IndicatorFactory()
    with pytest.raises(ValidationError) as caught:
        services.record_measurement(
            actor=None,
            indicator=plain,
            measured_on=dt.date(2016, 6, 30),
            value=Decimal("5"),
            breakdown={category(sex, "female"): Decimal("5")},
        )
    assert "declares no dimensions" in caught.value.message_dict["breakdown"][-1]


def test_targets_by_category_add_up_to_the_target(indicator, sex):
    with pytest.raises(ValidationError) as caught:
        services.set_category_targets(
            actor=None,
            indicator=indicator,
            targets={category(sex, "female"): Decimal("40"), category(sex, "male"): Decimal("40")},
        )
    assert caught.value.message_dict["targets"] == [
        "The categories of Sex add up to 80, not the target 100."
    ]
    services.set_category_targets(
        actor=None, indicator=indicator, targets={category(sex, "female"): Decimal("50")}
    )
    services.set_category_targets(
        actor=None,
        indicator=indicator,
        targets={category(sex, "female"): Decimal("40"), category(sex, "male"): Decimal("60")},
    )
    assert CategoryTarget.objects.filter(indicator=indicator).count() == 2
