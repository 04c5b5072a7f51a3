"""Runs stay inside the plan's period: the pure date rules, and every way of asking for a run (the
API, the dashboard's form, the command, beat) refusing a date outside it with one message."""

import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from monitoring import rules, selectors, services
from monitoring.models import MonitoringRun
from partnership.models import JointActionPlan
from tests.api.conftest import API, client_for
from tests.factories import ActivityFactory, MatrixFactory, PlanFactory, make_user

JAN_1, DEC_31 = dt.date(2016, 1, 1), dt.date(2016, 12, 31)
TEN_YEARS_ON = dt.date(2026, 12, 4)
OUTSIDE = (
    "Choose a date from 1 Jan 2016 to 31 Dec 2016, the plan's period (30 Jun 2030 is outside it)."
)


# --- the rules, pure --------------------------------------------------------------------------


def test_a_run_date_inside_the_period_is_fine_and_one_outside_is_refused_saying_what_is_allowed():
    period = {"period_start": JAN_1, "period_end": DEC_31}
    assert rules.run_date_problem(as_of=JAN_1, **period) is None
    assert rules.run_date_problem(as_of=DEC_31, **period) is None
    assert rules.run_date_problem(as_of=dt.date(2030, 6, 30), **period) == OUTSIDE
    before = rules.run_date_problem(as_of=dt.date(2015, 12, 31), **period)
    assert before.endswith("(31 Dec 2015 is outside it).")


def test_a_run_of_every_plan_needs_a_date_inside_at_least_one_plans_period():
    periods = [(dt.date(2017, 1, 1), dt.date(2017, 12, 31)), (JAN_1, DEC_31)]
    assert rules.all_plans_run_date_problem(as_of=dt.date(2017, 3, 1), periods=periods) is None
    assert rules.all_plans_run_date_problem(as_of=TEN_YEARS_ON, periods=periods) == (
        "No plan is monitored on 4 Dec 2026: choose a date inside a plan's period "
        "(1 Jan 2016 to 31 Dec 2016; 1 Jan 2017 to 31 Dec 2017)."
    )
    assert "there is no adopted or closed plan" in rules.all_plans_run_date_problem(
        as_of=JAN_1, periods=[]
    )


@pytest.mark.parametrize(
    ("today", "latest", "expected"),
    [
        (dt.date(2016, 7, 15), dt.date(2016, 6, 30), dt.date(2016, 7, 15)),  # today, inside
        (TEN_YEARS_ON, DEC_31, DEC_31),  # after the period: its latest assessed date
        (dt.date(2015, 6, 1), None, None),  # before it, never assessed: nothing to do
        (TEN_YEARS_ON, TEN_YEARS_ON, None),  # a date recorded outside the period is passed over
    ],
)
def test_a_change_is_reassessed_on_today_inside_the_period_else_on_its_latest_assessed_date(
    today, latest, expected
):
    period = {"period_start": JAN_1, "period_end": DEC_31}
    assert rules.reassessment_date(today=today, latest=latest, **period) == expected


@pytest.mark.parametrize(
    ("today", "latest", "expected"),
    [
        (dt.date(2016, 7, 15), dt.date(2016, 6, 30), dt.date(2016, 7, 15)),
        (TEN_YEARS_ON, dt.date(2016, 11, 30), dt.date(2016, 11, 30)),
        (TEN_YEARS_ON, None, DEC_31),  # never assessed and over: its last day
        (dt.date(2015, 6, 1), None, JAN_1),  # not begun: its first day
    ],
)
def test_the_run_form_offers_today_inside_the_period_else_the_latest_assessed_date(
    today, latest, expected
):
    period = {"period_start": JAN_1, "period_end": DEC_31}
    assert rules.suggested_run_date(today=today, latest=latest, **period) == expected


def test_the_dashboard_opens_on_the_latest_assessed_date_inside_the_period():
    period = {"period_start": JAN_1, "period_end": DEC_31}
    assessed = [TEN_YEARS_ON, dt.date(2018, 12, 31), DEC_31, dt.date(2016, 11, 30)]
    assert rules.default_dashboard_date(assessed=assessed, **period) == DEC_31
    assert rules.default_dashboard_date(assessed=[TEN_YEARS_ON], **period) == TEN_YEARS_ON
    assert rules.default_dashboard_date(assessed=[], **period) is None


# --- every way in -----------------------------------------------------------------------------


