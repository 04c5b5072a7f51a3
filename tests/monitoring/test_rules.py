"""Each monitoring rule alone, at the boundary dates of its thresholds. Pure: no database."""

from datetime import date
from decimal import Decimal

import pytest

from monitoring.policy import Policy
from monitoring.rules import (
    CRITICAL,
    WARNING,
    Reason,
    expected_progress,
    funding_coverage,
    funding_shortfall,
    indicator_off_trajectory,
    milestone_overdue,
    past_end_date,
    progress_behind,
    reported_progress,
    stale_reporting,
    trajectory_value,
)
from tests.monitoring.rules_builders import (
    END,
    START,
    day,
    funding,
    indicator,
    make_facts,
    milestone,
    update,
)

POLICY = Policy()


def severities(reasons: list[Reason]) -> list[str]:
    return [reason.severity for reason in reasons]


# --- milestone_overdue ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_late", "expected"),
    [(-1, []), (0, []), (1, [WARNING]), (30, [WARNING]), (31, [CRITICAL])],
)
def test_milestone_overdue_is_at_risk_from_one_day_and_off_track_beyond_thirty(days_late, expected):
    facts = make_facts(milestones=(milestone(due=day(40)),))

    assert severities(milestone_overdue(facts, day(40 + days_late), POLICY)) == expected


def test_milestone_overdue_message_names_the_milestone_and_the_days():
    facts = make_facts(milestones=(milestone("Regional workshop", due=date(2016, 3, 1)),))

    (reason,) = milestone_overdue(facts, date(2016, 4, 4), POLICY)

    assert reason.code == "milestone_overdue"
    assert reason.message == "Milestone 'Regional workshop' is 34 days overdue (due 2016-03-01)."


def test_milestone_one_day_overdue_reads_in_the_singular():
    facts = make_facts(milestones=(milestone("Kick-off", due=day(10)),))

    (reason,) = milestone_overdue(facts, day(11), POLICY)

    assert "is 1 day overdue" in reason.message


def test_milestone_completed_on_or_before_as_of_is_not_overdue():
    facts = make_facts(
        milestones=(
            milestone("On time", due=day(10), completed=day(10)),
            milestone("Late but done", due=day(10), completed=day(19)),
        )
    )

    assert milestone_overdue(facts, day(20), POLICY) == []


def test_milestone_completed_the_day_after_as_of_is_still_overdue_on_as_of():
    facts = make_facts(milestones=(milestone(due=day(10), completed=day(21)),))

    assert severities(milestone_overdue(facts, day(20), POLICY)) == [WARNING]


def test_milestone_overdue_gives_one_reason_per_milestone_longest_overdue_first():
    facts = make_facts(
        milestones=(
            milestone("Workshop", due=day(50)),
            milestone("Assessment", due=day(10)),
            milestone("Future", due=day(90)),
        )
    )

    reasons = milestone_overdue(facts, day(60), POLICY)

    assert [r.message for r in reasons] == [
        "Milestone 'Assessment' is 50 days overdue (due 2016-01-11).",
        "Milestone 'Workshop' is 10 days overdue (due 2016-02-20).",
    ]
    assert severities(reasons) == [CRITICAL, WARNING]


def test_milestone_off_track_threshold_comes_from_the_policy():
    facts = make_facts(milestones=(milestone(due=day(10)),))

    assert severities(milestone_overdue(facts, day(16), Policy(milestone_off_track_days=5))) == [
        CRITICAL
    ]


# --- expected and reported progress ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [(day(-5), 0), (START, 0), (day(1), 1), (day(55), 55), (END, 100), (day(150), 100)],
)
def test_expected_progress_is_the_elapsed_share_of_start_to_end(as_of, expected):
    assert expected_progress(make_facts(), as_of) == expected


def test_expected_progress_rounds_to_a_whole_percentage():
    facts = make_facts(end_date=START.replace(day=4))  # a 3-day activity

    assert expected_progress(facts, START.replace(day=2)) == 33
    assert expected_progress(facts, START.replace(day=3)) == 67


