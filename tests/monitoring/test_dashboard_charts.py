"""The dashboard's SVG geometry: pure functions of numbers."""

import datetime as dt
import itertools
from decimal import Decimal

from monitoring import charts


def test_stacked_bars_share_one_scale_so_the_largest_total_fills_the_plot():
    chart = charts.stacked_bars(
        [("Terrorism", {"on_track": 2, "off_track": 2}), ("Cybercrime", {"at_risk": 1})],
        width=500,
        label_width=100,
    )
    plot_width = 500 - 100 - 48
    big, small = chart.bars
    assert [s.status for s in big.segments] == ["on_track", "off_track"]
    assert big.segments[0].x == 100
    assert big.segments[0].width == plot_width / 2
    assert big.segments[1].x == 100 + plot_width / 2
    assert sum(s.width for s in big.segments) == plot_width
    assert small.segments[0].width == plot_width / 4
    assert (big.total, small.total) == (4, 1)
    assert small.y == chart.bar_height + 10


def test_stacked_bars_leave_out_zero_counts_and_follow_the_status_order():
    chart = charts.stacked_bars([("Area", {"off_track": 1, "completed": 1, "at_risk": 0})])
    assert [s.status for s in chart.bars[0].segments] == ["completed", "off_track"]


def test_stacked_bars_of_nothing_draw_no_segment():
    chart = charts.stacked_bars([("Empty area", {})])
    assert chart.bars[0].segments == ()
    assert chart.bars[0].total == 0


def test_trend_spaces_dates_by_days_and_scales_to_a_round_top():
    points = [
        (dt.date(2016, 1, 31), {"on_track": 3, "at_risk": 1}),
        (dt.date(2016, 3, 31), {"on_track": 2, "at_risk": 7}),
        (dt.date(2016, 4, 30), {"on_track": 1, "at_risk": 5}),
    ]
    chart = charts.trend_lines(points, width=400, height=200)
    on_track = next(s for s in chart.series if s.status == "on_track")
    xs = [m.x for m in on_track.markers]
    assert xs[0] == chart.left and xs[-1] == chart.right
    # 60 of 90 days from the first date to the second.
    assert xs[1] == round(chart.left + (chart.right - chart.left) * 60 / 90, 2)
    # Largest count 7 → step 2 → top 8; the y ticks run 0, 2, 4, 6, 8.
    assert [t.label for t in chart.y_ticks] == ["0", "2", "4", "6", "8"]
    assert chart.y_ticks[0].position == chart.bottom
    assert chart.y_ticks[-1].position == chart.top
    assert [m.count for m in on_track.markers] == [3, 2, 1]
    assert on_track.points.startswith(f"{chart.left}.0,")


def test_trend_draws_no_line_for_a_status_zero_throughout():
    chart = charts.trend_lines([(dt.date(2016, 1, 31), {"on_track": 1, "suspended": 0})])
    assert [s.status for s in chart.series] == ["on_track"]
    # A single date sits in the middle.
    assert chart.series[0].markers[0].x == round(chart.left + (chart.right - chart.left) / 2, 2)


def test_monthly_points_keep_the_last_assessed_date_of_each_month_and_the_chosen_date():
    dates = [
        dt.date(2016, 1, 15),
        dt.date(2016, 1, 31),
        dt.date(2016, 2, 10),
        dt.date(2016, 2, 20),
        dt.date(2016, 3, 31),
    ]
    assert charts.monthly_points(dates, until=dt.date(2016, 2, 15)) == [
        dt.date(2016, 1, 31),
        dt.date(2016, 2, 15),
    ]
    assert charts.monthly_points(dates, until=dt.date(2016, 3, 31)) == [
        dt.date(2016, 1, 31),
        dt.date(2016, 2, 20),
        dt.date(2016, 3, 31),
    ]


def test_funding_bars_fill_the_secured_share_inside_the_requirement():
    chart = charts.funding_bars(
        [
            ("Terrorism", Decimal("100"), Decimal("60")),
            ("Cybercrime", Decimal("50"), Decimal("80")),  # over-funded
        ],
        width=416,
        label_width=100,
    )
    terrorism, cyber = chart.bars
    assert terrorism.required_width == 300  # the largest amount fills the plot
    assert terrorism.secured_width == 180
    # Secured beyond the requirement is drawn to the requirement's length only.
    assert cyber.required_width == cyber.secured_width == 150
    assert cyber.secured == Decimal("80")


def test_trend_labels_carry_the_year_on_the_first_date_and_where_it_changes():
    dates = [dt.date(2016, 10, 31), dt.date(2016, 11, 30), dt.date(2016, 12, 31)]
    dates += [dt.date(2017, 1, 31), dt.date(2017, 2, 28)]
    chart = charts.trend_lines([(on, {"on_track": 1}) for on in dates])
    assert [(t.label, t.year) for t in chart.x_ticks] == [
        ("31 Oct", "2016"),
        ("30 Nov", ""),
        ("31 Dec", ""),
        ("31 Jan", "2017"),
        ("28 Feb", ""),
    ]


def test_no_trend_label_is_cut_at_an_edge_or_overlaps_another():
    # Twelve month ends and a chosen day just after the last one: the tightest case.
    dates = [dt.date(2016, m, 28) for m in range(1, 13)] + [dt.date(2016, 12, 31)]
    chart = charts.trend_lines([(on, {"on_track": 1}) for on in dates])
    extents = []
    for tick in chart.x_ticks:
        span = max(len(tick.label), len(tick.year)) * charts.CHAR_WIDTH
        start = {"start": 0, "middle": span / 2, "end": span}[tick.anchor]
        extents.append((tick.position - start, tick.position - start + span))
    assert all(left >= 0 and right <= chart.width for left, right in extents)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(extents))
    assert chart.x_ticks[-1].label == "31 Dec"  # the date the chart is drawn up to
    assert chart.x_ticks[0].year == "2016"


def test_a_single_date_is_labelled_in_the_middle_with_its_year():
    chart = charts.trend_lines([(dt.date(2016, 12, 31), {"on_track": 4})])
    (tick,) = chart.x_ticks
    assert (tick.label, tick.year, tick.anchor) == ("31 Dec", "2016", "middle")


def test_a_label_at_an_edge_is_anchored_inward():
    assert charts.anchor_inside(5, "31 Jan", width=720) == "start"
    assert charts.anchor_inside(715, "31 Dec", width=720) == "end"
    assert charts.anchor_inside(360, "31 Dec", width=720) == "middle"
