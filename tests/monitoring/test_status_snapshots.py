"""Stored status snapshots (monitoring.snapshots): equal to the live selectors they are computed
with, invalidated by the database on every write that can change them, whoever writes, and
warmed when a run finishes."""

import datetime as dt
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.urls import reverse

from activities.models import Activity, ActivityParticipation, Milestone
from monitoring import dashboard_selectors as ds
from monitoring import selectors, services, snapshots
from monitoring.models import Assessment, MonitoringRun, PlanDataVersion, StatusSnapshot
from partnership.models import JointActionPlan
from tests.factories import (
    ActivityFactory,
    MatrixFactory,
    MilestoneFactory,
    PlanFactory,
    thematic_area,
)
from tests.monitoring.dashboard_scenario import MONTH_ENDS_2016, assess, build_scenario
from tests.monitoring.db_triggers import plan_version_trigger_tables

pytestmark = pytest.mark.django_db

JUNE, DECEMBER = dt.date(2016, 6, 30), dt.date(2016, 12, 31)
SUMMARY = "/api/v1/monitoring/summary/"


@pytest.fixture
def scenario():
    scenario = build_scenario()
    assess(scenario.plan, MONTH_ENDS_2016)
    return scenario


@pytest.fixture
def manager_client(client, scenario):
    client.force_login(scenario.reviewer)
    return client


def rows(counts_rows) -> list[tuple]:
    return [(row.key, row.counts, row.unassessed) for row in counts_rows]


def live(plan_id: int, on: dt.date) -> dict:
    """The reference: what the live selectors say."""
    attention = ds.needing_attention(plan_id=plan_id, as_of=on)
    stale = ds.stale_reports(attention)
    overdue = ds.overdue_milestones(plan_id=plan_id, as_of=on, limit=snapshots.LIST_LIMIT)
    return {
        "overall": rows([selectors.status_counts(plan_id=plan_id, as_of=on)])[0][1:],
        "by_area": sorted(
            rows(selectors.status_counts_by_thematic_area(plan_id=plan_id, as_of=on))
        ),
        "by_organization": sorted(
            rows(selectors.status_counts_by_organization(plan_id=plan_id, as_of=on))
        ),
        "attention": (len(attention), [i.activity_id for i in attention][:50]),
        "stale": (len(stale), [(i.activity_id, r) for i, r in stale][:50]),
        "overdue": (
            ds.overdue_milestones_total(plan_id=plan_id, as_of=on),
            [(m.milestone_id, m.status) for m in overdue],
        ),
    }


def stored(plan_id: int, on: dt.date) -> dict:
    figures = snapshots.plan_figures(plan_id=plan_id, as_of=on)
    attention = figures.attention
    return {
        "overall": rows([figures.overall])[0][1:],
        "by_area": sorted(rows(figures.by_area)),  # names are read live, by the caller
        "by_organization": sorted(rows(figures.by_organization)),
        "attention": (attention["total"], [row[0] for row in attention["items"]]),
        "stale": (attention["stale_total"], [(row[0], row[2]) for row in attention["stale"]]),
        "overdue": (
            figures.overdue["total"],
            [(pk, status) for pk, status in figures.overdue["items"]],
        ),
    }


def summary(client, plan, on) -> dict:
    response = client.get(SUMMARY, {"plan": plan.pk, "as_of": on.isoformat()})
    assert response.status_code == 200
    return response.json()


# --- Equal to the live computation ---------------------------------------------------------------


@pytest.fixture
def demo(monkeypatch, settings):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", stdout=StringIO())


