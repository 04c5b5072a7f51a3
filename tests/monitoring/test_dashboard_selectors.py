"""The dashboard's reads: numbers as the assessments of a date say, in a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count

from activities.models import Activity
from monitoring import selectors
from monitoring.dashboard import funding, overview, priorities, report, scope, sdg
from monitoring.models import Assessment
from tests.factories import (
    ActivityFactory,
    FundingFactory,
    MilestoneFactory,
    OrganizationFactory,
    thematic_area,
)
from tests.monitoring.dashboard_scenario import MONTH_ENDS_2016, assess, build_scenario
from tests.monitoring.everyone import EVERYONE

pytestmark = pytest.mark.django_db

MARCH, APRIL, JUNE, OCTOBER, DECEMBER = (
    dt.date(2016, 3, 31),
    dt.date(2016, 4, 30),
    dt.date(2016, 6, 30),
    dt.date(2016, 10, 31),
    dt.date(2016, 12, 31),
)


@pytest.fixture
def scenario():
    scenario = build_scenario()
    assess(scenario.plan, MONTH_ENDS_2016)
    return scenario


def assessed_counts(plan, on: dt.date) -> dict[str, int]:
    """What the Assessment rows of that date say, counted straight from the table."""
    rows = (
        Assessment.objects.filter(activity__matrix__plan=plan, as_of=on)
        .values("status")
        .annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}


def test_assessed_dates_are_the_plans_run_dates_newest_first(scenario, django_assert_num_queries):
    with django_assert_num_queries(1):
        dates = scope.assessed_dates(plan_id=scenario.plan.pk)
    assert dates == sorted(MONTH_ENDS_2016, reverse=True)
    assert dates[0] == selectors.latest_assessed_on(plan_id=scenario.plan.pk)


def test_trend_equals_the_status_counts_of_each_date_in_one_query(
    scenario, django_assert_num_queries
):
    dates = [*MONTH_ENDS_2016, dt.date(2016, 5, 15)]  # and one between two runs
    december = selectors.status_counts(plan_id=scenario.plan.pk, as_of=DECEMBER)
    with django_assert_num_queries(1):
        points = overview.status_trend(
            plan_id=scenario.plan.pk, dates=dates, latest=DECEMBER, last=december
        )
    assert [p.as_of for p in points] == dates
    for point in points:
        expected = selectors.status_counts(plan_id=scenario.plan.pk, as_of=point.as_of)
        assert point.counts == expected.counts
        assert point.unassessed == expected.unassessed
    for point in points[:-1]:
        assert {k: v for k, v in point.counts.items() if v} == assessed_counts(
            scenario.plan, point.as_of
        )
    # The picture changes through the year.
    assert len({tuple(p.counts.values()) for p in points}) > 3


def test_trend_counts_activities_not_yet_assessed_apart(scenario):
    ActivityFactory(matrix=scenario.matrix, code="NEW-1")
    june = selectors.status_counts(plan_id=scenario.plan.pk, as_of=JUNE)
    (point,) = overview.status_trend(
        plan_id=scenario.plan.pk, dates=[JUNE], latest=DECEMBER, last=june
    )
    assert point.unassessed == 1
    assert point.total == Activity.objects.filter(matrix=scenario.matrix).count()


def test_priority_cards_show_each_priority_as_it_stood_on_the_date(
    scenario, django_assert_num_queries
):
    with django_assert_num_queries(2):  # designations with subqueries; participations
        cards = priorities.priority_cards(
            plan_id=scenario.plan.pk, viewer=EVERYONE, year=2016, as_of=APRIL
        )
    assert [c.code for c in cards] == ["T-01", "C-01", "D-01", "I-01"]
    for card in cards:
        assessment = Assessment.objects.get(activity_id=card.activity_id, as_of=APRIL)
        assert card.status == assessment.status
        assert card.reasons == assessment.reasons
        assert card.assessed_on == APRIL
    terror, dark = cards[0], cards[1]
    # The workshop was completed on 25 March: the next milestone is the final report.
    assert (terror.next_milestone, terror.next_milestone_due) == (
        "Final report",
        dt.date(2016, 11, 30),
    )
    # The 31 March report was approved on 5 April.
    assert (terror.last_update_period_end, terror.last_update_percent) == (
        dt.date(2016, 3, 31),
        25,
    )
    assert dark.next_milestone == "Dark net threat report"
    assert dark.next_milestone_overdue_days == (APRIL - dt.date(2016, 2, 15)).days
    assert dark.last_update_period_end is None
    assert terror.organizations == [("INTERPOL", "Lead"), ("UNODC", "Partner")]


def test_priority_cards_ignore_what_was_not_yet_known_on_the_date(scenario):
    (terror, *_rest) = priorities.priority_cards(
        plan_id=scenario.plan.pk, viewer=EVERYONE, year=2016, as_of=dt.date(2016, 4, 4)
    )
    # Approved on 5 April: on the 4th only the January report was known.
    assert (terror.last_update_period_end, terror.last_update_percent) == (
        dt.date(2016, 1, 31),
        8,
    )
    # Between two runs the card shows the latest assessment before the date.
    assert terror.assessed_on == MARCH


def test_priority_cards_read_the_assessment_not_the_current_status(scenario):
    # The current status kept on the activity is December's; April's card must not show it.
    Activity.objects.filter(code="C-01").update(status="completed")
    dark = priorities.priority_cards(
        plan_id=scenario.plan.pk, viewer=EVERYONE, year=2016, as_of=APRIL
    )[1]
    assert dark.status == Assessment.objects.get(activity__code="C-01", as_of=APRIL).status
    assert dark.status != "completed"


def test_overdue_milestones_are_those_open_past_due_on_the_date(
    scenario, django_assert_num_queries
):
    # Completed after the date: still overdue on the date.
    MilestoneFactory(
        activity=scenario.activities["I-01"],
        title="Liaison handbook",
        due_date=dt.date(2016, 3, 1),
        completed_on=dt.date(2016, 5, 1),
    )
    with django_assert_num_queries(2):  # the page of milestones, their count
        overdue = overview.overdue_milestones(
            plan_id=scenario.plan.pk, viewer=EVERYONE, as_of=APRIL
        )
        total = overview.overdue_milestones_total(
            plan_id=scenario.plan.pk, viewer=EVERYONE, as_of=APRIL
        )
    assert [(m.activity_code, m.title, m.days_overdue) for m in overdue] == [
        ("C-01", "Dark net threat report", 75),
        ("I-01", "Liaison handbook", 60),
    ]
    assert total == 2
    after = overview.overdue_milestones(plan_id=scenario.plan.pk, viewer=EVERYONE, as_of=JUNE)
    assert [m.title for m in after] == ["Dark net threat report"]
    before = dt.date(2016, 2, 15)
    assert (
        overview.overdue_milestones(plan_id=scenario.plan.pk, viewer=EVERYONE, as_of=before) == []
    )
    assert (
        overview.overdue_milestones_total(plan_id=scenario.plan.pk, viewer=EVERYONE, as_of=before)
        == 0
    )


def test_overdue_milestones_are_capped_but_counted(scenario):
    for i in range(3):
        MilestoneFactory(activity=scenario.activities["T-01"], due_date=dt.date(2016, 1, 10 + i))
    overdue = overview.overdue_milestones(
        plan_id=scenario.plan.pk, viewer=EVERYONE, as_of=APRIL, limit=2
    )
    assert len(overdue) == 2
    assert (
        overview.overdue_milestones_total(plan_id=scenario.plan.pk, viewer=EVERYONE, as_of=APRIL)
        == 4
    )


def test_stale_reports_are_the_assessments_stale_reporting_findings(
    scenario, django_assert_num_queries
):
    with django_assert_num_queries(3):  # the attention list; the stale list and its total
        attention = overview.needing_attention(
            plan_id=scenario.plan.pk, viewer=EVERYONE, as_of=JUNE
        )
        stale, stale_total = overview.stale_reports(
            plan_id=scenario.plan.pk, viewer=EVERYONE, as_of=JUNE
        )
    expected = {
        a.activity.code
        for a in Assessment.objects.filter(activity__matrix=scenario.matrix, as_of=JUNE)
        if any(r["code"] == "stale_reporting" for r in a.reasons)
    }
    assert expected  # the scenario has some
    assert {item.code for item, _ in stale} == expected
    assert stale_total == len(expected)
    assert all(reason["code"] == "stale_reporting" for _, reason in stale)
    counts = selectors.status_counts(plan_id=scenario.plan.pk, as_of=JUNE)
    total = overview.attention_total(plan_id=scenario.plan.pk, as_of=JUNE, viewer=EVERYONE)
    # Someone who may see everything: the total is the status counts' too.
    assert total == len(attention) == sum(counts.counts[s] for s in overview.ATTENTION_STATUSES)
    # Off track first, then at risk.
    statuses = [item.status for item in attention]
    assert statuses == sorted(statuses, key=lambda s: overview.ATTENTION_STATUSES.index(s))


def test_on_the_latest_date_the_current_status_gives_what_the_assessments_give(scenario):
    """The fast path (the status the engine keeps on each activity) against the assessments of
    the plan's latest date, for every dashboard read that takes it."""
    plan_id, on = scenario.plan.pk, DECEMBER
    assert selectors.latest_assessed_on(plan_id=plan_id) == on
    MilestoneFactory(activity=scenario.activities["T-01"], due_date=dt.date(2016, 11, 1))

    def read(current: bool) -> list:
        read_args = {"plan_id": plan_id, "as_of": on, "current": current}
        return [
            selectors.status_counts(**read_args),
            selectors.status_counts_by_thematic_area(**read_args),
            selectors.status_counts_by_organization(**read_args),
            overview.needing_attention(**read_args, viewer=EVERYONE),
            overview.stale_reports(**read_args, viewer=EVERYONE),
            overview.overdue_milestones(**read_args, viewer=EVERYONE),
            overview.overdue_milestones_total(**read_args, viewer=EVERYONE),
            sdg.sdg_rows(**read_args),
            report.report_sections(
                **read_args,
                year=2016,
                areas=scope.thematic_areas(),
                area_counts=[],
                viewer=EVERYONE,
            ),
            overview.status_trend(
                plan_id=plan_id,
                dates=[on],
                latest=on if current else dt.date.max,
                last=selectors.status_counts(plan_id=plan_id, as_of=on),
            ),
        ]

    fast, assessed = read(True), read(False)
    assert fast == assessed
    totals = [
        overview.attention_total(plan_id=plan_id, as_of=on, current=current, viewer=EVERYONE)
        for current in (True, False)
    ]
    assert totals == [len(fast[3])] * 2 and totals[0] > 0