def test_expected_progress_needs_both_dates():
    assert expected_progress(make_facts(end_date=None), day(10)) is None
    assert expected_progress(make_facts(start_date=None), day(10)) is None


def test_reported_progress_is_the_latest_approved_update_known_on_as_of():
    facts = make_facts(
        approved_updates=(
            update(10, approved=day(20)),
            update(30, approved=day(40)),
            update(50, approved=day(41)),  # approved the day after as_of: unknown yet
        )
    )

    assert reported_progress(facts, day(40)) == 30
    assert reported_progress(facts, day(41)) == 50
    assert reported_progress(facts, day(19)) is None


def test_a_late_approved_report_on_an_older_period_does_not_replace_a_newer_one():
    facts = make_facts(
        approved_updates=(
            update(40, approved=day(45), period_end=day(40)),
            update(25, approved=day(50), period_end=day(20)),
        )
    )

    assert reported_progress(facts, day(60)) == 40


# --- progress_behind ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reported", "expected"),
    [(45, []), (40, []), (39, [WARNING]), (25, [WARNING]), (24, [CRITICAL])],
)
def test_progress_gap_above_fifteen_is_at_risk_and_above_thirty_off_track(reported, expected):
    # On day 55, 55 % is expected: gaps of 10, 15, 16, 30 and 31 points.
    facts = make_facts(approved_updates=(update(reported, approved=day(50)),))

    assert severities(progress_behind(facts, day(55), POLICY)) == expected


def test_progress_behind_message_gives_reported_gap_expected_and_date():
    facts = make_facts(approved_updates=(update(20, approved=day(50)),))

    (reason,) = progress_behind(facts, day(55), POLICY)

    assert reason.code == "progress_behind"
    assert reason.message == (
        "Reported progress 20 % is 35 points behind the 55 % expected by 2016-02-25."
    )


def test_progress_behind_ignores_an_update_approved_the_day_after_as_of():
    facts = make_facts(
        approved_updates=(update(20, approved=day(50)), update(55, approved=day(56)))
    )

    assert severities(progress_behind(facts, day(55), POLICY)) == [CRITICAL]
    assert progress_behind(facts, day(56), POLICY) == []


def test_progress_behind_counts_nothing_reported_as_zero_and_says_so():
    facts = make_facts()

    (reason,) = progress_behind(facts, day(20), Policy(grace_days=0))

    assert reason.severity == WARNING
    assert reason.message == (
        "No progress reported yet, 20 % expected by 2016-01-21 (20 points behind)."
    )


def test_progress_behind_is_quiet_during_the_grace_period_after_start():
    # 35 % expected and nothing reported, but the grace period ends with day 35.
    facts = make_facts()
    policy = Policy(grace_days=35)

    assert progress_behind(facts, day(35), policy) == []
    assert severities(progress_behind(facts, day(36), policy)) == [CRITICAL]


def test_progress_behind_grace_period_is_thirty_days_by_default():
    # A 40-day activity: 75 % expected on day 30, 78 % on day 31.
    facts = make_facts(end_date=day(40))

    assert progress_behind(facts, day(30), POLICY) == []
    assert severities(progress_behind(facts, day(31), POLICY)) == [CRITICAL]


def test_progress_behind_needs_start_and_end_dates():
    assert progress_behind(make_facts(end_date=None), day(80), POLICY) == []


# --- past_end_date --------------------------------------------------------------------------------


def test_past_end_date_is_critical_from_the_day_after_the_end():
    facts = make_facts(approved_updates=(update(80, approved=day(90)),))

    assert past_end_date(facts, END, POLICY) == []
    (reason,) = past_end_date(facts, day(101), POLICY)
    assert reason.severity == CRITICAL
    assert reason.message == (
        "Ended on 2016-04-10, 1 day ago, and is not completed (80 % reported)."
    )


