"""Monitoring runs as services: split into chunks, finished from chunk rows, failed, retried."""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError

from activities.models import MonitoringStatus
from monitoring import rules, services
from monitoring.models import Assessment, MonitoringChunk, MonitoringRun
from partnership.models import JointActionPlan
from tests.factories import ActivityFactory, MatrixFactory, MilestoneFactory, PlanFactory

pytestmark = pytest.mark.django_db

SEP_30 = dt.date(2016, 9, 30)


def plan_with_activities(count: int, **plan_kwargs) -> tuple[JointActionPlan, list[int]]:
    matrix = MatrixFactory(plan=PlanFactory(**plan_kwargs))
    return matrix.plan, [ActivityFactory(matrix=matrix).pk for _ in range(count)]


def run_now(**kwargs) -> MonitoringRun:
    run = services.request_run(trigger=MonitoringRun.Trigger.MANUAL, enqueue=False, **kwargs)
    return services.execute_run(run_id=run.pk)


def test_a_run_is_split_into_chunks_and_finished_with_totals_summed_from_them(chunk_size):
    chunk_size(2)
    plan, ids = plan_with_activities(5)
    MilestoneFactory(activity_id=ids[0], due_date=dt.date(2016, 9, 1))  # 29 days overdue

    run = run_now(plan_id=plan.pk, as_of=SEP_30)

    assert run.state == MonitoringRun.State.FINISHED
    assert (run.chunks_total, run.chunks_done) == (3, 3)
    assert [len(c.activity_ids) for c in run.chunks.order_by("index")] == [2, 2, 1]
    assert run.activities_assessed == 5
    # No updates since the start: stale and behind, i.e. off track; the overdue milestone
    # does not change the worst.
    assert run.counts == {**dict.fromkeys(MonitoringStatus.values, 0), "off_track": 5}
    assert sum(c.activities_assessed for c in run.chunks.all()) == 5
    assert run.started_at <= run.finished_at
    assert run.duration == run.finished_at - run.started_at
    assert Assessment.objects.filter(run=run).count() == 5


def test_processing_a_chunk_again_changes_nothing(chunk_size):
    chunk_size(2)
    plan, _ = plan_with_activities(3)
    run = run_now(plan_id=plan.pk, as_of=SEP_30)
    chunk = run.chunks.first()

    assert services.process_chunk(chunk_id=chunk.pk) is False  # a redelivered message

    run.refresh_from_db()
    assert run.activities_assessed == 3
    assert Assessment.objects.count() == 3
    chunk.refresh_from_db()
    assert chunk.attempts == 1


def test_a_start_delivered_again_queues_no_chunk_twice(chunk_size):
    chunk_size(2)
    plan, _ = plan_with_activities(3)
    run = services.request_run(
        plan_id=plan.pk, as_of=SEP_30, trigger=MonitoringRun.Trigger.API, enqueue=False
    )

    first = services.split_run(run_id=run.pk)
    services.process_chunk(chunk_id=first[0])
    second = services.split_run(run_id=run.pk)  # a redelivered start

    # The run is running: its chunks' messages are out, and the sweeper's to send again if lost.
    assert len(first) == 2
    assert second == []
    assert MonitoringChunk.objects.filter(run=run).count() == 2


def test_a_chunk_that_raises_fails_the_run_with_its_error(chunk_size):
    chunk_size(2)
    plan, ids = plan_with_activities(4)
    real_assess = rules.assess

    def assess(facts, as_of, policy):
        if facts.activity_id == ids[2]:
            raise ZeroDivisionError("bad facts")
        return real_assess(facts, as_of, policy)

    with mock.patch("monitoring.rules.assess", side_effect=assess):
        run = run_now(plan_id=plan.pk, as_of=SEP_30)

    assert run.state == MonitoringRun.State.FAILED
    assert f"Chunk 1 (activities {ids[2]}–{ids[3]}) failed" in run.error
    assert "ZeroDivisionError: bad facts" in run.error
    assert run.finished_at is not None
    failed = run.chunks.get(index=1)
    assert failed.state == MonitoringChunk.State.FAILED
    # The failed chunk wrote nothing; the chunk before it is kept.
    assert set(Assessment.objects.values_list("activity_id", flat=True)) == set(ids[:2])


def test_a_failed_run_can_be_retried_and_redoes_only_what_is_missing(chunk_size):
    chunk_size(2)
    plan, _ = plan_with_activities(4)
    with mock.patch("monitoring.rules.assess", side_effect=RuntimeError("database hiccup")):
        failed = run_now(plan_id=plan.pk, as_of=SEP_30)
    assert failed.state == MonitoringRun.State.FAILED

    services.retry_run(run_id=failed.pk, enqueue=False)
    run = services.execute_run(run_id=failed.pk)

    assert run.state == MonitoringRun.State.FINISHED
    assert run.error == ""
    assert run.activities_assessed == 4
    assert Assessment.objects.count() == 4


