"""Nothing is lost, whatever fails: fault tests against the real parts.

A real `celery -A config worker` and `celery -A config beat` (the commands docker-compose.yml
runs) over a Redis server of the test's own (tests/trust/redis_server.py), which the test stops
and restarts, on the test's PostgreSQL database. Beat sends the sweep every second here, and
work is swept up after 3 s, a chunk's lease after 8 s (production: every 60 s, after 60 s, 60 s),
so the tests take seconds, not minutes; the mechanism is the same.

Each test ends with every run finished, every event delivered, and nothing done twice.
"""

import datetime as dt
import time

import psycopg2
import pytest
from django.db import connection

from activities.models import Event
from monitoring import services
from monitoring.models import Assessment, MonitoringChunk, MonitoringRun
from partnership.models import Profile
from tests.api.conftest import API, client_for
from tests.factories import MilestoneFactory, ProgressUpdateFactory, UserFactory, make_user
from tests.monitoring.test_celery_worker import (
    AS_OF,
    expected_counts,
    plan_with_activities,
    worker_env,
)
from tests.support.celery_worker import CeleryBeat, CeleryWorker
from tests.trust.redis_server import RedisServer, celery_broker_at

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    # Reference data is re-seeded by tests/conftest.py after the flush of the previous test.
    pytest.mark.django_db(transaction=True),
]

LEASE_SECONDS = 8
FAST_SWEEP = {
    "MONITORING_SWEEP_EVERY_SECONDS": "1",
    "MONITORING_SWEEP_AFTER_SECONDS": "3",
    "MONITORING_CHUNK_TIME_LIMIT": str(LEASE_SECONDS),
}


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    try:
        with celery_broker_at(server.url):
            yield server
    finally:
        server.stop()


