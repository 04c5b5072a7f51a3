"""With Redis down, asking for a monitoring run fails clearly and fast, and records nothing
half-done; /healthz names the broker as the part that is down; once Redis is back, runs are
queued again.

The Redis here is the test's own server (tests/trust/redis_server.py), really stopped and
restarted by the test; no worker consumes it, so what was queued can be counted in it.
"""

import datetime as dt
import time
from unittest import mock

import pytest
import time_machine
from django.urls import reverse

from activities import services as activity_services
from activities.models import Event
from monitoring import follow_up, services
from monitoring.exceptions import QUEUE_UNAVAILABLE, BrokerUnavailable
from monitoring.models import MonitoringRun
from partnership.models import Profile
from tests.api.conftest import API, client_for
from tests.factories import ActivityFactory, MatrixFactory, MilestoneFactory, make_user
from tests.trust.redis_server import RedisServer, celery_broker_at

pytestmark = [
    pytest.mark.redis,
    # Requests commit for real, so that the run's start is published after commit as in
    # production (a test transaction would never run the on-commit publish).
    pytest.mark.django_db(transaction=True),
]

AS_OF = dt.date(2016, 9, 30)
# The request must fail fast, not hang in connection retries.
FAIL_FAST_SECONDS = 5


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    try:
        with celery_broker_at(server.url):
            yield server
    finally:
        server.stop()


@pytest.fixture
def plan():
    matrix = MatrixFactory()
    ActivityFactory.create_batch(3, matrix=matrix)
    return matrix.plan


@pytest.fixture
def manager():
    return make_user(Profile.Role.MANAGER, username="manager", password=None)


def request_via_api(client, plan):
    started = time.monotonic()
    response = client.post(
        f"{API}/monitoring-runs/", {"plan": plan.pk, "as_of": AS_OF.isoformat()}, format="json"
    )
    return response, time.monotonic() - started


def test_api_answers_503_and_records_nothing_while_redis_is_down_then_queues_once_it_is_back(
    redis_server, plan, manager
):
    api = client_for(manager)

    response, _ = request_via_api(api, plan)
    assert response.status_code == 202, response.content
    assert redis_server.queued_messages() == 1  # the run's start, waiting for a worker

    redis_server.stop()
    response, seconds = request_via_api(api, plan)
    assert response.status_code == 503
    assert response.json() == {"detail": QUEUE_UNAVAILABLE}
    assert response["Retry-After"] == "30"
    assert seconds < FAIL_FAST_SECONDS
    # Only the run requested while Redis was up exists, and it is still queued for its message.
    assert list(MonitoringRun.objects.values_list("state", flat=True)) == ["queued"]

    redis_server.start()
    response, _ = request_via_api(api, plan)
    assert response.status_code == 202, response.content
    assert MonitoringRun.objects.count() == 2
    # A fresh server: only the new run's message is in it.
    assert redis_server.queued_messages() == 1


def test_healthz_names_the_broker_while_redis_is_down_and_recovers_when_it_is_back(
    redis_server, client
):
    assert client.get("/healthz").status_code == 200

    redis_server.stop()
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < FAIL_FAST_SECONDS
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False
    assert body["broker"]["detail"].startswith("unreachable")

    redis_server.start()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == {"ok": True, "detail": "redis"}


def test_dashboard_request_shows_the_reason_and_records_nothing_while_redis_is_down(
    redis_server, client, plan, manager
):
    client.force_login(manager)
    redis_server.stop()

    started = time.monotonic()
    response = client.post(
        reverse("monitoring:run-request"), {"plan": plan.pk, "as_of": AS_OF.isoformat()}
    )
    assert time.monotonic() - started < FAIL_FAST_SECONDS

    dashboard = f"{reverse('monitoring:dashboard')}?plan={plan.pk}&as_of={AS_OF.isoformat()}"
    assert response.status_code == 302
    assert response["Location"] == dashboard
    page = client.get(dashboard)
    assert page.status_code == 200
    assert QUEUE_UNAVAILABLE in page.content.decode()
    assert not MonitoringRun.objects.exists()

    redis_server.start()
    response = client.post(
        reverse("monitoring:run-request"), {"plan": plan.pk, "as_of": AS_OF.isoformat()}
    )
    run = MonitoringRun.objects.get()
    assert response["Location"] == reverse("monitoring:run-detail", kwargs={"pk": run.pk})
    assert redis_server.queued_messages() == 1


def test_redis_lost_between_the_check_and_the_publish_fails_the_run_instead_of_leaving_it_queued(
    redis_server, plan, manager
):
    """The race the up-front check cannot close: the run is committed, then its message cannot
    be sent. It must not wait forever for a message that does not exist."""
    redis_server.stop()
    with mock.patch.object(services, "ensure_broker_available"):  # the check saw Redis up
        response, seconds = request_via_api(client_for(manager), plan)

    assert response.status_code == 503
    assert response.json() == {"detail": QUEUE_UNAVAILABLE}
    assert seconds < FAIL_FAST_SECONDS
    run = MonitoringRun.objects.get()
    assert run.state == MonitoringRun.State.FAILED
    assert run.error.startswith("Not queued: the task queue was unavailable")
    assert run.finished_at is not None


def test_retrying_a_failed_run_while_redis_is_down_leaves_it_failed(redis_server, plan):
    run = services.request_run(plan_id=plan.pk, as_of=AS_OF, trigger="api", enqueue=False)
    services.fail_run(run_id=run.pk, error="worker lost")
    redis_server.stop()

    with pytest.raises(BrokerUnavailable):
        services.retry_run(run_id=run.pk)

    run.refresh_from_db()
    assert (run.state, run.error) == (MonitoringRun.State.FAILED, "worker lost")


def test_a_facts_change_while_redis_is_down_commits_and_its_work_is_queued_once_redis_is_back(
    redis_server, plan
):
    """The change stands and answers at once; its re-assessment is recorded as a pending event,
    which the sweeper queues once Redis is back."""
    activity = plan.matrices.get().activities.first()
    milestone = MilestoneFactory(activity=activity, due_date=AS_OF)
    redis_server.stop()

    started = time.monotonic()
    activity_services.complete_milestone(
        actor=None, milestone=milestone, version=milestone.version, completed_on=AS_OF
    )
    assert time.monotonic() - started < FAIL_FAST_SECONDS

    milestone.refresh_from_db()
    assert milestone.completed_on == AS_OF
    event = Event.objects.get()
    assert (event.state, event.activity_ids) == (Event.State.PENDING, [activity.pk])
    assert not MonitoringRun.objects.exists()

    redis_server.start()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2), tick=False):
        outcome = follow_up.sweep()

    assert (outcome.events_queued, outcome.broker_down) == (1, False)
    assert redis_server.queued_messages() == 1  # its delivery, waiting for a worker
