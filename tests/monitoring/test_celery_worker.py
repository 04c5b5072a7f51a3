"""Runs carried out by a real `celery -A config worker` process over the real Redis broker.

The worker is started by the test, with the test database in its DATABASE_URL, and always
stopped (its whole process group) when the test ends.
"""

import datetime as dt
import time
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection

from activities import services as activity_services
from activities.models import Event
from config.celery import app as celery_app
from monitoring import engine, rules, services, tasks
from monitoring.models import Assessment, MonitoringChunk, MonitoringRun
from monitoring.policy import Policy
from tests.factories import (
    ActivityFactory,
    ApprovedUpdateFactory,
    MatrixFactory,
    MilestoneFactory,
    UserFactory,
)
from tests.support.celery_worker import CeleryWorker

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    # The seeded thematic areas, dropped by the flush after each test, are put back by
    # tests/conftest.py. (serialized_rollback would reload content types that the flush after a
    # non-serialized transactional test has already re-created: duplicate keys.)
    pytest.mark.django_db(transaction=True),
]

AS_OF = dt.date(2016, 9, 30)


def worker_env(**extra: str) -> dict[str, str]:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return {
        # The test database, not the one DATABASE_URL names.
        "DATABASE_URL": (
            f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "1",
        "MONITORING_CHUNK_SIZE": "4",
        **extra,
    }


@pytest.fixture(autouse=True)
def empty_queue():
    """Messages left by other tests would only be no-ops, but start from a clean queue."""
    celery_app.control.purge()


def plan_with_activities(count: int):
    """A plan whose activities meet several statuses on AS_OF."""
    matrix, officer = MatrixFactory(), UserFactory(password=None)
    for i in range(count):
        activity = ActivityFactory(matrix=matrix)
        if i % 3 == 0:
            MilestoneFactory(activity=activity, due_date=dt.date(2016, 8, 20))
        if i % 3 != 2:
            ApprovedUpdateFactory(
                activity=activity,
                period_end=dt.date(2016, 8, 31),
                percent_complete=70,
                author=officer,
                reviewer=officer,
            )
        if i % 5 == 4:
            activity.start_date, activity.end_date = dt.date(2016, 11, 1), dt.date(2017, 6, 30)
            activity.save()
    ids = sorted(matrix.activities.values_list("pk", flat=True))
    return matrix.plan, ids


def expected_counts(ids) -> dict[str, int]:
    policy = Policy.from_settings()
    return dict(Counter(rules.assess(f, AS_OF, policy).status for f in engine.load_facts(ids)))


def wait_for_end(run: MonitoringRun, worker: CeleryWorker, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if not run.is_open:
            return run
        time.sleep(0.2)
    pytest.fail(f"Run {run.pk} still {run.state} after {timeout} s.\n{worker.log_tail()}")


def test_a_run_of_several_chunks_finishes_with_the_right_counts_and_reruns_add_nothing():
    plan, ids = plan_with_activities(10)
    expected = expected_counts(ids)
    assert len(expected) >= 3

    with CeleryWorker(concurrency=2, env=worker_env()) as worker:
        first = services.request_run(plan_id=plan.pk, as_of=AS_OF, trigger="api")
        first = wait_for_end(first, worker)
        second = services.request_run(plan_id=plan.pk, as_of=AS_OF, trigger="api")
        second = wait_for_end(second, worker)

    for run in (first, second):
        assert run.state == MonitoringRun.State.FINISHED, run.error
        assert (run.chunks_total, run.chunks_done) == (3, 3)  # 4 + 4 + 2
        assert run.activities_assessed == 10
        assert {k: v for k, v in run.counts.items() if v} == expected
        assert run.duration is not None
    assert Assessment.objects.count() == 10
    assert set(Assessment.objects.values_list("run", flat=True)) == {second.pk}


def test_a_chunk_that_raises_in_the_worker_fails_the_run_with_its_error(settings):
    settings.MONITORING = {**settings.MONITORING, "CHUNK_SIZE": 4}
    plan, ids = plan_with_activities(10)
    run = services.request_run(
        plan_id=plan.pk, as_of=AS_OF, trigger="api", activity_ids=ids, enqueue=False
    )
    # A chunk whose data the engine cannot read: it fails on every attempt.
    MonitoringChunk.objects.filter(run=run, index=1).update(activity_ids=["not-an-id"])

    with CeleryWorker(concurrency=1, env=worker_env()) as worker:
        tasks.start_run.delay(run.pk)
        run = wait_for_end(run, worker)

    assert run.state == MonitoringRun.State.FAILED
    assert run.error.startswith("Chunk 1 (activities not-an-id")
    assert "ValueError: invalid literal for int()" in run.error
    assert run.chunks.get(index=1).state == MonitoringChunk.State.FAILED
    assert run.finished_at is not None


def test_a_run_goes_before_the_deliveries_already_waiting():
    """Deliveries are follow-up work (config.settings.FOLLOW_UP_PRIORITY): a run requested after
    thirty of them were queued is assessed first, and they are delivered after it."""
    plan, ids = plan_with_activities(10)
    waiting = [
        activity_services.record_event(
            kind=Event.Kind.MILESTONE_DUE_SOON, activity_ids=[ids[0]], key=f"due-soon:{n}"
        ).pk
        for n in range(30)
    ]
    run = services.request_run(plan_id=plan.pk, as_of=AS_OF, trigger="api")

    with CeleryWorker(concurrency=1, env=worker_env()) as worker:
        run = wait_for_end(run, worker)
        deadline = time.monotonic() + 60
        events = Event.objects.filter(pk__in=waiting)
        while events.filter(state=Event.State.PENDING).exists():
            if time.monotonic() > deadline:
                pytest.fail(f"Deliveries still pending after 60 s.\n{worker.log_tail()}")
            time.sleep(0.2)

    assert run.state == MonitoringRun.State.FINISHED, run.error
    delivered = list(events.values_list("state", "delivered_at"))
    assert {state for state, _ in delivered} == {Event.State.DELIVERED}
    assert min(at for _, at in delivered) > run.finished_at
