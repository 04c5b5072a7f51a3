"""The engine: facts loaded in bulk, assessments upserted, the current status moved forward only."""

import datetime as dt
from decimal import Decimal

import pytest

from activities.models import Activity, MonitoringStatus, ProgressUpdate
from devtools.naive_engine import assess_naively
from devtools.synthetic import generate_portfolio
from monitoring import engine
from monitoring.facts import UpdateFact
from monitoring.models import Assessment
from tests.factories import (
    ActivityFactory,
    ApprovedUpdateFactory,
    FundingFactory,
    IndicatorFactory,
    MatrixFactory,
    MeasurementFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
    StatusOverrideFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

JUL_31 = dt.date(2016, 7, 31)


def healthy_activity(**kwargs) -> Activity:
    """On track on 2016-07-31: half done by June, reported on time, funded at 60 %."""
    activity = ActivityFactory(**kwargs)
    ApprovedUpdateFactory(activity=activity, period_end=dt.date(2016, 6, 30), percent_complete=50)
    FundingFactory(activity=activity, amount=Decimal("60000"), date=dt.date(2016, 3, 1))
    return activity


def rich_activity(matrix, user) -> Activity:
    """An activity with some of every kind of fact, for query counting."""
    activity = ActivityFactory(matrix=matrix)
    ApprovedUpdateFactory(activity=activity, author=user, reviewer=user)
    FundingFactory(activity=activity, donor__acronym="DONOR")
    MilestoneFactory(activity=activity, due_date=dt.date(2016, 3, 31))
    MilestoneFactory(activity=activity, due_date=dt.date(2016, 9, 30))
    indicator = IndicatorFactory(activity=activity)
    MeasurementFactory(indicator=indicator, measured_on=dt.date(2016, 3, 31), value=Decimal("20"))
    MeasurementFactory(indicator=indicator, measured_on=dt.date(2016, 6, 30), value=Decimal("45"))
    ProgressUpdateFactory(
        activity=activity,
        author=user,
        state=ProgressUpdate.State.SUBMITTED,
        submitted_at=dt.datetime(2016, 7, 5, tzinfo=dt.UTC),
    )
    StatusOverrideFactory(activity=activity, set_by=user, set_on=dt.date(2016, 8, 1))
    return activity


def test_facts_include_only_approved_updates_dated_by_their_review():
    activity = ActivityFactory()
    ApprovedUpdateFactory(
        activity=activity,
        period_end=dt.date(2016, 3, 31),
        percent_complete=20,
        reviewed_at=dt.datetime(2016, 4, 12, 23, 30, tzinfo=dt.UTC),
    )
    ProgressUpdateFactory(
        activity=activity,
        state=ProgressUpdate.State.SUBMITTED,
        submitted_at=dt.datetime(2016, 7, 2, tzinfo=dt.UTC),
    )
    ProgressUpdateFactory(activity=activity)  # a draft

    (facts,) = engine.load_facts([activity.pk])

    assert facts.approved_updates == (
        UpdateFact(
            period_end=dt.date(2016, 3, 31), percent_complete=20, approved_on=dt.date(2016, 4, 12)
        ),
    )


def test_the_same_date_twice_updates_the_assessment_and_never_duplicates_it():
    activity = healthy_activity()
    engine.assess_activities([activity.pk], as_of=JUL_31)
    first = Assessment.objects.get(activity=activity, as_of=JUL_31)
    assert first.status == MonitoringStatus.ON_TRACK

    MilestoneFactory(activity=activity, title="Regional workshop", due_date=dt.date(2016, 6, 20))
    outcome = engine.assess_activities([activity.pk], as_of=JUL_31)

    assert Assessment.objects.filter(activity=activity).count() == 1
    again = Assessment.objects.get(activity=activity, as_of=JUL_31)
    assert again.pk == first.pk
    assert again.status == MonitoringStatus.OFF_TRACK
    assert [r["code"] for r in again.reasons] == ["milestone_overdue"]
    assert "'Regional workshop' is 41 days overdue" in again.reasons[0]["message"]
    assert outcome.counts == {MonitoringStatus.OFF_TRACK: 1}


def test_assessment_records_progress_and_funding_coverage():
    activity = healthy_activity()
    engine.assess_activities([activity.pk], as_of=JUL_31)

    assessment = Assessment.objects.get(activity=activity)
    assert assessment.expected_progress == 58  # 212 of 365 days elapsed
    assert assessment.reported_progress == 50
    assert assessment.funding_coverage == Decimal("0.6000")
    assert assessment.overridden is False


def test_current_status_on_the_activity_only_moves_forward_in_time():
    activity = healthy_activity()
    MilestoneFactory(activity=activity, due_date=dt.date(2016, 3, 1), completed_on=None)

    engine.assess_activities([activity.pk], as_of=dt.date(2016, 6, 30))
    activity.refresh_from_db()
    assert (activity.status, activity.status_as_of) == ("off_track", dt.date(2016, 6, 30))

    # Replaying an earlier date adds to the history but leaves the current status alone.
    engine.assess_activities([activity.pk], as_of=dt.date(2016, 3, 15))
    activity.refresh_from_db()
    assert activity.status_as_of == dt.date(2016, 6, 30)
    assert activity.status == "off_track"
    assert Assessment.objects.get(activity=activity, as_of=dt.date(2016, 3, 15)).status == (
        "at_risk"
    )

    # A later date moves it on, with its reasons.
    engine.assess_activities([activity.pk], as_of=dt.date(2016, 9, 30))
    activity.refresh_from_db()
    assert activity.status_as_of == dt.date(2016, 9, 30)
    assert activity.status_reasons[0]["code"] == "milestone_overdue"


def test_reassessing_the_current_date_refreshes_the_current_status():
    activity = healthy_activity()
    engine.assess_activities([activity.pk], as_of=JUL_31)
    MilestoneFactory(activity=activity, due_date=dt.date(2016, 7, 20))

    engine.assess_activities([activity.pk], as_of=JUL_31)

    activity.refresh_from_db()
    assert activity.status == "at_risk"
    assert activity.status_reasons[0]["code"] == "milestone_overdue"


@pytest.mark.parametrize("size", [5, 50])
def test_a_chunk_takes_the_same_number_of_queries_whatever_its_size(
    size, django_assert_num_queries
):
    matrix, user = MatrixFactory(), UserFactory()
    ids = [rich_activity(matrix, user).pk for _ in range(size)]

    # SAVEPOINT (the engine's atomic inside the test's transaction); 7 reads: activities,
    # milestones, indicators, measurements, approved updates, funding, overrides; 1 upsert of the
    # assessments; 1 read of the current statuses about to be replaced; 1 update of the
    # activities' current status; the events of the statuses that turned at risk or off track
    # (every one here, from never assessed): SAVEPOINT, 1 insert, 1 read of their ids, RELEASE;
    # RELEASE SAVEPOINT.
    with django_assert_num_queries(16):
        outcome = engine.assess_activities(ids, as_of=dt.date(2016, 8, 31))

    assert outcome.assessed == size
    assert Assessment.objects.filter(as_of=dt.date(2016, 8, 31)).count() == size


def test_only_facts_known_on_the_date_count_so_any_date_can_be_replayed():
    activity = ActivityFactory(budget_required=Decimal("100000"))
    MilestoneFactory(
        activity=activity,
        title="Training",
        due_date=dt.date(2016, 3, 31),
        completed_on=dt.date(2016, 6, 10),
    )
    # The report on June is approved only in August; the money arrives in May.
    ApprovedUpdateFactory(
        activity=activity,
        period_end=dt.date(2016, 6, 30),
        percent_complete=60,
        reviewed_at=dt.datetime(2016, 8, 10, tzinfo=dt.UTC),
    )
    FundingFactory(activity=activity, amount=Decimal("80000"), date=dt.date(2016, 5, 2))
    StatusOverrideFactory(activity=activity, status="on_track", set_on=dt.date(2016, 9, 1))

    for as_of in [dt.date(2016, 4, 30), dt.date(2016, 7, 31), dt.date(2016, 8, 31)]:
        engine.assess_activities([activity.pk], as_of=as_of)
    april, july, august = Assessment.objects.filter(activity=activity).order_by("as_of")

    april_codes = {r["code"] for r in april.reasons}
    assert {"milestone_overdue", "funding_shortfall"} <= april_codes  # not done, not yet funded
    assert april.funding_coverage == Decimal("0")
    assert april.reported_progress is None
    # By July the milestone is done and the money is there, but the June report is not approved.
    assert not {"milestone_overdue", "funding_shortfall"} & {r["code"] for r in july.reasons}
    assert july.reported_progress is None
    assert july.funding_coverage == Decimal("0.8")
    assert august.reported_progress == 60
    assert not april.overridden and not july.overridden and not august.overridden

    # Replaying April after everything happened gives April's answer again.
    engine.assess_activities([activity.pk], as_of=dt.date(2016, 4, 30))
    april.refresh_from_db()
    assert {r["code"] for r in april.reasons} == april_codes


def test_an_override_in_force_is_shown_as_an_override():
    activity = healthy_activity()
    StatusOverrideFactory(
        activity=activity, status="suspended", reason="Elections", set_on=dt.date(2016, 7, 1)
    )

    engine.assess_activities([activity.pk], as_of=JUL_31)

    assessment = Assessment.objects.get(activity=activity)
    assert assessment.overridden is True
    assert assessment.status == "suspended"
    assert assessment.reasons[0]["code"] == "manual_override"
    assert "Elections" in assessment.reasons[0]["message"]


def test_missing_activities_are_skipped_and_an_empty_chunk_writes_nothing(
    django_assert_num_queries,
):
    activity = healthy_activity()
    outcome = engine.assess_activities([activity.pk, activity.pk + 1000], as_of=JUL_31)
    assert outcome.assessed == 1

    # An empty chunk: SAVEPOINT and RELEASE only (Django answers "id IN ()" without asking).
    with django_assert_num_queries(2):
        assert engine.assess_activities([], as_of=JUL_31).assessed == 0


def test_the_engine_agrees_with_the_naive_one_at_a_time_loop():
    summary = generate_portfolio(activities=30, partnerships=1, plans_per_partnership=2, seed=7)
    ids = list(
        Activity.objects.filter(matrix__plan_id__in=summary.plan_ids).values_list("pk", flat=True)
    )
    fields = ["activity_id", "status", "reasons", "expected_progress", "reported_progress"]
    fields += ["funding_coverage", "overridden"]
    results = {}
    for label, assess in [
        ("naive", lambda as_of: assess_naively(ids, as_of=as_of)),
        ("engine", lambda as_of: engine.assess_activities(ids, as_of=as_of)),
    ]:
        Assessment.objects.all().delete()
        for as_of in [dt.date(2016, 3, 31), dt.date(2016, 9, 30), dt.date(2016, 12, 31)]:
            assess(as_of)
        results[label] = list(Assessment.objects.order_by("activity_id", "as_of").values(*fields))

    assert len(results["engine"]) == 90
    assert results["engine"] == results["naive"]
    assert len({row["status"] for row in results["engine"]}) >= 4


def test_a_chunk_assesses_only_its_own_activities_when_others_are_interleaved():
    mine, other = MatrixFactory(), MatrixFactory()
    ids = []
    for _ in range(4):
        ids.append(ActivityFactory(matrix=mine).pk)
        stranger = ActivityFactory(matrix=other)
        MilestoneFactory(activity=stranger, due_date=dt.date(2016, 1, 15))

    outcome = engine.assess_activities(ids, as_of=JUL_31)  # ids a step apart: read as a range

    assert outcome.assessed == 4
    assert set(Assessment.objects.values_list("activity_id", flat=True)) == set(ids)
    facts = engine.load_facts(ids)
    assert [f.activity_id for f in facts] == ids
    assert all(f.milestones == () for f in facts)
    # Sparse ids are read with a list instead; the result is the same.
    sparse = [ids[0], ids[-1] + 10_000]
    assert [f.activity_id for f in engine.load_facts(sparse)] == [ids[0]]