def test_snapshots_equal_the_live_figures_for_every_month_end_of_the_demo_replay(
    demo, django_assert_num_queries
):
    checked = 0
    for plan in JointActionPlan.objects.all():
        dates = ds.assessed_dates(plan_id=plan.pk)
        for on in dates:
            expected = live(plan.pk, on)
            assert stored(plan.pk, on) == expected  # computed and stored
            with django_assert_num_queries(1):  # the snapshot with the date and the version
                assert stored(plan.pk, on) == expected
            checked += 1
        if dates:
            # Days after the latest run read overdue milestones through the activities' current
            # status: the same as the exact lookups of the assessment in effect.
            for day in (dates[0], dates[0] + dt.timedelta(days=20)):
                exact = ds.overdue_milestones(plan_id=plan.pk, as_of=day, limit=1000)
                fast = ds.overdue_milestones(plan_id=plan.pk, as_of=day, limit=1000, current=True)
                assert fast == exact
                total = ds.overdue_milestones_total(plan_id=plan.pk, as_of=day, current=True)
                assert total == len(exact)
    assert checked >= 12  # the 2016 plan replayed month by month


def test_a_date_between_runs_reads_the_snapshot_of_the_run_before(scenario):
    between = dt.date(2016, 5, 15)
    figures = snapshots.plan_figures(plan_id=scenario.plan.pk, as_of=between)
    assert figures.assessed_on == dt.date(2016, 4, 30)
    assert rows([figures.overall])[0][1:] == live(scenario.plan.pk, between)["overall"]
    # Overdue milestones depend on the day itself: never stored for another day.
    assert figures.overdue is None
    snapshot = StatusSnapshot.objects.get(plan=scenario.plan, as_of=dt.date(2016, 4, 30))
    assert snapshot.overdue is None


def test_before_the_first_run_every_activity_is_unassessed_and_nothing_is_stored(scenario):
    figures = snapshots.plan_figures(plan_id=scenario.plan.pk, as_of=dt.date(2015, 12, 31))
    assert figures.assessed_on is None
    assert sum(figures.overall.counts.values()) == 0
    assert figures.overall.unassessed == Activity.objects.filter(matrix=scenario.matrix).count()
    assert not StatusSnapshot.objects.exists()


# --- Assessed dates -------------------------------------------------------------------------------


def distinct_dates(plan) -> list[dt.date]:
    return list(
        Assessment.objects.filter(activity__matrix__plan=plan)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .distinct()
    )


def test_assessed_dates_follow_inserts_deletes_and_moves_between_plans(scenario):
    plan = scenario.plan
    assert ds.assessed_dates(plan_id=plan.pk) == distinct_dates(plan) == MONTH_ENDS_2016[::-1]
    Assessment.objects.filter(activity__matrix__plan=plan, as_of=DECEMBER).delete()
    assert ds.assessed_dates(plan_id=plan.pk) == distinct_dates(plan) == MONTH_ENDS_2016[-2::-1]
    # An activity moved to another plan takes its assessments' dates with it.
    other = PlanFactory()
    activity = scenario.activities["I-01"]
    activity.matrix = MatrixFactory(plan=other)
    activity.save()
    assert ds.assessed_dates(plan_id=other.pk) == distinct_dates(other) != []
    assert ds.assessed_dates(plan_id=plan.pk) == distinct_dates(plan)
    # An assessment moved to another date.
    Assessment.objects.filter(activity__matrix__plan=other, as_of=JUNE).update(
        as_of=dt.date(2016, 6, 15)
    )
    assert ds.assessed_dates(plan_id=other.pk) == distinct_dates(other)
    assert dt.date(2016, 6, 15) in ds.assessed_dates(plan_id=other.pk)


# --- Every write path invalidates ----------------------------------------------------------------


def test_the_engine_rewriting_a_date_with_new_results_shows_on_page_and_api(
    manager_client, scenario
):
    plan = scenario.plan
    before = summary(manager_client, plan, JUNE)
    # The facts change (the activities are suspended); the run as of June rewrites the date.
    Activity.objects.filter(matrix__plan=plan).update(lifecycle=Activity.Lifecycle.SUSPENDED)
    assess(plan, [JUNE])
    after = summary(manager_client, plan, JUNE)
    assert after != before
    assert after["overall"]["counts"] == selectors.status_counts(plan_id=plan.pk, as_of=JUNE).counts


