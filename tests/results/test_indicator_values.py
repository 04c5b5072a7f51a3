"""Result indicators' values on a date (results.rules), pure."""

import datetime as dt
from decimal import Decimal

import pytest

from results.rules import Point, indicator_value, parent_problem, shares_problem

JAN, MAR, JUN = dt.date(2016, 1, 31), dt.date(2016, 3, 31), dt.date(2016, 6, 30)


def series(*pairs):
    return [Point(on, Decimal(value)) for on, value in pairs]


SOURCES = [series((JAN, "10"), (JUN, "30")), series((MAR, "20")), series()]


def test_sum_adds_each_sources_latest_value_known_on_the_date():
    value = indicator_value(method="sum", sources=SOURCES, as_of=JUN)
    assert value.value == Decimal("50")
    assert value.measured_on == JUN
    assert (value.reported, value.expected, value.complete) == (2, 3, False)
    # In April the June value was not yet known.
    assert indicator_value(method="sum", sources=SOURCES, as_of=dt.date(2016, 4, 1)).value == 30


def test_average_leaves_out_sources_without_a_value():
    assert indicator_value(method="average", sources=SOURCES, as_of=JUN).value == Decimal("25")


def test_latest_takes_the_newest_value_of_any_source():
    value = indicator_value(method="latest", sources=SOURCES, as_of=dt.date(2016, 5, 1))
    assert (value.value, value.measured_on) == (Decimal("20"), MAR)


def test_measured_reads_its_own_values():
    own = series((JAN, "5"), (JUN, "7"))
    assert indicator_value(method="measured", own=own, as_of=MAR).value == Decimal("5")


def test_nothing_known_yet_is_none():
    assert indicator_value(method="sum", sources=SOURCES, as_of=dt.date(2016, 1, 1)) is None
    assert indicator_value(method="measured", own=[], as_of=JUN) is None


def test_unknown_method_is_refused():
    with pytest.raises(ValueError):
        indicator_value(method="median", sources=SOURCES, as_of=JUN)


def test_parents_by_level():
    assert parent_problem(level="objective", parent_level=None, same_plan=True) is None
    assert parent_problem(level="outcome", parent_level="objective", same_plan=True) is None
    assert parent_problem(level="output", parent_level="objective", same_plan=True) == (
        "An output belongs to an outcome, not to an objective."
    )
    assert "another plan" in parent_problem(level="output", parent_level="outcome", same_plan=False)
    assert parent_problem(level="outcome", parent_level=None, same_plan=True)


def test_an_activitys_shares_add_up_to_at_most_100():
    assert shares_problem(shares=[Decimal("60"), Decimal("40")]) is None
    assert "100.5 %" in shares_problem(shares=[Decimal("60"), Decimal("40.5")])