def wait_until(condition, *, timeout: float, what: str, logs=()) -> float:
    """Poll `condition` until true; the seconds it took. Fails with the processes' logs."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.2)
    tails = "\n\n".join(process.log_tail() for process in logs)
    pytest.fail(f"Not {what} after {timeout} s.\n{tails}")


def nothing_open() -> bool:
    return (
        not MonitoringRun.objects.filter(state__in=MonitoringRun.OPEN_STATES).exists()
        and not Event.objects.filter(state=Event.State.PENDING).exists()
    )


def assessed_once_before(plan) -> None:
    """Give the plan an assessed date, which a change re-assesses on (today, 2026, lies outside
    its 2016 period)."""
    run = services.request_run(plan_id=plan.pk, as_of=AS_OF, trigger="api", enqueue=False)
    assert services.execute_run(run_id=run.pk).state == MonitoringRun.State.FINISHED


def _blocked_backends(db_name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
            [db_name],
        )
        return cursor.fetchone()[0]


def test_a_worker_killed_mid_run_and_restarted_finishes_the_run_once_the_lease_runs_out(
    redis_server,
):
    plan, ids = plan_with_activities(12)
    expected = expected_counts(ids)
    env = worker_env(**FAST_SWEEP)
    db = connection.settings_dict
    # Hold a lock on an activity of the middle chunk from another connection, so the worker is
    # caught inside that chunk, deterministically, when it is killed.
    blocker = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "localhost",
        port=db["PORT"] or 5432,
    )
    try:
        with blocker.cursor() as cursor:
            cursor.execute("SELECT id FROM activities_activity WHERE id = %s FOR UPDATE", [ids[5]])
        with CeleryWorker(concurrency=1, env=env) as first_worker:
            run = services.request_run(plan_id=plan.pk, as_of=AS_OF, trigger="api")
            wait_until(
                lambda: _blocked_backends(db["NAME"]) > 0,
                timeout=60,
                what="inside the middle chunk",
                logs=[first_worker],
            )
            first_worker.kill()
    finally:
        blocker.rollback()
        blocker.close()

    run.refresh_from_db()
    assert run.state == MonitoringRun.State.RUNNING  # the kill left it in flight
    middle = run.chunks.get(index=1)
    assert (middle.state, middle.attempts) == (MonitoringChunk.State.RUNNING, 1)

    with CeleryWorker(concurrency=1, env=env) as worker, CeleryBeat(env=env) as beat:
        seconds = wait_until(
            lambda: not MonitoringRun.objects.get(pk=run.pk).is_open,
            timeout=120,
            what="finished",
            logs=[worker, beat],
        )

    run.refresh_from_db()
    assert run.state == MonitoringRun.State.FINISHED, run.error
    # The killed chunk came back once its lease ran out, not after the visibility timeout.
    assert seconds < LEASE_SECONDS + 10
    assert run.activities_assessed == 12
    assert {k: v for k, v in run.counts.items() if v} == expected
    middle.refresh_from_db()
    assert (middle.state, middle.attempts) == (MonitoringChunk.State.DONE, 2)
    assert Assessment.objects.count() == 12


def test_a_redis_restart_loses_neither_a_queued_run_nor_a_queued_reassessment(redis_server):
    plan, ids = plan_with_activities(6)
    assessed_once_before(plan)
    manager = make_user(Profile.Role.MANAGER, username="manager", password=None)
    milestone = MilestoneFactory(activity_id=ids[0], due_date=AS_OF)
    # The first assessment's events of statuses that turned at risk or off track (news for
    # people, tests/trust/test_notifications_redis_outage.py) are queued already.
    earlier = redis_server.queued_messages()

    scheduled = services.request_run(plan_id=plan.pk, as_of=AS_OF, trigger="schedule")
    response = client_for(manager).patch(
        f"{API}/milestones/{milestone.pk}/",
        {"completed_on": AS_OF.isoformat()},
        format="json",
        HTTP_IF_MATCH='"v1"',
    )
    assert response.status_code == 200, response.content
    # the run's start, the event's delivery
    assert redis_server.queued_messages() == earlier + 2

    redis_server.stop()
    redis_server.start()  # no persistence: both messages are gone
    assert redis_server.queued_messages() == 0

    env = worker_env(**FAST_SWEEP)
    with CeleryWorker(concurrency=1, env=env) as worker, CeleryBeat(env=env) as beat:
        wait_until(nothing_open, timeout=60, what="all done", logs=[worker, beat])

    scheduled.refresh_from_db()
    assert (scheduled.state, scheduled.activities_assessed) == ("finished", 6)
    event = Event.objects.get(kind=Event.Kind.FACTS_CHANGED)
    assert (event.state, event.activity_ids) == ("delivered", [ids[0]])
    change = MonitoringRun.objects.get(trigger="change")  # once, not twice
    assert (change.state, change.activities_assessed, change.note) == (
        "finished",
        1,
        "milestone_completed",
    )


def test_approve_complete_and_override_while_redis_is_down_are_reassessed_once_it_is_back(
    redis_server,
):
    plan, ids = plan_with_activities(6)
    assessed_once_before(plan)
    manager = make_user(Profile.Role.MANAGER, username="manager", password=None)
    api = client_for(manager)
    update = ProgressUpdateFactory(
        activity_id=ids[0],
        author=UserFactory(password=None),
        state="submitted",
        submitted_at=dt.datetime.now(dt.UTC),
        period_end=dt.date(2016, 9, 30),
        percent_complete=80,
    )
    milestone = MilestoneFactory(activity_id=ids[1], due_date=AS_OF)
    redis_server.stop()

    answers = [
        api.post(f"{API}/updates/{update.pk}/approve/", {"note": "Thanks"}, format="json"),
        api.patch(
            f"{API}/milestones/{milestone.pk}/",
            {"completed_on": AS_OF.isoformat()},
            format="json",
            HTTP_IF_MATCH='"v1"',
        ),
        api.post(
            f"{API}/activities/{ids[2]}/status-overrides/",
            {"status": "on_track", "reason": "Confirmed by phone", "set_on": AS_OF.isoformat()},
            format="json",
        ),
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 201]
    # The re-assessments' events (the approval and the override are also news for people:
    # tests/trust/test_notifications_redis_outage.py).
    facts = Event.objects.filter(kind=Event.Kind.FACTS_CHANGED)
    assert list(facts.values_list("state", "activity_ids")) == [
        ("pending", [ids[0]]),
        ("pending", [ids[1]]),
        ("pending", [ids[2]]),
    ]
    assert not MonitoringRun.objects.filter(trigger="change").exists()

    redis_server.start()
    env = worker_env(**FAST_SWEEP)
    with CeleryWorker(concurrency=1, env=env) as worker, CeleryBeat(env=env) as beat:
        wait_until(nothing_open, timeout=60, what="all done", logs=[worker, beat])

    assert set(Event.objects.values_list("state", flat=True)) == {"delivered"}
    changes = MonitoringRun.objects.filter(trigger="change").order_by("id")
    assert [(run.state, run.activities_assessed, run.as_of) for run in changes] == [
        ("finished", 1, AS_OF)
    ] * 3
    assert sorted(
        Assessment.objects.filter(run__in=changes).values_list("activity_id", flat=True)
    ) == sorted(ids[:3])