@pytest.fixture
def plan(db) -> JointActionPlan:
    matrix = MatrixFactory(plan=PlanFactory(period_start=JAN_1, period_end=DEC_31))
    ActivityFactory(matrix=matrix)
    return matrix.plan


@pytest.fixture
def manager(db):
    return make_user(role="manager", username="manager")


def test_the_api_the_page_and_the_command_refuse_a_date_outside_the_period_with_one_message(
    plan, manager, client
):
    api = client_for(manager).post(
        f"{API}/monitoring-runs/", {"plan": plan.pk, "as_of": "2030-06-30"}, format="json"
    )
    assert api.status_code == 400
    assert api.json() == {"as_of": [OUTSIDE]}

    client.force_login(manager)
    page = client.post(reverse("monitoring:run-request"), {"plan": plan.pk, "as_of": "2030-06-30"})
    assert page.status_code == 400
    assert OUTSIDE.replace("'", "&#x27;") in page.content.decode()

    with pytest.raises(CommandError) as refused:
        call_command("run_monitoring", "--plan", str(plan.pk), "--as-of", "2030-06-30")
    assert str(refused.value) == OUTSIDE

    assert not MonitoringRun.objects.exists()


def test_the_command_checks_every_date_of_a_series_before_making_any_run(plan):
    with pytest.raises(CommandError, match="31 Jan 2017 is outside it"):
        call_command(
            "run_monitoring",
            *("--plan", str(plan.pk), "--as-of", "2016-11-30", "--through", "2017-01-31"),
        )
    assert not MonitoringRun.objects.exists()


def test_the_api_defaults_to_today_and_so_refuses_a_plan_whose_period_is_over(plan, manager):
    with time_machine.travel(dt.datetime(2026, 12, 4, 12, tzinfo=dt.UTC), tick=False):
        response = client_for(manager).post(
            f"{API}/monitoring-runs/", {"plan": plan.pk}, format="json"
        )
    assert response.status_code == 400
    assert response.json()["as_of"] == [
        "Choose a date from 1 Jan 2016 to 31 Dec 2016, the plan's period "
        "(4 Dec 2026 is outside it)."
    ]


def test_a_run_of_every_plan_is_refused_on_a_date_no_plan_is_monitored_on(plan, manager):
    response = client_for(manager).post(
        f"{API}/monitoring-runs/", {"plan": None, "as_of": "2026-12-04"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["as_of"] == [
        "No plan is monitored on 4 Dec 2026: choose a date inside a plan's period "
        "(1 Jan 2016 to 31 Dec 2016)."
    ]
    with pytest.raises(CommandError, match="No plan is monitored on 4 Dec 2026"):
        call_command("run_monitoring", "--as-of", "2026-12-04")
    assert not MonitoringRun.objects.exists()


def test_a_run_of_every_plan_assesses_each_plan_only_on_a_date_inside_its_period(plan):
    later = MatrixFactory(
        plan=PlanFactory(period_start=dt.date(2017, 1, 1), period_end=dt.date(2017, 12, 31))
    )
    ActivityFactory(matrix=later)
    call_command("run_monitoring", "--as-of", "2016-06-30")
    run = MonitoringRun.objects.get()
    assert (run.plan_id, run.state, run.activities_assessed) == (None, "finished", 1)
    assert selectors.activity_ids_in_scope(plan_id=None, as_of=dt.date(2016, 6, 30)) == [
        a.pk for a in plan.matrices.get().activities.all()
    ]


def test_beat_makes_no_daily_run_for_a_plan_whose_period_is_over(plan):
    plan.state = JointActionPlan.State.ADOPTED
    plan.save()
    assert services.start_daily_runs(today=TEN_YEARS_ON) == []
    assert [r.as_of for r in services.start_daily_runs(today=dt.date(2016, 5, 2))] == [
        dt.date(2016, 5, 2)
    ]


def test_the_service_refuses_whatever_the_trigger(plan):
    for trigger in MonitoringRun.Trigger.values:
        with pytest.raises(Exception, match="the plan's period") as refused:
            services.request_run(plan_id=plan.pk, as_of=TEN_YEARS_ON, trigger=trigger)
        assert refused.value.message_dict == {
            "as_of": [
                "Choose a date from 1 Jan 2016 to 31 Dec 2016, the plan's period "
                "(4 Dec 2026 is outside it)."
            ]
        }
    assert not MonitoringRun.objects.exists()