def test_past_end_date_does_not_apply_to_a_completed_activity():
    facts = make_facts(approved_updates=(update(100, approved=day(95)),))

    assert past_end_date(facts, day(120), POLICY) == []


def test_past_end_date_with_nothing_reported_says_so():
    (reason,) = past_end_date(make_facts(), day(110), POLICY)

    assert reason.message.endswith("10 days ago, and is not completed (no progress reported).")


# --- stale_reporting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "expected"),
    [(90, []), (91, [WARNING]), (180, [WARNING]), (181, [CRITICAL])],
)
def test_stale_reporting_counts_from_the_start_when_nothing_was_ever_approved(days, expected):
    facts = make_facts(end_date=day(400))

    assert severities(stale_reporting(facts, day(days), POLICY)) == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [(90, []), (91, [WARNING]), (180, [WARNING]), (181, [CRITICAL])],
)
def test_stale_reporting_counts_from_the_last_approval(days, expected):
    facts = make_facts(end_date=day(400), approved_updates=(update(10, approved=day(20)),))

    assert severities(stale_reporting(facts, day(20 + days), POLICY)) == expected


def test_stale_reporting_message_names_the_date_and_days():
    facts = make_facts(end_date=day(400), approved_updates=(update(10, approved=day(20)),))

    (reason,) = stale_reporting(facts, day(120), POLICY)

    assert reason.code == "stale_reporting"
    assert reason.message == "No approved progress update since 2016-01-21 (100 days)."


def test_stale_reporting_from_start_message():
    (reason,) = stale_reporting(make_facts(end_date=day(400)), day(100), POLICY)

    assert reason.message == (
        "No approved progress update since the start on 2016-01-01 (100 days)."
    )


def test_stale_reporting_ignores_an_update_approved_the_day_after_as_of():
    facts = make_facts(
        end_date=day(400),
        approved_updates=(update(10, approved=day(20)), update(20, approved=day(112))),
    )

    assert severities(stale_reporting(facts, day(111), POLICY)) == [WARNING]
    assert stale_reporting(facts, day(112), POLICY) == []


def test_stale_reporting_is_quiet_before_the_start_and_during_grace():
    policy = Policy(stale_at_risk_days=5, grace_days=30)

    assert stale_reporting(make_facts(), day(-1), POLICY) == []
    assert stale_reporting(make_facts(), day(30), policy) == []
    assert severities(stale_reporting(make_facts(), day(31), policy)) == [WARNING]


# --- indicator_off_trajectory ---------------------------------------------------------------------


def test_trajectory_is_a_straight_line_flat_outside_its_dates():
    ind = indicator(baseline="10", target="110")

    assert trajectory_value(ind, day(-3)) == Decimal("10")
    assert trajectory_value(ind, day(50)) == Decimal("60")
    assert trajectory_value(ind, day(130)) == Decimal("110")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("70", []), ("35", []), ("34.9", [WARNING]), ("20", [WARNING]), ("19.9", [CRITICAL])],
)
def test_indicator_short_of_trajectory_by_over_15_percent_is_at_risk_over_30_off_track(
    value, expected
):
    # On day 50 the line stands at 50 of a planned change of 100.
    facts = make_facts(indicators=(indicator((day(50), value)),))

    assert severities(indicator_off_trajectory(facts, day(60), POLICY)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("30", []), ("65", []), ("65.1", [WARNING]), ("80", [WARNING]), ("80.1", [CRITICAL])],
)
def test_indicator_meant_to_decrease_is_off_when_above_its_line(value, expected):
    facts = make_facts(
        indicators=(indicator((day(50), value), baseline="100", target="0", direction="decrease"),)
    )

    assert severities(indicator_off_trajectory(facts, day(60), POLICY)) == expected


