"""assess(): the rules combined — lifecycle, completion, not started, worst reason wins, override.

Pure: no database.
"""

from decimal import Decimal

import pytest

from monitoring.policy import Policy
from monitoring.rules import CRITICAL, INFO, WARNING, assess
from tests.monitoring.rules_builders import (
    END,
    START,
    day,
    funding,
    indicator,
    make_facts,
    milestone,
    override,
    update,
)

POLICY = Policy()


def codes(result) -> list[str]:
    return [reason.code for reason in result.reasons]


# --- lifecycle, completion, not started -----------------------------------------------------------


@pytest.mark.parametrize("lifecycle", ["suspended", "cancelled"])
def test_a_suspended_or_cancelled_activity_is_suspended_whatever_else_is_wrong(lifecycle):
    facts = make_facts(lifecycle=lifecycle, milestones=(milestone(due=day(10)),))

    result = assess(facts, day(80), POLICY)

    assert result.status == "suspended"
    assert [(r.code, r.severity) for r in result.reasons] == [(f"lifecycle_{lifecycle}", INFO)]


@pytest.mark.parametrize("lifecycle", ["closed", "finalisation"])
def test_a_closing_activity_with_100_percent_reported_is_completed(lifecycle):
    facts = make_facts(
        lifecycle=lifecycle,
        milestones=(milestone(due=day(50)),),  # left open, but the lifecycle says it is done
        approved_updates=(update(100, approved=day(90)),),
    )

    result = assess(facts, day(120), POLICY)

    assert result.status == "completed"
    assert result.reasons == ()


def test_a_closed_activity_without_100_percent_reported_is_still_assessed():
    facts = make_facts(lifecycle="closed", approved_updates=(update(80, approved=day(99)),))

    assert assess(facts, day(101), POLICY).status == "off_track"


def test_an_activity_reporting_100_percent_with_every_due_milestone_done_is_completed():
    facts = make_facts(
        milestones=(
            milestone("Workshop", due=day(40), completed=day(45)),
            milestone("Final report", due=day(95)),  # not due yet on day 90
        ),
        approved_updates=(update(100, approved=day(90)),),
    )

    assert assess(facts, day(90), POLICY).status == "completed"


def test_100_percent_reported_with_an_overdue_milestone_is_not_completed():
    facts = make_facts(
        milestones=(milestone("Workshop", due=day(80)),),
        approved_updates=(update(100, approved=day(90)),),
    )

    result = assess(facts, day(90), POLICY)

    assert result.status == "at_risk"
    assert codes(result) == ["milestone_overdue"]


def test_a_100_percent_update_approved_the_day_after_as_of_does_not_complete():
    facts = make_facts(
        approved_updates=(update(90, approved=day(80)), update(100, approved=day(91)))
    )

    assert assess(facts, day(90), POLICY).status == "on_track"
    assert assess(facts, day(91), POLICY).status == "completed"


def test_not_started_until_the_start_date():
    result = assess(make_facts(budget_required=Decimal("1000")), day(-1), POLICY)

    assert result.status == "not_started"
    assert [r.as_dict() for r in result.reasons] == [
        {"code": "not_started", "severity": "info", "message": "Starts on 2016-01-01."}
    ]
    assert assess(make_facts(), START, POLICY).status == "on_track"


def test_without_a_start_date_not_started_until_something_is_reported():
    facts = make_facts(start_date=None, end_date=None)

    assert assess(facts, day(10), POLICY).status == "not_started"
    reported = make_facts(
        start_date=None, end_date=None, approved_updates=(update(10, approved=day(10)),)
    )
    assert assess(reported, day(9), POLICY).status == "not_started"
    assert assess(reported, day(10), POLICY).status == "on_track"


# --- worst reason wins ----------------------------------------------------------------------------


def test_nothing_wrong_is_on_track_with_no_reasons():
    facts = make_facts(approved_updates=(update(50, approved=day(50)),))

    result = assess(facts, day(55), POLICY)

    assert result.status == "on_track"
    assert result.reasons == ()


def test_warnings_only_make_at_risk():
    facts = make_facts(
        milestones=(milestone(due=day(50)),),
        approved_updates=(update(39, approved=day(50)),),  # 16 points behind on day 55
    )

    result = assess(facts, day(55), POLICY)

    assert result.status == "at_risk"
    assert {r.severity for r in result.reasons} == {WARNING}
    assert sorted(codes(result)) == ["milestone_overdue", "progress_behind"]


def test_one_critical_among_warnings_makes_off_track_and_comes_first():
    facts = make_facts(
        budget_required=Decimal("100000"),
        funding=(funding("10000"),),  # warning
        milestones=(milestone(due=day(50)),),  # 10 days: warning
        indicators=(indicator((day(50), "10")),),  # 40 % behind its line: critical
        approved_updates=(update(50, approved=day(50)),),
    )

    result = assess(facts, day(60), POLICY)

    assert result.status == "off_track"
    assert result.reasons[0].code == "indicator_off_trajectory"
    assert [r.severity for r in result.reasons] == [CRITICAL, WARNING, WARNING]