def test_rerunning_a_date_with_the_same_results_keeps_the_snapshot(scenario):
    plan = scenario.plan
    snapshots.plan_figures(plan_id=plan.pk, as_of=JUNE)
    version = PlanDataVersion.objects.get(plan=plan).version
    assess(plan, [JUNE])  # same facts, same assessments: the upsert changes nothing that matters
    assert PlanDataVersion.objects.get(plan=plan).version == version


def test_an_override_shows_once_the_activity_is_reassessed(manager_client, scenario):
    plan, activity = scenario.plan, scenario.activities["T-01"]
    before = summary(manager_client, plan, DECEMBER)["overall"]["counts"]
    services.set_status_override(
        activity_id=activity.pk,
        status="suspended",
        reason="Paused by the partners",
        set_by=scenario.reviewer,
        set_on=dt.date(2016, 12, 1),
    )
    assess(plan, [DECEMBER])
    after = summary(manager_client, plan, DECEMBER)["overall"]["counts"]
    assert after["suspended"] == before["suspended"] + 1
    assert after == selectors.status_counts(plan_id=plan.pk, as_of=DECEMBER).counts


def test_adding_and_deleting_an_activity_show_at_once(manager_client, scenario):
    plan = scenario.plan
    before = summary(manager_client, plan, JUNE)["overall"]
    activity = ActivityFactory(matrix=scenario.matrix, thematic_area=thematic_area("cybercrime"))
    added = summary(manager_client, plan, JUNE)["overall"]
    assert (added["unassessed"], added["total"]) == (before["unassessed"] + 1, before["total"] + 1)
    activity.delete()
    scenario.activities["C-01"].delete()  # an assessed one: its assessments go first
    after = summary(manager_client, plan, JUNE)["overall"]
    assert after["total"] == before["total"] - 1
    assert after["counts"] == selectors.status_counts(plan_id=plan.pk, as_of=JUNE).counts


def test_moving_an_activity_to_another_thematic_area_shows_on_the_page(manager_client, scenario):
    plan = scenario.plan
    url = reverse("monitoring:dashboard")
    html = manager_client.get(url, {"plan": plan.pk, "as_of": JUNE}).content.decode()
    activity = scenario.activities["T-01"]
    activity.thematic_area = thematic_area("cybercrime")
    activity.save()
    by_area = {
        row["name"]: row["total"] for row in summary(manager_client, plan, JUNE)["by_thematic_area"]
    }
    live_areas = {
        row.name: row.total
        for row in selectors.status_counts_by_thematic_area(plan_id=plan.pk, as_of=JUNE)
    }
    assert by_area == live_areas
    assert manager_client.get(url, {"plan": plan.pk, "as_of": JUNE}).content.decode() != html


def test_changing_a_participation_shows_in_the_counts_by_organization(manager_client, scenario):
    plan = scenario.plan

    def by_org() -> dict[str, int]:
        body = summary(manager_client, plan, JUNE)
        return {row["name"]: row["total"] for row in body["by_organization"]}

    before = by_org()
    participation = ActivityParticipation.objects.filter(
        activity__matrix__plan=plan, organization=scenario.unodc
    ).first()
    participation.delete()
    assert by_org()["UNODC"] == before["UNODC"] - 1
    # Handed over to the other organization, through the model as the admin saves it.
    lead = (
        ActivityParticipation.objects.filter(
            activity__matrix__plan=plan, organization=scenario.interpol
        )
        .exclude(activity__participations__organization=scenario.unodc)
        .first()
    )
    lead.organization = scenario.unodc
    lead.save()
    after = by_org()
    assert (after["UNODC"], after["INTERPOL"]) == (before["UNODC"], before["INTERPOL"] - 1)
    expected = {
        row.name: row.total
        for row in selectors.status_counts_by_organization(plan_id=plan.pk, as_of=JUNE)
    }
    assert after == expected


