"""The managers' page that sets a plan's reporting calendar: monthly, quarterly or custom periods,
every error at once, a calendar changed meanwhile not overwritten, managers only. The clock is
years after the 2016 plan."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from activities import services
from activities.models import ReportingCalendar, ReportingPeriod
from partnership.models import Profile
from tests.factories import PlanFactory, ProgressUpdateFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _far_away_clock():
    with time_machine.travel(dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def plan():
    return PlanFactory()


@pytest.fixture
def manager_client(client):
    client.force_login(make_user(Profile.Role.MANAGER, username="boss"))
    return client


def _url(plan) -> str:
    return f"/plans/{plan.pk}/reporting-calendar/"


def _fingerprint(plan) -> str:
    calendar = ReportingCalendar.objects.filter(plan=plan).first()
    return services.calendar_fingerprint(calendar)


def _post(client, plan, **data):
    form = {
        "fingerprint": _fingerprint(plan),
        "frequency": "quarterly",
        "due_after_days": "15",
        "opens_before_days": "0",
        "custom_periods": "",
    }
    form.update(data)
    return client.post(_url(plan), form)


def test_a_manager_sets_a_quarterly_calendar(manager_client, plan):
    response = _post(manager_client, plan, due_after_days="10", opens_before_days="5")
    assert response.status_code == 302
    labels = list(ReportingPeriod.objects.values_list("label", "opens_on", "due_on"))
    assert labels[0] == ("Q1 2016", dt.date(2016, 3, 26), dt.date(2016, 4, 10))
    assert len(labels) == 4
    page = manager_client.get(_url(plan)).content.decode()
    assert "Quarterly periods (4)" in page and "10 Apr 2016" in page


def test_a_monthly_calendar_has_twelve_periods(manager_client, plan):
    assert _post(manager_client, plan, frequency="monthly").status_code == 302
    assert ReportingPeriod.objects.count() == 12


def test_custom_periods_are_read_one_a_line_and_shown_again(manager_client, plan):
    text = (
        "H1 2016; 2016-01-01; 2016-06-30; 2016-06-15; 2016-07-15\n"
        "\n"
        "H2 2016; 2016-07-01; 2016-12-31; 2016-12-15; 2017-01-15"
    )
    response = _post(manager_client, plan, frequency="custom", custom_periods=text)
    assert response.status_code == 302
    assert list(ReportingPeriod.objects.values_list("label", flat=True)) == ["H1 2016", "H2 2016"]
    page = manager_client.get(_url(plan)).content.decode()
    assert "H2 2016; 2016-07-01; 2016-12-31; 2016-12-15; 2017-01-15" in page  # the field again


def test_every_problem_of_custom_periods_is_shown_at_once_and_nothing_saved(manager_client, plan):
    text = "\n".join(
        [
            "Broken line",
            "Bad date; 2016-13-01; 2016-06-30; 2016-06-15; 2016-07-15",
            "Late; 2016-01-01; 2017-06-30; 2017-06-15; 2017-07-15",
        ]
    )
    response = _post(manager_client, plan, frequency="custom", custom_periods=text)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Line 1: give a label and four dates" in page
    assert "Line 2: dates are written YYYY-MM-DD." in page
    assert "Late: it lies outside the plan&#x27;s period." in page
    assert not ReportingCalendar.objects.exists()


def test_a_calendar_changed_meanwhile_is_not_overwritten(manager_client, plan):
    stale = _fingerprint(plan)
    services.set_reporting_calendar(actor=None, plan=plan, frequency="monthly")
    response = _post(manager_client, plan, fingerprint=stale)
    assert response.status_code == 409
    assert "changed this plan&#x27;s reporting calendar" in response.content.decode()
    assert ReportingPeriod.objects.count() == 12


def test_a_calendar_with_reports_is_kept_and_the_page_says_why(manager_client, plan):
    calendar = services.set_reporting_calendar(actor=None, plan=plan, frequency="quarterly")
    ProgressUpdateFactory(period=calendar.periods.first())
    response = _post(manager_client, plan, frequency="monthly")
    assert response.status_code == 400
    assert "Reports name this calendar" in response.content.decode()
    assert ReportingPeriod.objects.count() == 4


@pytest.mark.parametrize("role", [Profile.Role.LIAISON_OFFICER, Profile.Role.VIEWER])
def test_only_managers_open_or_save_the_page(client, plan, role):
    client.force_login(make_user(role))
    assert client.get(_url(plan)).status_code == 403
    assert _post(client, plan).status_code == 403
    assert not ReportingCalendar.objects.exists()


def test_the_plan_page_links_to_it_for_managers_only(client, manager_client, plan):
    assert "reporting-calendar-link" in manager_client.get(f"/plans/{plan.pk}/").content.decode()
    client.force_login(make_user(Profile.Role.VIEWER, username="reader"))
    assert "reporting-calendar-link" not in client.get(f"/plans/{plan.pk}/").content.decode()


def test_the_page_reads_the_same_queries_however_many_periods(
    manager_client, plan, django_assert_num_queries
):
    """session, user, profile (role); the plan; its calendar; its periods; the profile with
    organization (header): 7, for 4 periods or 12."""
    services.set_reporting_calendar(actor=None, plan=plan, frequency="quarterly")
    with django_assert_num_queries(7):
        manager_client.get(_url(plan))
    ReportingCalendar.objects.all().delete()
    services.set_reporting_calendar(actor=None, plan=plan, frequency="monthly")
    with django_assert_num_queries(7):
        html = manager_client.get(_url(plan)).content.decode()
    assert "Monthly periods (12)" in html