def test_status_moves_at_the_milestone_threshold():
    facts = make_facts(
        milestones=(milestone(due=day(20)),), approved_updates=(update(50, approved=day(50)),)
    )

    assert assess(facts, day(20), POLICY).status == "on_track"
    assert assess(facts, day(21), POLICY).status == "at_risk"
    assert assess(facts, day(50), POLICY).status == "at_risk"
    assert assess(facts, day(51), POLICY).status == "off_track"


def test_past_the_end_and_not_completed_is_off_track():
    facts = make_facts(approved_updates=(update(95, approved=END),))

    assert assess(facts, END, POLICY).status == "on_track"
    result = assess(facts, day(101), POLICY)
    assert result.status == "off_track"
    assert codes(result) == ["past_end_date"]


# --- the figures beside the status ----------------------------------------------------------------


def test_expected_reported_and_coverage_are_filled_when_computable():
    facts = make_facts(
        budget_required=Decimal("200000"),
        funding=(funding("150000"),),
        approved_updates=(update(50, approved=day(50)),),
    )

    result = assess(facts, day(55), POLICY)

    assert (result.expected_progress, result.reported_progress) == (55, 50)
    assert result.funding_coverage == Decimal("0.7500")
    assert result.overridden is False


def test_figures_are_filled_even_when_suspended_and_none_when_not_computable():
    suspended = make_facts(lifecycle="suspended", approved_updates=(update(30, approved=day(40)),))
    undated = make_facts(start_date=None, end_date=None)

    assert assess(suspended, day(55), POLICY).expected_progress == 55
    assert assess(suspended, day(55), POLICY).reported_progress == 30
    result = assess(undated, day(55), POLICY)
    assert (result.expected_progress, result.reported_progress, result.funding_coverage) == (
        None,
        None,
        None,
    )


def test_reasons_as_dicts_are_ready_for_json():
    facts = make_facts(
        milestones=(milestone("Workshop", due=day(50)),),
        approved_updates=(update(50, approved=day(50)),),
    )

    assert assess(facts, day(51), POLICY).reasons_as_dicts() == [
        {
            "code": "milestone_overdue",
            "severity": "warning",
            "message": "Milestone 'Workshop' is 1 day overdue (due 2016-02-20).",
        }
    ]


# --- manual override ------------------------------------------------------------------------------


def test_an_override_sets_the_status_and_is_shown_as_an_override_before_the_computed_reasons():
    facts = make_facts(
        milestones=(milestone("Workshop", due=day(50)),),
        approved_updates=(update(50, approved=day(50)),),
        overrides=(override("off_track", set_on=day(52), expires=day(70), by="m.rossi"),),
    )

    result = assess(facts, day(55), POLICY)

    assert result.status == "off_track"
    assert result.overridden is True
    assert [r.as_dict() for r in result.reasons] == [
        {
            "code": "manual_override",
            "severity": "critical",
            "message": "Status set to Off track by m.rossi until 2016-03-11: Donor review pending",
        },
        {
            "code": "milestone_overdue",
            "severity": "warning",
            "message": "Milestone 'Workshop' is 5 days overdue (due 2016-02-20).",
        },
    ]


@pytest.mark.parametrize(
    ("as_of", "active"),
    [(day(9), False), (day(10), True), (day(19), True), (day(20), False)],
)
def test_an_override_applies_from_its_set_date_until_the_day_before_it_expires(as_of, active):
    facts = make_facts(overrides=(override("at_risk", set_on=day(10), expires=day(20)),))

    result = assess(facts, as_of, POLICY)

    assert result.overridden is active
    assert result.status == ("at_risk" if active else "on_track")


def test_an_override_without_expiry_lasts_until_further_notice():
    facts = make_facts(overrides=(override("at_risk", set_on=day(10), by=""),))

    result = assess(facts, day(300), POLICY)

    assert result.status == "at_risk"
    assert result.reasons[0].severity == WARNING
    assert result.reasons[0].message == (
        "Status set to At risk by a manager until further notice: Donor review pending"
    )


def test_of_several_active_overrides_the_most_recently_set_wins():
    facts = make_facts(
        approved_updates=(update(40, approved=day(35)),),
        overrides=(
            override("on_track", set_on=day(30), reason="Workshop moved by host country"),
            override("off_track", set_on=day(10), reason="Funding frozen"),
        ),
    )

    result = assess(facts, day(40), POLICY)

    assert result.status == "on_track"
    assert [r.code for r in result.reasons] == ["manual_override"]
    assert result.reasons[0].severity == INFO
    assert result.reasons[0].message.endswith(": Workshop moved by host country")
    # Before the newer override was set, the older one ruled.
    assert assess(facts, day(29), POLICY).status == "off_track"


def test_an_override_rules_over_a_suspended_lifecycle_and_keeps_its_reason():
    facts = make_facts(lifecycle="suspended", overrides=(override("at_risk", set_on=day(10)),))

    result = assess(facts, day(20), POLICY)

    assert result.status == "at_risk"
    assert codes(result) == ["manual_override", "lifecycle_suspended"]