def test_funding_by_area_counts_secured_money_dated_by_then(scenario, django_assert_num_queries):
    areas = scope.thematic_areas()
    with django_assert_num_queries(2):  # sums per area and currency; donors per area
        january = {
            r.name: r
            for r in funding.funding_by_area(
                plan_id=scenario.plan.pk, as_of=dt.date(2016, 1, 31), areas=areas
            )
        }
    june = {
        r.name: r
        for r in funding.funding_by_area(plan_id=scenario.plan.pk, as_of=JUNE, areas=areas)
    }
    # EU's 60,000 for T-01 is dated 1 February.
    assert january["Terrorism"].secured == 0
    assert june["Terrorism"].secured == Decimal("60000")
    assert june["Terrorism"].gap == Decimal("40000")
    # A pledge is not secured money, but the donor is named.
    assert june["Cybercrime"].secured == 0
    assert june["Cybercrime"].donors == ["EU"]
    assert january["Cybercrime"].donors == []
    assert june["Institutional capacity"].coverage_percent == 80
    assert list(june) == [a.name for a in areas]


def test_funding_gap_of_an_area_adds_up_each_activitys_own_shortfall(scenario):
    donor = OrganizationFactory(acronym="DE")
    area = thematic_area("cybercrime")
    rich = ActivityFactory(matrix=scenario.matrix, thematic_area=area, code="C-RICH")
    FundingFactory(activity=rich, donor=donor, amount=Decimal("250000"), date=dt.date(2016, 1, 1))
    # Money in another currency is not counted against a USD requirement.
    FundingFactory(
        activity=scenario.activities["C-01"],
        donor=donor,
        amount=Decimal("90000"),
        currency="EUR",
        date=dt.date(2016, 1, 1),
    )
    (row,) = [
        r
        for r in funding.funding_by_area(
            plan_id=scenario.plan.pk, as_of=JUNE, areas=scope.thematic_areas()
        )
        if r.name == "Cybercrime"
    ]
    assert row.required == Decimal("200000")
    assert row.secured == Decimal("250000")
    assert row.gap == Decimal("100000")  # C-01's; C-RICH's surplus does not cover it
    assert row.with_gap == 1
    totals = funding.funding_totals(
        funding.funding_by_area(plan_id=scenario.plan.pk, as_of=JUNE, areas=scope.thematic_areas())
    )
    assert [t.currency for t in totals] == ["USD"]
    assert totals[0].activities == 8


