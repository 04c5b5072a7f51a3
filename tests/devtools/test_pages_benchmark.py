"""The pure pieces of the pages-and-API benchmark (`manage.py bench_pages`): the percentile the
table prints, the summary of the interleaved load rounds and the detection of sequential scans
in EXPLAIN output."""

import pytest

from devtools.pages_benchmark import (
    LoadRounds,
    measure_latency,
    percentile,
    seq_scans_over_large_tables,
)


def test_percentile_interpolates_between_ranks_like_numpy():
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 50) == 25.0
    assert percentile(values, 0) == 10.0
    assert percentile(values, 100) == 40.0
    assert percentile(values, 95) == pytest.approx(38.5)


def test_percentile_ignores_input_order_and_handles_one_value():
    assert percentile([5.0, 1.0, 3.0], 50) == 3.0
    assert percentile([7.0], 95) == 7.0


@pytest.mark.parametrize("pct", [-1, 101])
def test_percentile_refuses_out_of_range(pct):
    with pytest.raises(ValueError):
        percentile([1.0], pct)


def test_percentile_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        percentile([], 50)


def test_seq_scans_flags_only_the_tables_that_grow_with_the_portfolio():
    plan = """Limit  (cost=1.0..2.0 rows=50)
  ->  Nested Loop
        ->  Seq Scan on partnership_thematicarea  (cost=0.00..1.06 rows=6)
        ->  Seq Scan on activities_activity  (cost=0.00..3000.00 rows=100000)
        ->  Parallel Seq Scan on monitoring_assessment  (cost=0.00..3000.00 rows=100000)
        ->  Index Scan using activities_milestone_due on activities_milestone
        ->  Seq Scan on activities_activity u1  (cost=0.00..3000.00 rows=100000)"""
    assert seq_scans_over_large_tables(plan) == ["activities_activity", "monitoring_assessment"]


def test_seq_scans_none_in_an_indexed_plan():
    plan = (
        "Index Only Scan using monitoring_assessment_unique_activity_as_of on monitoring_assessment"
    )
    assert seq_scans_over_large_tables(plan) == []


class _Answer:
    status_code = 200


def test_measure_latency_runs_the_change_before_each_timed_request_only():
    events = []

    def get(path):
        events.append(("get", path))
        return _Answer()

    timings = measure_latency(
        get, ["/a", "/b", "/c"], warmup=2, before=lambda: events.append(("change", None))
    )

    assert len(timings) == 3
    # Two untimed warm-up requests, then each timed request right after its change.
    assert events == [
        ("get", "/a"),
        ("get", "/b"),
        ("change", None),
        ("get", "/a"),
        ("change", None),
        ("get", "/b"),
        ("change", None),
        ("get", "/c"),
    ]


def test_load_rounds_take_each_ratio_within_its_round_and_report_medians():
    rounds = LoadRounds(
        [
            {"bare": 4000.0, "list": 2000.0},  # a slow minute for both: 50 %
            {"bare": 5000.0, "list": 1500.0},  # 30 %
            {"bare": 6000.0, "list": 2700.0},  # 45 %
        ]
    )
    assert rounds.median("bare") == 5000.0
    assert rounds.median("list") == 2000.0
    assert rounds.ratios("list", "bare") == [0.3, 0.45, 0.5]
    # The middle round's own ratio, not median(list) / median(bare) = 40 %, which divides
    # figures taken in different minutes.
    assert rounds.median_ratio("list", "bare") == 0.45
