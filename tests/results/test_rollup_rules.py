"""The roll-up rule (monitoring.rollup), pure: each threshold, at and just past it."""

import datetime as dt
from decimal import Decimal

import pytest

from monitoring.facts import IndicatorFact, MeasurementFact
from monitoring.policy import Policy
from monitoring.rollup import NOT_ASSESSED, ResultFacts, assess_result, roll_up, roll_up_chain

POLICY = Policy()  # rollup_off_track_share 0.25, rollup_at_risk_share 0.25
AS_OF = dt.date(2016, 6, 30)


def codes(result):
    return [(r.code, r.severity) for r in result.reasons]


def test_no_children_is_not_started_and_says_so():
    result = roll_up(level="output", counts={}, policy=POLICY)
    assert result.status == "not_started"
    assert result.reasons[0].message == "No activity contributes yet."
    assert roll_up(level="objective", counts={}, policy=POLICY).reasons[0].message == (
        "No outcomes yet."
    )


def test_all_on_track_is_on_track_with_a_summary():
    result = roll_up(level="outcome", counts={"on_track": 5}, policy=POLICY)
    assert result.status == "on_track"
    assert [r.message for r in result.reasons] == ["5 outputs: 5 on track."]


def test_off_track_share_at_the_threshold_is_at_risk_only():
    # 1 of 4 = 25 %: not above 25 %, so the one off-track output puts the outcome at risk.
    result = roll_up(level="outcome", counts={"off_track": 1, "on_track": 3}, policy=POLICY)
    assert result.status == "at_risk"
    assert ("rollup_off_track", "warning") in codes(result)
    assert "1 of 4 outputs off track." in [r.message for r in result.reasons]


def test_off_track_share_above_the_threshold_is_off_track():
    # 2 of 5 = 40 % > 25 %.
    result = roll_up(level="outcome", counts={"off_track": 2, "on_track": 3}, policy=POLICY)
    assert result.status == "off_track"
    assert "2 of 5 outputs off track." in [r.message for r in result.reasons]
    assert ("rollup_off_track", "critical") in codes(result)


def test_at_risk_share_at_the_threshold_stays_on_track():
    result = roll_up(level="output", counts={"at_risk": 1, "on_track": 3}, policy=POLICY)
    assert result.status == "on_track"
    assert ("rollup_at_risk", "info") in codes(result)
    assert "1 of 4 activities at risk." in [r.message for r in result.reasons]


def test_at_risk_share_above_the_threshold_is_at_risk():
    result = roll_up(level="output", counts={"at_risk": 2, "on_track": 3}, policy=POLICY)
    assert result.status == "at_risk"
    assert ("rollup_at_risk", "warning") in codes(result)


def test_at_risk_and_off_track_add_up_for_the_at_risk_threshold():
    # 1 off (20 %, not above 25 % for off track) + 1 at risk: 40 % in trouble.
    counts = {"off_track": 1, "at_risk": 1, "on_track": 3}
    result = roll_up(level="outcome", counts=counts, policy=POLICY)
    assert result.status == "at_risk"
    assert ("rollup_at_risk", "warning") in codes(result)


def test_thresholds_come_from_the_policy():
    strict = Policy(rollup_off_track_share=Decimal("0.1"))
    counts = {"off_track": 1, "on_track": 4}
    assert roll_up(level="outcome", counts=counts, policy=POLICY).status == "at_risk"
    assert roll_up(level="outcome", counts=counts, policy=strict).status == "off_track"


def test_uniform_children_pass_their_status_up():
    assert roll_up(level="output", counts={"completed": 3}, policy=POLICY).status == "completed"
    assert roll_up(level="output", counts={"not_started": 2}, policy=POLICY).status == (
        "not_started"
    )
    mixed = roll_up(level="output", counts={"completed": 1, "not_started": 1}, policy=POLICY)
    assert mixed.status == "on_track"


def test_children_not_assessed_are_left_out_of_the_shares():
    counts = {"off_track": 1, NOT_ASSESSED: 3}
    result = roll_up(level="output", counts=counts, policy=POLICY)
    # 1 of 1 assessed is off track: 100 %.
    assert result.status == "off_track"
    assert result.reasons[0].message == "4 activities: 1 off track, 3 not assessed."
    assert "1 of 1 activity off track." in [r.message for r in result.reasons]
    nothing = roll_up(level="output", counts={NOT_ASSESSED: 2}, policy=POLICY)
    assert nothing.status == "not_started"


def _indicator(value: str) -> IndicatorFact:
    return IndicatorFact(
        name="Officers trained",
        unit="officers",
        baseline=Decimal("0"),
        baseline_date=dt.date(2016, 1, 1),
        target=Decimal("100"),
        target_date=dt.date(2016, 12, 31),
        direction="increase",
        measurements=(MeasurementFact(measured_on=AS_OF, value=Decimal(value)),),
    )


def test_a_results_own_indicator_off_its_line_worsens_its_status():
    facts = ResultFacts(result_id=1, parent_id=None, level="output", indicators=(_indicator("10"),))
    result = assess_result(facts=facts, counts={"on_track": 2}, as_of=AS_OF, policy=POLICY)
    # About 50 expected by June 30, 10 measured: 40 % of the planned change behind.
    assert result.status == "off_track"
    assert ("indicator_off_trajectory", "critical") in codes(result)


def test_an_indicator_on_its_line_changes_nothing():
    facts = ResultFacts(result_id=1, parent_id=None, level="output", indicators=(_indicator("50"),))
    result = assess_result(facts=facts, counts={"completed": 2}, as_of=AS_OF, policy=POLICY)
    assert result.status == "completed"


@pytest.fixture
def chain():
    # objective 1 ─ outcome 2 ─ outputs 4, 5
    #             └ outcome 3 ─ output 6
    return [
        ResultFacts(1, None, "objective"),
        ResultFacts(2, 1, "outcome"),
        ResultFacts(3, 1, "outcome"),
        ResultFacts(4, 2, "output"),
        ResultFacts(5, 2, "output"),
        ResultFacts(6, 3, "output"),
    ]


def test_the_chain_rolls_up_level_by_level(chain):
    activity_counts = {
        4: {"off_track": 2, "on_track": 1},  # 67 % off: off track
        5: {"on_track": 2},
        6: {"on_track": 1},
    }
    rolled = roll_up_chain(
        results=chain, activity_counts=activity_counts, as_of=AS_OF, policy=POLICY
    )
    assert rolled[4].status == "off_track"
    assert rolled[5].status == "on_track"
    # outcome 2: 1 of 2 outputs off track (50 %): off track; outcome 3 on track.
    assert rolled[2].status == "off_track"
    assert "1 of 2 outputs off track." in [r.message for r in rolled[2].reasons]
    assert rolled[3].status == "on_track"
    # objective: 1 of 2 outcomes off track.
    assert rolled[1].status == "off_track"
    assert rolled[1].counts == {"off_track": 1, "on_track": 1}


def test_an_output_without_activities_is_not_started_and_counts_as_such(chain):
    rolled = roll_up_chain(
        results=chain,
        activity_counts={4: {"on_track": 1}, 5: {"on_track": 1}},
        as_of=AS_OF,
        policy=POLICY,
    )
    assert rolled[6].status == "not_started"
    assert rolled[3].status == "not_started"
    assert rolled[1].status == "on_track"