def test_completing_a_milestone_changes_the_overdue_total_on_the_page(manager_client, scenario):
    plan = scenario.plan
    url = reverse("monitoring:dashboard")
    april = dt.date(2016, 4, 30)
    html = manager_client.get(url, {"plan": plan.pk, "as_of": april}).content.decode()
    total = ds.overdue_milestones_total(plan_id=plan.pk, as_of=april)
    assert total > 0 and f"Overdue milestones ({total})" in html
    overdue = ds.overdue_milestones(plan_id=plan.pk, as_of=april, limit=1)[0]
    Milestone.objects.filter(activity_id=overdue.activity_id, title=overdue.title).update(
        completed_on=dt.date(2016, 1, 1)
    )
    html = manager_client.get(url, {"plan": plan.pk, "as_of": april}).content.decode()
    assert f"Overdue milestones ({total - 1})" in html
    MilestoneFactory(activity=scenario.activities["T-01"], due_date=dt.date(2016, 2, 1))
    html = manager_client.get(url, {"plan": plan.pk, "as_of": april}).content.decode()
    assert f"Overdue milestones ({total})" in html


def test_a_write_while_a_snapshot_is_computed_makes_it_invalid(scenario):
    """The version is read before the figures: a write that lands while they are computed (here
    in the middle of the computation) bumps it, so the snapshot stored is never served."""
    plan = scenario.plan
    real = ds.needing_attention

    def with_a_write_in_between(**kwargs):
        ActivityFactory(matrix=scenario.matrix, thematic_area=thematic_area("cybercrime"))
        return real(**kwargs)

    with mock.patch.object(ds, "needing_attention", side_effect=with_a_write_in_between):
        first = snapshots.plan_figures(plan_id=plan.pk, as_of=JUNE)
    snapshot = StatusSnapshot.objects.get(plan=plan, as_of=JUNE)
    assert snapshot.version < PlanDataVersion.objects.get(plan=plan).version
    figures = snapshots.plan_figures(plan_id=plan.pk, as_of=JUNE)
    assert figures.overall.total == Activity.objects.filter(matrix__plan=plan).count()
    assert figures.overall.total == first.overall.total + 1


# --- The database keeps the version ---------------------------------------------------------------


def test_the_triggers_exist_on_this_backend():
    tables = plan_version_trigger_tables()
    assert tables == {
        "monitoring_assessment",
        "activities_activity",
        "activities_activityparticipation",
        "activities_milestone",
        # Migration 0004, for the matrix counts.
        "activities_activity_topics",
        "activities_topic",
    }


def test_one_bulk_statement_bumps_each_plan_once(scenario):
    plan = scenario.plan
    version = PlanDataVersion.objects.get(plan=plan).version
    n = Assessment.objects.filter(activity__matrix__plan=plan).update(status="on_track")
    assert n > 1
    bumped = PlanDataVersion.objects.get(plan=plan).version - version
    # PostgreSQL: one statement-level trigger, one bump; SQLite: row-level triggers, at least one.
    if connection.vendor == "postgresql":
        assert bumped == 1
    else:
        assert bumped >= 1


def test_writes_that_change_no_figure_leave_the_version(scenario):
    plan = scenario.plan
    version = PlanDataVersion.objects.get(plan=plan).version
    # (The activity's own status column is a figure since migration 0004: the matrix counts it.)
    Activity.objects.filter(matrix__plan=plan).update(title="Renamed")
    Milestone.objects.filter(activity__matrix__plan=plan).update(title="Renamed")
    assert PlanDataVersion.objects.get(plan=plan).version == version


# --- Warm after a run, constant queries -----------------------------------------------------------


