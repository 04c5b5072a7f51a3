"""The database drops the worker's connection in the middle of a chunk: the chunk task retries
(autoretry on OperationalError/InterfaceError, monitoring.tasks) and the run still finishes with
the right counts.

A real `celery -A config worker` over the real Redis broker on PostgreSQL. The worker is caught
inside the middle chunk deterministically — another connection holds a lock on one of that
chunk's activities — and its PostgreSQL backend is then terminated with pg_terminate_backend,
which is what the worker sees when the database restarts or a proxy cuts the connection.
"""

import time

import psycopg2
import pytest
from django.db import connection

from config.celery import app as celery_app
from monitoring import services
from monitoring.models import Assessment, MonitoringChunk, MonitoringRun
from tests.monitoring.test_celery_worker import (
    AS_OF,
    expected_counts,
    plan_with_activities,
    wait_for_end,
    worker_env,
)
from tests.support.celery_worker import CeleryWorker

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    # Reference data is re-seeded by tests/conftest.py after the flush of the previous test.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def empty_queue():
    celery_app.control.purge()


def _blocked_backend_pids(db_name: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            [db_name],
        )
        return [row[0] for row in cursor.fetchall()]


def _terminate(pids: list[int]) -> None:
    with connection.cursor() as cursor:
        for pid in pids:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_connection_dropped_in_the_middle_of_a_chunk_is_retried_and_the_run_completes():
    plan, ids = plan_with_activities(12)  # chunks of 4: three chunks
    expected = expected_counts(ids)
    db = connection.settings_dict
    blocker = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "localhost",
        port=db["PORT"] or 5432,
    )
    with CeleryWorker(concurrency=1, env=worker_env()) as worker:
        try:
            with blocker.cursor() as cursor:
                cursor.execute(
                    "SELECT id FROM activities_activity WHERE id = %s FOR UPDATE", [ids[5]]
                )
            run = services.request_run(plan_id=plan.pk, as_of=AS_OF, trigger="api")
            deadline = time.monotonic() + 60
            while not (pids := _blocked_backend_pids(db["NAME"])):
                if time.monotonic() > deadline:
                    pytest.fail(f"The worker never reached the chunk.\n{worker.log_tail()}")
                time.sleep(0.1)
            _terminate(pids)  # the worker's connection drops inside the chunk's transaction
        finally:
            blocker.rollback()
            blocker.close()
        run = wait_for_end(run, worker)
        log = worker.log_tail(200)

    assert run.state == MonitoringRun.State.FINISHED, f"{run.error}\n{log}"
    assert (run.chunks_done, run.chunks_total) == (3, 3)
    assert run.activities_assessed == 12
    assert {k: v for k, v in run.counts.items() if v} == expected
    middle = run.chunks.get(index=1)
    # Claimed twice: the attempt whose connection dropped (rolled back), then the retry.
    assert (middle.state, middle.attempts) == (MonitoringChunk.State.DONE, 2)
    assert sorted(run.chunks.values_list("attempts", flat=True)) == [1, 1, 2]
    # The worker saw the connection drop and retried the chunk (monitoring.tasks.RETRY_POLICY).
    assert "retry: Retry in" in log
    assert "OperationalError('server closed the connection unexpectedly" in log
    assert Assessment.objects.count() == 12