def test_indicator_uses_the_latest_measurement_known_on_as_of():
    facts = make_facts(indicators=(indicator((day(40), "40"), (day(50), "10")),))

    assert indicator_off_trajectory(facts, day(49), POLICY) == []
    assert severities(indicator_off_trajectory(facts, day(50), POLICY)) == [CRITICAL]


def test_indicator_message_gives_value_expected_target_and_share():
    facts = make_facts(
        indicators=(
            indicator(
                (day(50), "30"),
            ),
        )
    )

    (reason,) = indicator_off_trajectory(facts, day(60), POLICY)

    assert reason.code == "indicator_off_trajectory"
    assert reason.message == (
        "Indicator 'Officers trained' was 30 officers on 2016-02-20, against 50 officers "
        "expected on the way to 100 officers by 2016-04-10 (20 % of the planned change behind)."
    )


def test_indicator_without_measurements_or_planned_change_gives_no_reason():
    facts = make_facts(
        indicators=(indicator(), indicator((day(50), "0"), baseline="5", target="5"))
    )

    assert indicator_off_trajectory(facts, day(60), POLICY) == []


# --- funding_shortfall ----------------------------------------------------------------------------


def test_funding_coverage_counts_committed_and_received_known_on_as_of():
    facts = make_facts(
        budget_required=Decimal("300000"),
        funding=(
            funding("50000", status="committed"),
            funding("25000", status="received"),
            funding("90000", status="pledged"),
            funding("90000", status="approached"),
            funding("10000", status="committed", on=day(11)),
        ),
    )

    assert funding_coverage(facts, day(10)) == Decimal("0.2500")
    assert funding_coverage(facts, day(11)) == Decimal("0.2833")


def test_funding_coverage_is_none_when_nothing_is_required():
    assert funding_coverage(make_facts(funding=(funding("10"),)), day(10)) is None


@pytest.mark.parametrize(("secured", "expected"), [("50000", []), ("49999.99", [WARNING])])
def test_funding_below_half_the_requirement_once_started_is_at_risk(secured, expected):
    facts = make_facts(budget_required=Decimal("100000"), funding=(funding(secured),))

    assert severities(funding_shortfall(facts, START, POLICY)) == expected


def test_funding_shortfall_waits_for_the_start():
    facts = make_facts(budget_required=Decimal("100000"))

    assert funding_shortfall(facts, day(-1), POLICY) == []
    assert severities(funding_shortfall(facts, START, POLICY)) == [WARNING]


def test_funding_shortfall_message_never_rounds_up_to_the_threshold():
    facts = make_facts(budget_required=Decimal("100000"), funding=(funding("49999.99"),))

    (reason,) = funding_shortfall(facts, START, POLICY)

    assert reason.code == "funding_shortfall"
    assert reason.message == (
        "Secured funding 49,999.99 covers 49 % of the 100,000 required, "
        "below the 50 % expected once started."
    )


def test_a_counted_indicator_says_its_expected_value_as_a_whole_number():
    # 0 → 49 cases over 100 days: 29.4 cases expected on day 60, said as 29.
    cases = indicator((day(60), "10"), target="49", name="Cases referred", unit="cases")
    (reason,) = indicator_off_trajectory(make_facts(indicators=(cases,)), day(60), POLICY)
    assert reason.message.startswith(
        "Indicator 'Cases referred' was 10 cases on 2016-03-01, against 29 cases expected "
        "on the way to 49 cases by 2016-04-10"
    )


def test_an_indicator_with_fractions_keeps_its_decimals():
    rate = indicator((day(60), "0.5"), target="4.9", name="Seizure rate", unit="t/month")
    (reason,) = indicator_off_trajectory(make_facts(indicators=(rate,)), day(60), POLICY)
    assert "against 2.94 t/month expected" in reason.message


def test_in_whole_units_when_every_value_is_a_whole_number():
    from monitoring.rules import in_whole_units

    assert in_whole_units([Decimal("0"), Decimal("50.00"), Decimal("12")])
    assert not in_whole_units([Decimal("0"), Decimal("50"), Decimal("12.5")])
