"""Selectors: status as of a date, history, counts by status per area and organization."""

import datetime as dt

import pytest

from activities.models import ActivityParticipation
from monitoring import selectors
from tests.factories import (
    ActivityFactory,
    MatrixFactory,
    OrganizationFactory,
    ParticipationFactory,
    assess,
    thematic_area,
)

pytestmark = pytest.mark.django_db

MAR, JUN, SEP = dt.date(2016, 3, 31), dt.date(2016, 6, 30), dt.date(2016, 9, 30)


@pytest.fixture
def portfolio():
    """Two areas, two organizations; statuses at the end of March and June."""
    matrix = MatrixFactory()
    terrorism, cyber = thematic_area("terrorism"), thematic_area("cybercrime")
    interpol, unodc = OrganizationFactory(acronym="INTERPOL"), OrganizationFactory(acronym="UNODC")
    a = ActivityFactory(matrix=matrix, thematic_area=terrorism)
    b = ActivityFactory(matrix=matrix, thematic_area=terrorism)
    c = ActivityFactory(matrix=matrix, thematic_area=cyber)
    never = ActivityFactory(matrix=matrix, thematic_area=cyber)
    ActivityFactory(thematic_area=cyber)  # another plan's activity, never counted
    ParticipationFactory(activity=a, organization=interpol)
    ParticipationFactory(activity=b, organization=unodc)
    ParticipationFactory(activity=c, organization=interpol)
    ParticipationFactory(activity=c, organization=unodc, role=ActivityParticipation.Role.PARTNER)
    ParticipationFactory(activity=never, organization=unodc)
    assess(a, MAR, "on_track")
    assess(a, JUN, "at_risk")
    assess(b, MAR, "off_track")
    assess(c, JUN, "completed")
    return matrix.plan, {"a": a, "b": b, "c": c, "never": never}


def test_status_history_is_oldest_first_within_the_range(portfolio, django_assert_num_queries):
    _, acts = portfolio
    a = acts["a"]
    assess(a, SEP, "off_track")

    with django_assert_num_queries(1):  # the assessments
        everything = [x.as_of for x in selectors.status_history(activity_id=a.pk)]
    assert everything == [MAR, JUN, SEP]
    assert [
        x.status for x in selectors.status_history(activity_id=a.pk, date_from=JUN, date_to=JUN)
    ] == ["at_risk"]
    assert [x.as_of for x in selectors.status_history(activity_id=a.pk, date_to=JUN)] == [MAR, JUN]


def test_counts_by_status_for_a_plan_on_a_date(portfolio):
    plan, _ = portfolio
    march = selectors.status_counts(plan_id=plan.pk, as_of=MAR)
    assert {k: v for k, v in march.counts.items() if v} == {"on_track": 1, "off_track": 1}
    assert march.unassessed == 2

    # In September each activity stands at its latest assessment, whenever that was.
    september = selectors.status_counts(plan_id=plan.pk, as_of=SEP)
    assert {k: v for k, v in september.counts.items() if v} == {
        "at_risk": 1,
        "off_track": 1,
        "completed": 1,
    }
    assert (september.unassessed, september.total) == (1, 4)


def test_counts_by_thematic_area(portfolio):
    plan, _ = portfolio
    rows = selectors.status_counts_by_thematic_area(plan_id=plan.pk, as_of=SEP)

    assert len(rows) == 2
    terrorism = next(row for row in rows if row.key == thematic_area("terrorism").pk)
    cyber = next(row for row in rows if row.key == thematic_area("cybercrime").pk)
    assert {k: v for k, v in terrorism.counts.items() if v} == {"at_risk": 1, "off_track": 1}
    assert {k: v for k, v in cyber.counts.items() if v} == {"completed": 1}
    assert cyber.unassessed == 1


def test_counts_by_organization_through_participation(portfolio):
    plan, _ = portfolio
    rows = {row.name: row for row in selectors.status_counts_by_organization(
        plan_id=plan.pk, as_of=SEP
    )}  # fmt: skip

    assert set(rows) == {"INTERPOL", "UNODC"}
    assert {k: v for k, v in rows["INTERPOL"].counts.items() if v} == {
        "at_risk": 1,
        "completed": 1,
    }
    # UNODC leads b and `never`, and is a partner in c.
    assert {k: v for k, v in rows["UNODC"].counts.items() if v} == {
        "off_track": 1,
        "completed": 1,
    }
    assert rows["UNODC"].unassessed == 1

    leads = {row.name: row.total for row in selectors.status_counts_by_organization(
        plan_id=plan.pk, as_of=SEP, role=ActivityParticipation.Role.LEAD
    )}  # fmt: skip
    assert leads == {"INTERPOL": 2, "UNODC": 2}


def test_latest_assessed_date_of_a_plan(portfolio):
    plan, _ = portfolio
    assert selectors.latest_assessed_on(plan_id=plan.pk) == JUN
    assert selectors.latest_assessed_on(plan_id=MatrixFactory().plan.pk) is None


def test_counts_take_one_query_however_large_the_plan(django_assert_num_queries):
    matrix = MatrixFactory()
    organizations = OrganizationFactory.create_batch(3)

    def grow(n):
        for i in range(n):
            activity = ActivityFactory(
                matrix=matrix, thematic_area=thematic_area(["terrorism", "cybercrime"][i % 2])
            )
            ParticipationFactory(activity=activity, organization=organizations[i % 3])
            assess(activity, JUN, ["on_track", "at_risk", "off_track"][i % 3])

    for size in (3, 12):
        grow(size)
        # One grouped query each: activities (or participations) with each one's latest
        # status on or before the date as a correlated subquery, counted by group.
        with django_assert_num_queries(1):
            selectors.status_counts(plan_id=matrix.plan.pk, as_of=SEP)
        with django_assert_num_queries(1):
            selectors.status_counts_by_thematic_area(plan_id=matrix.plan.pk, as_of=SEP)
        with django_assert_num_queries(1):
            rows = selectors.status_counts_by_organization(plan_id=matrix.plan.pk, as_of=SEP)
        with django_assert_num_queries(1):
            selectors.latest_assessed_on(plan_id=matrix.plan.pk)
    assert sum(row.total for row in rows) == 15


def test_the_scope_of_a_run(portfolio):
    plan, acts = portfolio
    ids = selectors.activity_ids_in_scope(plan_id=plan.pk, as_of=SEP)
    assert ids == sorted(a.pk for a in acts.values())
