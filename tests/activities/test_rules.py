"""The plausibility rules of activities.rules, as pure functions: no database."""

import datetime as dt
from decimal import Decimal

import pytest

from activities import rules
from activities.rules import IndicatorKind

FEB, DEC = dt.date(2016, 2, 1), dt.date(2016, 12, 31)


def test_a_date_reads_as_people_write_it():
    assert rules.day(dt.date(2016, 2, 1)) == "1 Feb 2016"


@pytest.mark.parametrize(
    ("period_end", "ok"),
    [
        (dt.date(2016, 2, 1), True),
        (dt.date(2016, 12, 31), True),
        (dt.date(2016, 1, 31), False),
        (dt.date(2017, 1, 1), False),
    ],
)
def test_an_update_period_ends_inside_the_activity_period(period_end, ok):
    errors = rules.update_period_errors(period_end=period_end, activity_start=FEB, activity_end=DEC)
    if ok:
        assert errors == {}
    else:
        assert errors == {
            "period_end": ["Choose a date from 1 Feb 2016 to 31 Dec 2016, the activity's period."]
        }


def test_an_activity_without_dates_takes_any_update_period():
    assert (
        rules.update_period_errors(
            period_end=dt.date(1999, 1, 1), activity_start=None, activity_end=None
        )
        == {}
    )


def test_an_open_ended_activity_names_the_side_it_has():
    errors = rules.update_period_errors(
        period_end=dt.date(2016, 1, 1), activity_start=FEB, activity_end=None
    )
    assert errors == {"period_end": ["Choose a date on or after 1 Feb 2016, the activity's start."]}


def test_a_milestone_outside_the_period_needs_the_officers_confirmation():
    outside = dt.date(2017, 3, 1)
    errors = rules.milestone_due_errors(due_date=outside, activity_start=FEB, activity_end=DEC)
    assert errors == {
        "due_date": [
            "Choose a date from 1 Feb 2016 to 31 Dec 2016, the activity's period, or confirm "
            "that this milestone is due outside it."
        ]
    }
    assert rules.milestone_needs_confirmation(
        due_date=outside, activity_start=FEB, activity_end=DEC
    )
    confirmed = rules.milestone_due_errors(
        due_date=outside, activity_start=FEB, activity_end=DEC, outside_period_confirmed=True
    )
    assert confirmed == {}


def test_a_milestone_inside_the_period_needs_no_confirmation():
    inside = dt.date(2016, 6, 30)
    assert rules.milestone_due_errors(due_date=inside, activity_start=FEB, activity_end=DEC) == {}
    assert not rules.milestone_needs_confirmation(
        due_date=inside, activity_start=FEB, activity_end=DEC
    )


@pytest.mark.parametrize(
    ("kind", "value", "ok"),
    [
        (IndicatorKind.COUNT, Decimal("0"), True),
        (IndicatorKind.COUNT, Decimal("29.00"), True),
        (IndicatorKind.COUNT, Decimal("-1"), False),
        (IndicatorKind.COUNT, Decimal("28.98"), False),
        (IndicatorKind.PERCENTAGE, Decimal("0"), True),
        (IndicatorKind.PERCENTAGE, Decimal("100"), True),
        (IndicatorKind.PERCENTAGE, Decimal("37.5"), True),
        (IndicatorKind.PERCENTAGE, Decimal("100.01"), False),
        (IndicatorKind.PERCENTAGE, Decimal("-0.5"), False),
        (IndicatorKind.NUMBER, Decimal("-12345.67"), True),
    ],
)
def test_an_indicator_value_keeps_to_its_kind(kind, value, ok):
    assert (rules.value_errors(kind, value) == []) is ok


def test_every_value_of_an_indicator_is_checked_at_once():
    errors = rules.indicator_value_errors(
        kind=IndicatorKind.PERCENTAGE,
        values={"baseline": Decimal("-5"), "target": Decimal("150"), "value": None},
    )
    assert errors == {
        "baseline": ["A percentage lies from 0 to 100."],
        "target": ["A percentage lies from 0 to 100."],
    }


def test_an_activity_ends_after_it_starts_and_says_when_it_starts():
    assert rules.activity_period_errors(start_date=FEB, end_date=FEB) == {
        "end_date": ["The end date must be after the start date, 1 Feb 2016."]
    }
    assert rules.activity_period_errors(start_date=FEB, end_date=DEC) == {}
    assert rules.activity_period_errors(start_date=None, end_date=DEC) == {}


@pytest.mark.parametrize(("typed", "stored"), [("usd", "USD"), (" eur ", "EUR"), ("Chf", "CHF")])
def test_a_currency_code_is_upper_case_whatever_was_typed(typed, stored):
    assert rules.normalise_currency(typed) == stored
    assert rules.currency_errors(typed) == {}


@pytest.mark.parametrize("typed", ["US", "US1", "", None, "dollars"])
def test_a_currency_code_is_three_letters(typed):
    assert rules.currency_errors(typed) == {
        "currency": ["Use a three-letter ISO 4217 currency code, e.g. USD."]
    }


def test_merging_keeps_every_message_once():
    merged = rules.merge({"a": ["x"]}, {"a": ["x", "y"], "b": ["z"]})
    assert merged == {"a": ["x", "y"], "b": ["z"]}


def test_funding_needs_a_positive_amount_in_an_iso_currency():
    from activities.rules import funding_errors

    assert funding_errors({"amount": Decimal("1"), "currency": "usd"}) == {}
    assert set(funding_errors({"amount": Decimal("0"), "currency": "US"})) == {"amount", "currency"}


def test_a_ranking_gives_each_rank_once_from_one():
    from activities.rules import ranking_errors

    assert ranking_errors([1, 2, 3]) == []
    assert ranking_errors([2, 2, 0, 0]) == [
        "A rank is 1 or more.",
        "Each rank is given once; given more than once: 0, 2.",
    ]
