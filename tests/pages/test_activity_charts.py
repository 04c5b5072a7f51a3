"""The indicator chart's geometry and text (a pure function: plain objects in, numbers out)."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from activities.charts import HEIGHT, WIDTH, expected_value, indicator_chart


def indicator(**kwargs):
    values = {
        "name": "Officers trained",
        "unit": "officers",
        "baseline": Decimal("0"),
        "baseline_date": dt.date(2016, 1, 1),
        "target": Decimal("100"),
        "target_date": dt.date(2016, 12, 31),
    }
    values.update(kwargs)
    return SimpleNamespace(**values)


def value(on: dt.date, amount: str):
    return SimpleNamespace(measured_on=on, value=Decimal(amount))


def test_the_trajectory_runs_from_baseline_bottom_left_to_target_top_right():
    chart = indicator_chart(indicator=indicator(), measurements=[])
    x1, y1, x2, y2 = chart.trajectory
    assert (x1, x2) == (chart.left, chart.right)
    assert (y1, y2) == (chart.bottom, chart.top)
    assert chart.points == ()
    assert chart.summary.endswith("No value recorded yet.")


def test_a_decreasing_indicator_runs_downwards():
    chart = indicator_chart(
        indicator=indicator(baseline=Decimal("80"), target=Decimal("20")), measurements=[]
    )
    _, y1, _, y2 = chart.trajectory
    assert y1 == chart.top and y2 == chart.bottom


def test_values_are_plotted_in_date_order_from_the_baseline():
    chart = indicator_chart(
        indicator=indicator(),
        measurements=[value(dt.date(2016, 9, 30), "70"), value(dt.date(2016, 3, 31), "20")],
    )
    assert [p.label for p in chart.points] == ["2016-03-31: 20 officers", "2016-09-30: 70 officers"]
    xs = [p.x for p in chart.points]
    assert xs == sorted(xs)
    assert chart.line.startswith(f"{float(chart.left)},{float(chart.bottom)} ")
    assert all(chart.top <= p.y <= chart.bottom for p in chart.points)
    assert "Latest value 70 officers on 2016-09-30" in chart.summary


def test_a_value_beyond_the_target_widens_the_scale():
    chart = indicator_chart(indicator=indicator(), measurements=[value(dt.date(2016, 6, 1), "150")])
    assert chart.points[0].y == chart.top
    assert chart.y_ticks[-1].label == "150"
    assert chart.trajectory[3] - chart.top > 0  # the target now sits below the top


def test_a_value_after_the_target_date_widens_the_time_axis():
    chart = indicator_chart(indicator=indicator(), measurements=[value(dt.date(2017, 6, 30), "90")])
    assert chart.points[0].x == chart.right
    assert chart.trajectory[2] < chart.right
    assert chart.x_ticks[-1].label == "2017-06-30"


def test_the_chart_fits_its_box():
    chart = indicator_chart(indicator=indicator(), measurements=[value(dt.date(2016, 6, 1), "5")])
    assert (chart.width, chart.height) == (WIDTH, HEIGHT)
    assert 0 < chart.left < chart.right <= WIDTH
    assert 0 < chart.top < chart.bottom <= HEIGHT


def test_expected_value_follows_the_straight_line_and_is_clamped():
    i = indicator(baseline_date=dt.date(2016, 1, 1), target_date=dt.date(2016, 1, 11))
    assert expected_value(i, dt.date(2016, 1, 6)) == Decimal("50")
    assert expected_value(i, dt.date(2015, 1, 1)) == Decimal("0")
    assert expected_value(i, dt.date(2017, 1, 1)) == Decimal("100")


def test_a_counted_indicator_says_its_expected_value_in_whole_units():
    cases = indicator(name="Cases referred", unit="cases", target=Decimal("50"))
    chart = indicator_chart(indicator=cases, measurements=[value(dt.date(2016, 7, 19), "20")])
    # 200 of 365 days along 0 → 50: 27.4 expected, said as a count.
    assert "Latest value 20 cases on 2016-07-19, against 27 cases expected by then." in (
        chart.summary
    )
    assert "28.98" not in chart.summary and "27.4" not in chart.summary


def test_an_indicator_with_fractions_keeps_two_decimals():
    funds = indicator(name="Funds", unit="USD million", target=Decimal("2.5"))
    chart = indicator_chart(indicator=funds, measurements=[value(dt.date(2016, 7, 1), "0.75")])
    assert "Latest value 0.75 USD million" in chart.summary
    assert "1.25 USD million expected by then" in chart.summary


def test_quantity_rounds_only_what_is_counted():
    from activities.charts import quantity

    assert quantity(Decimal("28.98"), "cases", whole=True) == "29 cases"
    assert quantity(Decimal("28.98"), "%", whole=False) == "28.98 %"
    assert quantity(Decimal("3"), "", whole=True) == "3"
