"""The roll-up at the end of a monitoring run (monitoring.engine.roll_up_plan): statuses with
reasons stored per result and date, in a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest

from monitoring import engine, services
from monitoring.models import MonitoringRun
from results import services as results_services
from results.models import ResultAssessment, ResultIndicator
from tests.factories import ActivityFactory, MeasurementFactory, assess
from tests.results.builders import build_chain, trained_indicator

pytestmark = pytest.mark.django_db

JUN_30 = dt.date(2016, 6, 30)


def stored(result, as_of=JUN_30):
    return ResultAssessment.objects.get(result=result, as_of=as_of)


def test_statuses_roll_up_from_the_activities_assessments():
    chain = build_chain(activities_per_output=2)
    one, two = chain.activities["1.1.1"]
    assess(one, JUN_30, "off_track")
    assess(two, JUN_30, "off_track")
    for activity in chain.activities["1.1.2"] + chain.activities["1.2.1"]:
        assess(activity, JUN_30, "on_track")

    assert engine.roll_up_plan(plan_id=chain.plan.pk, as_of=JUN_30, run_id=None) == 6

    output = stored(chain.outputs[0])
    assert output.status == "off_track"
    assert output.counts == {"off_track": 2}
    assert "2 of 2 activities off track." in [r["message"] for r in output.reasons]
    assert stored(chain.outcomes[0]).status == "off_track"  # 1 of 2 outputs, 50 %
    assert stored(chain.outcomes[1]).status == "on_track"
    objective = stored(chain.objective)
    assert objective.status == "off_track"
    assert "1 of 2 outcomes off track." in [r["message"] for r in objective.reasons]


def test_an_activity_not_assessed_on_the_date_counts_with_its_latest_status():
    chain = build_chain(activities_per_output=1)
    assess(chain.activities["1.1.1"][0], dt.date(2016, 5, 31), "at_risk")
    engine.roll_up_plan(plan_id=chain.plan.pk, as_of=JUN_30)
    assert stored(chain.outputs[0]).counts == {"at_risk": 1}
    # Never assessed at all: "not assessed", not a status.
    assert stored(chain.outputs[1]).counts == {"": 1}
    assert stored(chain.outputs[1]).status == "not_started"


def test_rolling_up_the_same_date_twice_updates():
    chain = build_chain(activities_per_output=1)
    activity = chain.activities["1.1.1"][0]
    assess(activity, JUN_30, "on_track")
    engine.roll_up_plan(plan_id=chain.plan.pk, as_of=JUN_30)
    assess(activity, JUN_30, "off_track")
    engine.roll_up_plan(plan_id=chain.plan.pk, as_of=JUN_30)
    assert ResultAssessment.objects.filter(result=chain.outputs[0]).count() == 1
    assert stored(chain.outputs[0]).status == "off_track"


def test_a_computed_indicator_behind_its_line_shows_in_the_roll_up():
    chain = build_chain(activities_per_output=2)
    sources = [trained_indicator(a) for a in chain.activities["1.1.1"]]
    for source, value in zip(sources, ("10", "5"), strict=True):
        MeasurementFactory(indicator=source, measured_on=JUN_30, value=Decimal(value))
    results_services.add_result_indicator(
        actor=None,
        result=chain.outputs[0],
        name="Officers trained",
        unit="officers",
        baseline=Decimal("0"),
        baseline_date=dt.date(2016, 1, 1),
        target=Decimal("200"),
        target_date=dt.date(2016, 12, 31),
        direction="increase",
        method=ResultIndicator.Method.SUM,
        sources=sources,
    )
    for activity in chain.activities["1.1.1"]:
        assess(activity, JUN_30, "on_track")
    engine.roll_up_plan(plan_id=chain.plan.pk, as_of=JUN_30)
    output = stored(chain.outputs[0])
    assert output.status == "off_track"
    finding = next(r for r in output.reasons if r["code"] == "indicator_off_trajectory")
    assert "was 15 officers on 2016-06-30" in finding["message"]


def _grow(chain, n):
    for output in chain.outputs:
        for _ in range(n):
            activity = ActivityFactory(matrix=chain.matrix)
            results_services.add_contribution(
                actor=None, output=output, activity=activity, description="Supports it."
            )
            assess(activity, JUN_30, "on_track")


def test_the_roll_up_takes_five_queries_however_large_the_plan(django_assert_num_queries):
    chain = build_chain(activities_per_output=1)
    _grow(chain, 1)
    # results of the plan; result indicators with own values; their source links with values;
    # the activities' statuses counted by output; the upsert of the results' assessments
    with django_assert_num_queries(5):
        engine.roll_up_plan(plan_id=chain.plan.pk, as_of=JUN_30)
    _grow(chain, 20)
    with django_assert_num_queries(5):
        engine.roll_up_plan(plan_id=chain.plan.pk, as_of=JUN_30)
    assert stored(chain.outputs[0]).counts == {"on_track": 21, "": 1}


def test_a_monitoring_run_ends_with_the_roll_up():
    chain = build_chain(activities_per_output=1)
    run = services.request_run(
        plan_id=chain.plan.pk, as_of=JUN_30, trigger=MonitoringRun.Trigger.MANUAL, enqueue=False
    )
    services.execute_run(run_id=run.pk)
    assessment = stored(chain.objective)
    assert assessment.run_id == run.pk
    assert set(stored(chain.outputs[0]).counts) <= {
        "on_track",
        "at_risk",
        "off_track",
        "not_started",
    }
    assert sum(stored(chain.outputs[0]).counts.values()) == 1