def test_only_a_failed_run_can_be_retried():
    plan, _ = plan_with_activities(1)
    run = run_now(plan_id=plan.pk, as_of=SEP_30)
    with pytest.raises(ValidationError):
        services.retry_run(run_id=run.pk, enqueue=False)


def test_a_run_past_its_deadline_is_marked_failed_by_the_stale_run_check():
    plan, _ = plan_with_activities(2)
    with time_machine.travel(dt.datetime(2016, 10, 1, 6, 0, tzinfo=dt.UTC), tick=False):
        run = services.request_run(
            plan_id=plan.pk, as_of=SEP_30, trigger=MonitoringRun.Trigger.SCHEDULE, enqueue=False
        )
        services.split_run(run_id=run.pk)  # started; then its worker vanished
        fresh = services.request_run(
            plan_id=plan.pk, as_of=SEP_30, trigger=MonitoringRun.Trigger.MANUAL, enqueue=False
        )

    with time_machine.travel(dt.datetime(2016, 10, 1, 7, 59, tzinfo=dt.UTC), tick=False):
        assert services.fail_stale_runs() == []
    with time_machine.travel(dt.datetime(2016, 10, 1, 8, 1, tzinfo=dt.UTC), tick=False):
        assert services.fail_stale_runs() == [run.pk, fresh.pk]

    run.refresh_from_db()
    assert run.state == MonitoringRun.State.FAILED
    assert run.error.startswith("Stale: still running at its deadline 2016-10-01 08:00:00")
    assert "0 of 1 chunks done" in run.error
    # A chunk of a failed run that is delivered late is not processed.
    assert services.process_chunk(chunk_id=run.chunks.get().pk) is False


def test_a_run_with_nothing_to_assess_finishes_at_once():
    plan = PlanFactory()
    run = run_now(plan_id=plan.pk, as_of=SEP_30)
    assert run.state == MonitoringRun.State.FINISHED
    assert (run.chunks_total, run.activities_assessed) == (0, 0)


def test_all_plans_means_the_adopted_and_closed_plans_whose_period_includes_the_date():
    _, adopted = plan_with_activities(2)
    _, closed = plan_with_activities(1, state=JointActionPlan.State.CLOSED)
    plan_with_activities(1, state=JointActionPlan.State.DRAFT)
    plan_with_activities(1, period_start=dt.date(2017, 1, 1), period_end=dt.date(2017, 12, 31))

    run = run_now(as_of=SEP_30)

    assert run.plan is None
    assert set(Assessment.objects.values_list("activity_id", flat=True)) == {*adopted, *closed}


def test_a_change_triggered_run_assesses_just_the_activities_named():
    _, ids = plan_with_activities(3)
    with time_machine.travel(dt.datetime(2016, 5, 4, 10, tzinfo=dt.UTC), tick=False):
        run = services.request_run(
            as_of=dt.date(2016, 5, 4),
            trigger=MonitoringRun.Trigger.CHANGE,
            activity_ids=[ids[1], ids[1]],
            enqueue=False,
        )
        run = services.execute_run(run_id=run.pk)
    assert run.activities_assessed == 1
    assert list(Assessment.objects.values_list("activity_id", flat=True)) == [ids[1]]


def test_the_daily_runs_cover_adopted_plans_in_their_period_once_a_day():
    current, _ = plan_with_activities(1)
    plan_with_activities(1, state=JointActionPlan.State.CLOSED)
    plan_with_activities(1, period_start=dt.date(2015, 1, 1), period_end=dt.date(2015, 12, 31))

    today = dt.date(2016, 6, 1)
    runs = services.start_daily_runs(today=today)
    again = services.start_daily_runs(today=today)  # beat fired twice

    assert [(r.plan_id, r.as_of, r.trigger) for r in runs] == [(current.pk, today, "schedule")]
    assert again == []


def test_a_chunk_whose_worker_keeps_dying_is_given_up(chunk_size):
    chunk_size(5)
    plan, _ = plan_with_activities(2)
    run = services.request_run(
        plan_id=plan.pk, as_of=SEP_30, trigger=MonitoringRun.Trigger.MANUAL, enqueue=False
    )
    (chunk_id,) = services.split_run(run_id=run.pk)
    MonitoringChunk.objects.filter(pk=chunk_id).update(
        state="running", attempts=services.MAX_CHUNK_ATTEMPTS
    )

    assert services.process_chunk(chunk_id=chunk_id) is False

    run.refresh_from_db()
    assert run.state == MonitoringRun.State.FAILED
    assert "gave up after 10 attempts" in run.error