def test_a_finished_run_warms_the_snapshots_so_the_first_view_is_served_from_them(
    scenario, client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from tests.monitoring.test_dashboard_pages import DASHBOARD_WARM

    client.force_login(scenario.reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.request_run(
            plan_id=scenario.plan.pk, as_of=DECEMBER, trigger=MonitoringRun.Trigger.MANUAL
        )
    assert MonitoringRun.objects.get(pk=run.pk).state == MonitoringRun.State.FINISHED
    with django_assert_num_queries(DASHBOARD_WARM):
        assert client.get(reverse("monitoring:dashboard"), {"plan": scenario.plan.pk}).status_code
    assert services.warm_snapshots(run_id=run.pk) == [scenario.plan.pk]  # again: no harm


def test_the_beat_warm_up_refills_what_a_write_made_stale_so_the_next_view_is_served(
    scenario, client, django_assert_num_queries
):
    from monitoring import tasks
    from tests.monitoring.test_dashboard_pages import DASHBOARD_WARM

    assess(scenario.plan, [JUNE])
    client.force_login(scenario.reviewer)
    dashboard = (reverse("monitoring:dashboard"), {"plan": scenario.plan.pk})
    assert client.get(*dashboard).status_code == 200  # fills the snapshots
    assert tasks.warm_stale_snapshots.delay().get() == []  # nothing written since
    # An edit outside any service (the admin, an import): the plan's version moves.
    Activity.objects.filter(pk=scenario.activities["T-01"].pk).update(horizon="aspirational")
    assert tasks.warm_stale_snapshots.delay().get() == [scenario.plan.pk]
    with django_assert_num_queries(DASHBOARD_WARM):
        assert client.get(*dashboard).status_code == 200
    assert tasks.warm_stale_snapshots.delay().get() == []


def test_plans_never_assessed_are_not_warmed(scenario):
    never_assessed = ActivityFactory(matrix=MatrixFactory(plan=PlanFactory())).matrix.plan
    # The scenario's plan is assessed and nothing is stored for it yet: it is the one listed.
    assert snapshots.plans_with_stale_figures() == [scenario.plan.pk]
    assert never_assessed.pk != scenario.plan.pk


# The summary: + the plan, the snapshot of the date with the plan's version, the thematic areas'
# names, the organizations' acronyms; on a cold read also the live counts, by area, by
# organization and the snapshot's upsert. Signed in through the session (session, user) and the
# throttle's cache needs no query.
SUMMARY_WARM = 2 + 4
SUMMARY_COLD = SUMMARY_WARM + 4


def test_the_summary_takes_the_same_queries_as_the_plan_grows(
    manager_client, scenario, django_assert_num_queries
):
    from tests.monitoring.dashboard_scenario import add_activities

    for grow in (False, True):
        if grow:
            add_activities(scenario, 25)
            assess(scenario.plan, [JUNE])
        with django_assert_num_queries(SUMMARY_COLD):
            summary(manager_client, scenario.plan, JUNE)
        with django_assert_num_queries(SUMMARY_WARM):
            body = summary(manager_client, scenario.plan, JUNE)
    plan_id = scenario.plan.pk
    assert body["overall"]["counts"] == selectors.status_counts(plan_id=plan_id, as_of=JUNE).counts
    assert [row["name"] for row in body["by_organization"]] == [
        row.name for row in selectors.status_counts_by_organization(plan_id=plan_id, as_of=JUNE)
    ]
    assert Activity.objects.filter(matrix__plan_id=plan_id).aggregate(n=Count("id"))["n"] == 32


def test_a_change_triggered_run_warms_the_plans_of_its_activities(
    scenario, django_capture_on_commit_callbacks
):
    activity = scenario.activities["T-01"]
    with django_capture_on_commit_callbacks(execute=True):
        services.set_status_override(
            activity_id=activity.pk,
            status="suspended",
            reason="Paused by the partners",
            set_by=scenario.reviewer,
        )
    run = MonitoringRun.objects.get(trigger=MonitoringRun.Trigger.CHANGE)
    assert run.state == MonitoringRun.State.FINISHED
    latest = ds.assessed_dates(plan_id=scenario.plan.pk)[0]
    assert latest == run.as_of
    snapshot = StatusSnapshot.objects.get(plan=scenario.plan, as_of=latest)
    assert snapshot.version == PlanDataVersion.objects.get(plan=scenario.plan).version
    _, counts, _ = snapshot.overall
    assert counts["suspended"] == 1  # the override, as the change-triggered run assessed it
    assert services.warm_snapshots(run_id=run.pk) == [scenario.plan.pk]