def test_funding_by_activity_lists_the_largest_gaps_with_donors(
    scenario, django_assert_num_queries
):
    with django_assert_num_queries(2):  # activities with sums; their funding with donors
        rows = funding.funding_by_activity(
            plan_id=scenario.plan.pk, viewer=EVERYONE, as_of=JUNE, limit=3
        )
    assert len(rows) == 3
    assert all(r.gap == Decimal("100000") for r in rows)
    by_code = {
        r.code: r
        for r in funding.funding_by_activity(
            plan_id=scenario.plan.pk, viewer=EVERYONE, as_of=JUNE, limit=50
        )
    }
    assert by_code["C-01"].donors == [("EU", "Pledged")]
    assert by_code["T-01"].gap == Decimal("40000")
    assert by_code["T-01"].donors == [("EU", "Committed")]
    assert "F-01" not in by_code  # fully funded
    assert by_code["I-01"].gap == Decimal("20000")  # 80,000 received of 100,000
    gaps = [r.gap for r in by_code.values()]
    assert gaps == sorted(gaps, reverse=True)


def test_sdg_rows_list_every_sdg16_target_and_the_others_touched(
    scenario, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the goal's targets; the plan's links with status
        rows = sdg.sdg_rows(plan_id=scenario.plan.pk, as_of=JUNE)
    codes = [r.code for r in rows]
    assert codes[:12] == [
        "16.1", "16.2", "16.3", "16.4", "16.5", "16.6", "16.7", "16.8", "16.9", "16.10",
        "16.a", "16.b",
    ]  # fmt: skip
    assert codes[12:] == ["3.5"]
    by_code = {r.code: r for r in rows}
    assert by_code["16.2"].total == 0
    assert [a[1] for a in by_code["16.4"].activities] == ["C-01", "D-01"]
    for activity_id, _code, _title, status in by_code["16.a"].activities:
        assert status == Assessment.objects.get(activity_id=activity_id, as_of=JUNE).status
    assert sum(by_code["16.a"].counts.values()) + by_code["16.a"].unassessed == 6


def test_report_sections_follow_the_areas_with_priorities_flagged(
    scenario, django_assert_num_queries
):
    areas = scope.thematic_areas()
    counts = selectors.status_counts_by_thematic_area(plan_id=scenario.plan.pk, as_of=JUNE)
    with django_assert_num_queries(1):
        sections = report.report_sections(
            plan_id=scenario.plan.pk,
            as_of=JUNE,
            year=2016,
            areas=areas,
            area_counts=counts,
            viewer=EVERYONE,
        )
    assert [s.area.code for s in sections] == [a.code for a in areas]
    trafficking = next(s for s in sections if s.area.code == "trafficking-organized-crime")
    assert [(a.code, a.is_priority, a.lead) for a in trafficking.activities] == [
        ("D-01", True, "UNODC"),
        ("D-02", False, "INTERPOL"),
    ]
    assert [a.code for a in trafficking.priorities] == ["D-01"]
    for section in sections:
        for activity in section.activities:
            assessment = Assessment.objects.get(activity_id=activity.activity_id, as_of=JUNE)
            assert (activity.status, activity.reasons) == (assessment.status, assessment.reasons)
        assert section.counts.total == len(section.activities)


def test_dashboard_plans_put_drafts_last(scenario):
    from tests.factories import PlanFactory

    draft = PlanFactory(
        state="draft", period_start=dt.date(2017, 1, 1), period_end=dt.date(2017, 12, 31)
    )
    plans = scope.dashboard_plans()
    assert plans[-1] == draft
    assert scope.default_plan(plans) == scenario.plan
