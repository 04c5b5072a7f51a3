"""The synthetic portfolio generator (benchmarks): shape of the data, and its removal."""

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from activities import period_selectors
from activities.models import (
    Activity,
    ActivityParticipation,
    FundingCommitment,
    Indicator,
    Measurement,
    Milestone,
    ProgressUpdate,
    ReportingPeriod,
)
from devtools.synthetic import delete_synthetic_portfolios, generate_portfolio
from monitoring import engine
from monitoring.models import Assessment, MonitoringRun
from partnership.models import ActivityMatrix, JointActionPlan, Partnership
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def test_each_activity_gets_the_realistic_set_of_facts():
    summary = generate_portfolio(activities=40, partnerships=2, plans_per_partnership=2, slab=15)

    assert summary.activities == Activity.objects.count() == 40
    assert len(summary.plan_ids) == 4
    assert ActivityMatrix.objects.filter(plan_id__in=summary.plan_ids).count() == 4
    assert Partnership.objects.filter(pk__in=summary.partnership_ids).count() == 2
    per_activity = Activity.objects.select_related("matrix").annotate(
        n_milestones=Count("milestones", distinct=True),
        n_indicators=Count("indicators", distinct=True),
        n_updates=Count("updates", distinct=True),
        funding_lines=Count("funding", distinct=True),
        participants=Count("participations", distinct=True),
        leads=Count("participations", filter=Q(participations__role="lead"), distinct=True),
    )
    for activity in per_activity:
        assert (activity.n_milestones, activity.n_indicators, activity.n_updates) == (5, 3, 6)
        assert activity.funding_lines == 2
        assert 1 <= activity.participants <= 3
        assert activity.leads == 1
        assert activity.matrix.plan_id in summary.plan_ids
    assert Measurement.objects.count() == summary.measurements == 40 * 9
    assert ProgressUpdate.objects.filter(state="approved").count() > 40 * 4
    assert summary.rows == 40 + 200 + 120 + 360 + 240 + 80 + ActivityParticipation.objects.count()
    # Every activity spread over the plans, none left out.
    by_plan = Counter(Activity.objects.values_list("matrix__plan_id", flat=True))
    assert set(by_plan.values()) == {10}


def test_the_portfolio_meets_varied_statuses():
    generate_portfolio(activities=60, partnerships=1, plans_per_partnership=1, seed=3)
    ids = list(Activity.objects.values_list("pk", flat=True))
    outcome = engine.assess_activities(ids, as_of=dt.date(2016, 12, 31))
    assert len([status for status, n in outcome.counts.items() if n]) >= 4


def test_each_plan_reports_quarterly_with_some_reports_missing():
    summary = generate_portfolio(activities=30, partnerships=1, plans_per_partnership=1, seed=5)
    plan_id = summary.plan_ids[0]
    quarters = ReportingPeriod.objects.filter(calendar__plan_id=plan_id)
    assert sorted(quarters.values_list("label", flat=True)) == [
        "Q1 2016",
        "Q2 2016",
        "Q3 2016",
        "Q4 2016",
    ]
    reported = ProgressUpdate.objects.filter(period__isnull=False)
    assert reported.exists()
    # No quarter is reported on twice by one activity, so the period lock holds.
    assert reported.values("activity", "period").distinct().count() == reported.count()
    for update in reported.select_related("period"):
        assert update.period.starts_on <= update.period_end <= update.period.ends_on
    late = period_selectors.late_reports(
        viewer=None, plan_id=plan_id, today=dt.date(2017, 3, 1), limit=10
    )
    assert 0 < late.total < 30 * 4


def test_the_same_seed_gives_the_same_portfolio():
    generate_portfolio(activities=5, partnerships=1, plans_per_partnership=1, seed=11)
    first = list(Milestone.objects.order_by("id").values_list("due_date", "completed_on"))
    delete_synthetic_portfolios()
    generate_portfolio(activities=5, partnerships=1, plans_per_partnership=1, seed=11)
    assert list(Milestone.objects.order_by("id").values_list("due_date", "completed_on")) == first


def test_deleting_synthetic_portfolios_removes_everything_that_hangs_off_them():
    kept = ActivityFactory()
    summary = generate_portfolio(activities=8, partnerships=1, plans_per_partnership=2)
    ids = list(Activity.objects.exclude(pk=kept.pk).values_list("pk", flat=True))
    engine.assess_activities([*ids, kept.pk], as_of=dt.date(2016, 6, 30))
    MonitoringRun.objects.create(
        plan_id=summary.plan_ids[0],
        as_of=dt.date(2016, 6, 30),
        trigger="manual",
        deadline="2016-07-01T00:00:00Z",
    )

    assert delete_synthetic_portfolios() == 1

    assert list(Activity.objects.values_list("pk", flat=True)) == [kept.pk]
    assert list(Assessment.objects.values_list("activity_id", flat=True)) == [kept.pk]
    assert not JointActionPlan.objects.filter(pk__in=summary.plan_ids).exists()
    assert not MonitoringRun.objects.exists()
    for model in (Milestone, Indicator, Measurement, ProgressUpdate, FundingCommitment):
        assert not model.objects.exclude(
            **{"activity" if model is not Measurement else "indicator__activity": kept}
        ).exists()
    assert delete_synthetic_portfolios() == 0


def test_the_command_reports_what_it_wrote():
    out = StringIO()
    call_command(
        "generate_portfolio", "--activities", "6", "--partnerships", "1",
        "--plans-per-partnership", "2", stdout=out,
    )  # fmt: skip
    assert "Generated 6 activities in 2 plans" in out.getvalue()

    out = StringIO()
    call_command("generate_portfolio", "--activities", "3", "--replace", stdout=out)
    assert "Deleted 1 synthetic partnership(s)." in out.getvalue()
    assert Activity.objects.count() == 3
