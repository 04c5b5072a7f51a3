"""A plan's reporting calendar through the API: managers set it (quarterly or custom, every
error at once), everyone signed in reads it with the plan's late reports."""

import datetime as dt

import pytest
import time_machine

from activities import services
from activities.models import ReportingPeriod
from partnership.models import Profile
from tests.api.conftest import API, client_for
from tests.factories import ActivityFactory, MatrixFactory, ProgressUpdateFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    matrix = MatrixFactory()
    plan = matrix.plan
    plan.period_start, plan.period_end = dt.date(2016, 1, 1), dt.date(2016, 12, 31)
    plan.save()
    ActivityFactory(matrix=matrix, start_date=dt.date(2016, 1, 1), end_date=dt.date(2016, 12, 31))
    return plan


def url(plan) -> str:
    return f"{API}/plans/{plan.pk}/reporting-calendar/"


def test_a_manager_sets_a_quarterly_calendar_and_anyone_reads_its_late_reports(
    plan, django_assert_num_queries
):
    manager = client_for(make_user(Profile.Role.MANAGER, password=None))
    answer = manager.put(url(plan), {"frequency": "quarterly", "due_after_days": 10}, format="json")
    assert answer.status_code == 200, answer.content
    assert [p["due_on"] for p in answer.json()["periods"]] == [
        "2016-04-10",
        "2016-07-10",
        "2016-10-10",
        "2017-01-10",
    ]
    viewer = client_for(make_user(Profile.Role.VIEWER, password=None))
    # the token and its user; the calendar; the periods; the plan's periods; the reader's profile
    # (which activities they may list) and the late (activity, period) pairs.
    with (
        time_machine.travel(dt.datetime(2016, 7, 20, 9, tzinfo=dt.UTC), tick=False),
        django_assert_num_queries(6),
    ):
        answer = viewer.get(url(plan)).json()
    late = answer["late_reports"]
    assert answer["late_reports_total"] == 2
    assert [(r["period"], r["state"], r["days_late"]) for r in late] == [
        ("Q1 2016", "missing", 101),
        ("Q2 2016", "missing", 10),
    ]
    ActivityFactory.create_batch(5, matrix=plan.matrices.get())
    with (
        time_machine.travel(dt.datetime(2016, 7, 20, 9, tzinfo=dt.UTC), tick=False),
        django_assert_num_queries(6),
    ):
        answer = viewer.get(url(plan)).json()
    assert len(answer["late_reports"]) == answer["late_reports_total"] == 2 + 5 * 2


def test_a_custom_calendar_with_problems_is_refused_at_once_and_viewers_may_not_set_one(plan):
    manager = client_for(make_user(Profile.Role.MANAGER, password=None))
    periods = [
        {
            "label": "H1",
            "starts_on": "2016-01-01",
            "ends_on": "2016-07-31",
            "opens_on": "2016-07-01",
            "due_on": "2016-08-15",
        },
        {
            "label": "H2",
            "starts_on": "2016-07-01",
            "ends_on": "2016-12-31",
            "opens_on": "2017-01-20",
            "due_on": "2017-01-15",
        },
    ]
    answer = manager.put(url(plan), {"frequency": "custom", "periods": periods}, format="json")
    assert answer.status_code == 422
    assert answer.json()["periods"] == [
        "H2: the report is due before its window opens.",
        "H1 and H2 overlap.",
    ]
    assert not ReportingPeriod.objects.exists()
    viewer = client_for(make_user(Profile.Role.VIEWER, password=None))
    assert viewer.put(url(plan), {"frequency": "monthly"}, format="json").status_code == 403
    assert viewer.get(url(plan)).status_code == 404  # no calendar yet


def test_a_calendar_may_change_until_a_report_names_its_periods(plan):
    services.set_reporting_calendar(actor=None, plan=plan, frequency="quarterly")
    manager = client_for(make_user(Profile.Role.MANAGER, password=None))
    assert manager.put(url(plan), {"frequency": "monthly"}, format="json").status_code == 200
    assert ReportingPeriod.objects.count() == 12

    ProgressUpdateFactory(
        activity=plan.matrices.get().activities.get(),
        period=ReportingPeriod.objects.order_by("starts_on").first(),
        period_end=dt.date(2016, 1, 31),
    )
    answer = manager.put(url(plan), {"frequency": "quarterly"}, format="json")
    assert answer.status_code == 422
    assert "Reports name this calendar's periods" in answer.json()["periods"][0]
    assert ReportingPeriod.objects.count() == 12
