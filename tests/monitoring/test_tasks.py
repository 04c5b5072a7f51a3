"""The Celery tasks, run in process: they call the services, own retries and record failures.

The real broker and worker are exercised in test_celery_worker.py.
"""

import datetime as dt
from unittest import mock

import pytest
from django.db import OperationalError

from config.celery import app as celery_app
from monitoring import engine, services, tasks
from monitoring.models import Assessment, MonitoringRun
from monitoring.services import request_run
from tests.factories import ActivityFactory, MatrixFactory

pytestmark = pytest.mark.django_db

SEP_30 = dt.date(2016, 9, 30)


@pytest.fixture
def plan_of_five(chunk_size):
    chunk_size(2)
    matrix = MatrixFactory()
    ActivityFactory.create_batch(5, matrix=matrix)
    return matrix.plan


def test_a_requested_run_is_queued_after_commit_and_runs_chunk_by_chunk(
    plan_of_five, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = request_run(plan_id=plan_of_five.pk, as_of=SEP_30, trigger="api")
        assert MonitoringRun.objects.get(pk=run.pk).state == "queued"

    # The run's start; then, from each of the three chunks, the events of the statuses that
    # turned (never assessed → off track here), queued once the chunk commits.
    assert [getattr(c, "func", c).__name__ for c in callbacks] == [
        "_enqueue_start",
        *["send_events_recorded"] * 3,
    ]
    run.refresh_from_db()
    assert run.state == MonitoringRun.State.FINISHED
    assert (run.chunks_done, run.activities_assessed) == (3, 5)


def test_a_transient_database_error_is_retried(plan_of_five, django_capture_on_commit_callbacks):
    real = engine.assess_activities
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    with (
        mock.patch("monitoring.engine.assess_activities", side_effect=flaky),
        mock.patch.object(tasks.assess_chunk, "retry", wraps=tasks.assess_chunk.retry) as retry,
        django_capture_on_commit_callbacks(execute=True),
    ):
        run = request_run(plan_id=plan_of_five.pk, as_of=SEP_30, trigger="api")

    run.refresh_from_db()
    assert retry.call_count == 1
    assert run.state == MonitoringRun.State.FINISHED
    assert run.activities_assessed == 5
    assert sorted(run.chunks.values_list("attempts", flat=True)) == [1, 1, 2]


def test_a_chunk_failing_for_good_marks_the_run_failed_with_its_error(
    plan_of_five, django_capture_on_commit_callbacks
):
    with (
        mock.patch("monitoring.rules.assess", side_effect=KeyError("direction")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run = request_run(plan_id=plan_of_five.pk, as_of=SEP_30, trigger="api")

    run = MonitoringRun.objects.get()
    assert run.state == MonitoringRun.State.FAILED
    assert run.error == "Chunk 0 (activities {}–{}) failed: KeyError: 'direction'".format(
        *run.chunks.get(index=0).activity_ids
    )
    assert not Assessment.objects.exists()


def test_retries_give_up_after_the_limit_and_fail_the_run(
    plan_of_five, django_capture_on_commit_callbacks
):
    with (
        mock.patch("monitoring.engine.assess_activities", side_effect=OperationalError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        request_run(plan_id=plan_of_five.pk, as_of=SEP_30, trigger="api")

    run = MonitoringRun.objects.get()
    assert run.state == MonitoringRun.State.FAILED
    assert "OperationalError: down" in run.error
    assert run.chunks.get(index=0).attempts == 1 + tasks.RETRY_POLICY["max_retries"]


def test_a_start_that_fails_for_good_fails_its_run(
    plan_of_five, django_capture_on_commit_callbacks
):
    with (
        mock.patch(
            "monitoring.services.selectors.activity_ids_in_scope", side_effect=ValueError("no")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        request_run(plan_id=plan_of_five.pk, as_of=SEP_30, trigger="api")

    run = MonitoringRun.objects.get()
    assert (run.state, run.error) == (MonitoringRun.State.FAILED, "ValueError: no")


def test_tasks_are_late_acknowledged_time_limited_and_retry_transient_errors(settings):
    visibility_timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    for task in [
        tasks.start_run,
        tasks.assess_chunk,
        tasks.deliver_event,
        tasks.start_daily_runs,
        tasks.sweep,
    ]:
        assert task.acks_late is True
        assert 0 < task.soft_time_limit < task.time_limit == services.chunk_time_limit()
        # Redis must not redeliver a message whose task may still run or wait for its retry.
        assert task.time_limit + task.retry_backoff_max < visibility_timeout
        assert OperationalError in task.autoretry_for
        assert task.retry_backoff and task.max_retries == 5


def test_beat_schedules_the_daily_runs_and_the_sweep_every_minute_in_one_place():
    schedule = celery_app.conf.beat_schedule
    assert {entry["task"] for entry in schedule.values()} == {
        "monitoring.tasks.start_daily_runs",
        "monitoring.tasks.sweep",
        "monitoring.tasks.record_expired_overrides",
        # The notifications' e-mails, digests and reminders (tests/notifications).
        "notifications.tasks.send_emails",
        "notifications.tasks.send_webhooks",
        "notifications.tasks.send_digests",
        "notifications.tasks.find_due",
    }
    assert schedule["monitoring-sweep"]["schedule"] == 60.0
    for entry in schedule.values():
        assert entry["task"] in celery_app.tasks


def test_the_daily_task_starts_runs_as_of_today(plan_of_five, django_capture_on_commit_callbacks):
    import time_machine

    with (
        time_machine.travel(dt.datetime(2016, 6, 1, 1, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run_ids = tasks.start_daily_runs.delay().get()

    run = MonitoringRun.objects.get(pk__in=run_ids)
    assert (run.plan_id, run.as_of, run.trigger, run.state) == (
        plan_of_five.pk,
        dt.date(2016, 6, 1),
        "schedule",
        "finished",
    )
