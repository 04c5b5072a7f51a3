"""The reporting calendar: pure rules (periods, where a report stands), the service that sets
a calendar, updates placed in their period, an approved update locking its period (later
changes are approved corrections, the history keeps both), and the missing and late reports."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from activities import period_selectors, periods, services
from activities.models import ProgressUpdate, ReportingPeriod
from partnership.models import Profile
from tests.factories import ActivityFactory, MatrixFactory, liaison_for, make_user

D = dt.date


# --- pure rules -----------------------------------------------------------------------------------


def test_quarterly_periods_cover_the_plan_each_due_after_its_end():
    quarters = periods.generate(
        "quarterly",
        start=D(2016, 1, 1),
        end=D(2016, 12, 31),
        due_after_days=15,
        opens_before_days=10,
    )
    assert [(p.label, p.starts_on, p.ends_on, p.opens_on, p.due_on) for p in quarters] == [
        ("Q1 2016", D(2016, 1, 1), D(2016, 3, 31), D(2016, 3, 21), D(2016, 4, 15)),
        ("Q2 2016", D(2016, 4, 1), D(2016, 6, 30), D(2016, 6, 20), D(2016, 7, 15)),
        ("Q3 2016", D(2016, 7, 1), D(2016, 9, 30), D(2016, 9, 20), D(2016, 10, 15)),
        ("Q4 2016", D(2016, 10, 1), D(2016, 12, 31), D(2016, 12, 21), D(2017, 1, 15)),
    ]


def test_monthly_periods_are_cut_to_a_plan_that_starts_mid_month():
    months = periods.generate(
        "monthly", start=D(2016, 5, 23), end=D(2016, 7, 31), due_after_days=5, opens_before_days=0
    )
    assert [(p.label, p.starts_on, p.ends_on, p.due_on) for p in months] == [
        ("May 2016", D(2016, 5, 23), D(2016, 5, 31), D(2016, 6, 5)),
        ("June 2016", D(2016, 6, 1), D(2016, 6, 30), D(2016, 7, 5)),
        ("July 2016", D(2016, 7, 1), D(2016, 7, 31), D(2016, 8, 5)),
    ]


def test_a_custom_calendar_is_refused_with_every_problem_at_once():
    spec = periods.PeriodSpec
    problems = periods.calendar_errors(
        [
            spec("H1", D(2016, 1, 1), D(2016, 7, 31), D(2016, 7, 1), D(2016, 8, 15)),
            spec("H2", D(2016, 7, 1), D(2017, 1, 31), D(2017, 2, 1), D(2017, 1, 15)),
        ],
        plan_start=D(2016, 1, 1),
        plan_end=D(2016, 12, 31),
    )
    assert problems == [
        "H2: the report is due before its window opens.",
        "H2: it lies outside the plan's period.",
        "H1 and H2 overlap.",
    ]


@pytest.mark.parametrize(
    ("first_submitted_on", "today", "state", "days_late"),
    [
        (None, D(2016, 6, 1), "upcoming", 0),
        (None, D(2016, 7, 1), "open", 0),
        (None, D(2016, 7, 15), "open", 0),
        (None, D(2016, 7, 25), "missing", 10),
        (D(2016, 7, 10), D(2026, 12, 7), "on_time", 0),
        (D(2016, 7, 18), D(2026, 12, 7), "submitted_late", 3),
    ],
)
def test_where_a_report_stands(first_submitted_on, today, state, days_late):
    found = periods.report_state(
        opens_on=D(2016, 6, 30),
        due_on=D(2016, 7, 15),
        first_submitted_on=first_submitted_on,
        today=today,
    )
    assert (found.state, found.days_late) == (state, days_late)


# --- services and selectors -----------------------------------------------------------------------


@pytest.fixture
def plan_2016(db):
    matrix = MatrixFactory()
    plan = matrix.plan
    plan.period_start, plan.period_end = D(2016, 1, 1), D(2016, 12, 31)
    plan.save()
    services.set_reporting_calendar(actor=None, plan=plan, frequency="quarterly")
    return matrix


@pytest.fixture
def activity(plan_2016):
    return ActivityFactory(
        matrix=plan_2016, code="T-01", start_date=D(2016, 1, 1), end_date=D(2016, 12, 31)
    )


@pytest.fixture
def officer(activity):
    return liaison_for(activity, username="officer", password=None)


@pytest.fixture
def manager(db):
    return make_user(Profile.Role.MANAGER, username="manager", password=None)


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC), tick=False)


def report(officer, activity, period_end, percent=40, **kwargs):
    return services.create_progress_update(
        actor=officer,
        activity=activity,
        period_end=period_end,
        percent_complete=percent,
        narrative="Done so far.",
        **kwargs,
    )


@pytest.mark.django_db
def test_only_managers_set_a_calendar_and_one_reported_on_stays(plan_2016, officer, activity):
    from activities.exceptions import NotAllowed

    with pytest.raises(NotAllowed):
        services.set_reporting_calendar(actor=officer, plan=plan_2016.plan, frequency="monthly")
    with at(D(2016, 4, 1)):
        report(officer, activity, D(2016, 3, 31), submit=True)
    with pytest.raises(ValidationError) as caught:
        services.set_reporting_calendar(actor=None, plan=plan_2016.plan, frequency="monthly")
    assert "Reports name this calendar's periods" in str(caught.value)
    assert ReportingPeriod.objects.count() == 4


@pytest.mark.django_db
def test_an_update_reports_on_the_period_that_contains_its_end(officer, activity):
    update = report(officer, activity, D(2016, 6, 30))
    assert update.period.label == "Q2 2016"


@pytest.mark.django_db
def test_a_date_outside_every_period_is_refused(officer, activity, plan_2016):
    ReportingPeriod.objects.filter(label="Q2 2016").delete()
    with pytest.raises(ValidationError) as caught:
        report(officer, activity, D(2016, 6, 30))
    assert caught.value.message_dict["period_end"] == [
        "No reporting period of this plan contains this date."
    ]


@pytest.mark.django_db
def test_a_report_is_submitted_once_its_window_has_opened(officer, activity):
    with at(D(2016, 6, 29)), pytest.raises(ValidationError) as caught:
        report(officer, activity, D(2016, 6, 30), submit=True)
    assert caught.value.message_dict["period_end"] == [
        "Reports for Q2 2016 can be submitted from 30 June 2016."
    ]
    with at(D(2016, 6, 30)):
        assert report(officer, activity, D(2016, 6, 30), submit=True).state == "submitted"


@pytest.mark.django_db
def test_an_approved_update_locks_its_period_and_a_later_one_is_an_approved_correction(
    officer, activity, manager
):
    with at(D(2016, 7, 1)):
        original = report(officer, activity, D(2016, 6, 30), percent=40, submit=True)
        services.approve_progress_update(actor=manager, update=original)
        correction = report(officer, activity, D(2016, 6, 15), percent=45, submit=True)
        assert correction.corrects == original
        services.approve_progress_update(actor=manager, update=correction)
        again = report(officer, activity, D(2016, 6, 30), percent=50, submit=True)

    # Corrections correct the original; both stay approved, with their history.
    assert again.corrects == original
    original.refresh_from_db()
    assert (original.state, original.percent_complete) == ("approved", 40)
    assert list(original.corrections.order_by("id").values_list("percent_complete", flat=True)) == [
        45,
        50,
    ]
    assert original.history.count() == 2  # created submitted, then approved
    # The database refuses a second approved original for the period.
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.filter(pk=again.pk).update(
            corrects=None, state="approved", reviewer=manager, reviewed_at=original.reviewed_at
        )


@pytest.mark.django_db
def test_the_activitys_reports_say_which_are_on_time_late_missing_or_due(
    officer, activity, django_assert_num_queries
):
    with at(D(2016, 4, 10)):
        report(officer, activity, D(2016, 3, 31), submit=True)  # due 15 April: on time
    with at(D(2016, 7, 20)):
        report(officer, activity, D(2016, 6, 30), submit=True)  # due 15 July: 5 days late
    activity.refresh_from_db()
    # The plan's periods; the first submissions of the activity's reports.
    with django_assert_num_queries(2):
        found = period_selectors.activity_reports(activity=activity, today=D(2016, 10, 20))
    assert [(r.period.label, r.state.state, r.state.days_late) for r in found] == [
        ("Q1 2016", "on_time", 0),
        ("Q2 2016", "submitted_late", 5),
        ("Q3 2016", "missing", 5),
        ("Q4 2016", "upcoming", 0),
    ]


@pytest.mark.django_db
def test_the_plans_late_reports_most_days_late_first_in_two_queries_whatever_their_number(
    plan_2016, officer, activity, django_assert_num_queries
):
    with at(D(2016, 7, 20)):
        report(officer, activity, D(2016, 6, 30), submit=True)  # due 15 July: 5 days late
    ActivityFactory(matrix=plan_2016, code="T-02", start_date=D(2016, 7, 1), end_date=None)
    today = D(2016, 10, 20)
    # The plan's periods; the late (activity, period) pairs with their count.
    with django_assert_num_queries(2):
        late = period_selectors.late_reports(
            viewer=None, plan_id=plan_2016.plan_id, today=today, limit=10
        )
    assert [
        (r.activity_code, r.period.label, r.state.state, r.state.days_late) for r in late.rows
    ] == [
        ("T-01", "Q1 2016", "missing", 188),
        ("T-01", "Q2 2016", "submitted_late", 5),
        ("T-01", "Q3 2016", "missing", 5),
        ("T-02", "Q3 2016", "missing", 5),  # it started in July: Q1 and Q2 are none of its periods
    ]
    assert (late.total, late.cut) == (4, False)
    for n in range(10):
        ActivityFactory(matrix=plan_2016, code=f"X-{n:02d}")
    with django_assert_num_queries(2):
        late = period_selectors.late_reports(
            viewer=None, plan_id=plan_2016.plan_id, today=today, limit=5
        )
    assert (len(late.rows), late.total, late.cut) == (5, 4 + 30, True)
    assert [r.state.days_late for r in late.rows] == [188] * 5
    # The database's choice agrees with the pure rule applied to every activity and period.
    every = period_selectors.late_reports(
        viewer=None, plan_id=plan_2016.plan_id, today=today, limit=100
    )
    by_rule = sorted(
        (a.code, r.period.label, r.state.days_late)
        for a in plan_2016.activities.all()
        for r in period_selectors.activity_reports(activity=a, today=today)
        if r.state.is_late
    )
    assert (
        sorted((r.activity_code, r.period.label, r.state.days_late) for r in every.rows) == by_rule
    )


@pytest.mark.django_db
def test_no_report_is_late_before_the_first_due_date_or_without_a_calendar(plan_2016, activity):
    assert period_selectors.late_reports(
        viewer=None, plan_id=plan_2016.plan_id, today=D(2016, 4, 15), limit=10
    ) == period_selectors.LateReports(rows=[], total=0)
    other = MatrixFactory()
    ActivityFactory(matrix=other)
    assert (
        period_selectors.late_reports(
            viewer=None, plan_id=other.plan_id, today=D(2030, 1, 1), limit=10
        ).total
        == 0
    )


@pytest.mark.django_db
def test_a_restricted_activitys_late_reports_are_listed_only_to_who_may_see_it(
    plan_2016, activity, officer
):
    from publication import services as publication_services
    from publication.rules import FIELD_GROUPS
    from tests.factories import partner_viewer

    publication_services.set_disclosure(
        actor=None,
        activity_id=activity.pk,
        version=None,
        tier="restricted",
        field_tiers=dict.fromkeys(FIELD_GROUPS, "partners"),
    )
    today = D(2016, 10, 20)

    def listed(viewer) -> list[str]:
        late = period_selectors.late_reports(
            plan_id=plan_2016.plan_id, today=today, viewer=viewer, limit=10
        )
        return [*sorted({r.activity_code for r in late.rows}), str(late.total)]

    assert listed(officer) == ["T-01", "3"]  # its organization takes part
    assert listed(make_user(Profile.Role.MANAGER)) == ["T-01", "3"]
    assert listed(partner_viewer(activity)) == ["0"]  # not even counted
