"""A Redis outage while events are recorded loses none of them: they are delivered, and their
e-mails sent, once the broker is back. The real parts: a Redis server of the test's own that it
stops and restarts, a real `celery worker` and `celery beat`, PostgreSQL, and a real SMTP server
(aiosmtpd) that the worker sends to."""

import pytest

from activities import services as activity_services
from activities.models import Event
from notifications import conversation
from notifications.models import Notification
from tests.factories import ProgressUpdateFactory
from tests.notifications import world as worlds
from tests.support.celery_worker import CeleryBeat, CeleryWorker
from tests.support.smtp_server import SmtpServer
from tests.trust.redis_server import RedisServer, celery_broker_at
from tests.trust.test_nothing_lost import FAST_SWEEP, wait_until, worker_env

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


world = worlds.world  # the notifications tests' small world, as a fixture here


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    try:
        with celery_broker_at(server.url):
            yield server
    finally:
        server.stop()


def test_events_recorded_while_redis_is_down_are_delivered_once_it_is_back(redis_server, world):
    redis_server.stop()
    first = ProgressUpdateFactory(activity=world.activity, author=world.officer)
    activity_services.submit_progress_update(actor=world.officer, update=first)
    conversation.post_comment(
        actor=world.officer, activity=world.activity, body="@partner the update is in"
    )
    recorded = Event.objects.exclude(kind=Event.Kind.FACTS_CHANGED)
    assert sorted(recorded.values_list("kind", "state")) == [
        ("comment", "pending"),
        ("mention", "pending"),
        ("update_submitted", "pending"),
    ]
    assert not Notification.objects.exists()

    redis_server.start()
    with SmtpServer() as smtp:
        env = worker_env(
            **FAST_SWEEP,
            REDIS_URL=redis_server.url,
            EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
        )
        with CeleryWorker(concurrency=1, env=env) as worker, CeleryBeat(env=env) as beat:
            wait_until(
                lambda: (
                    not Event.objects.filter(state=Event.State.PENDING).exists()
                    and len(smtp.messages) >= 3
                ),
                timeout=90,
                what="delivered and e-mailed",
                logs=[worker, beat],
            )
        messages = sorted((m["X-Envelope-To"], m["Subject"]) for m in smtp.messages)

    assert set(recorded.values_list("state", flat=True)) == {"delivered"}
    # The managers at once (update submitted), the partner officer at once (mention; they hear
    # of the comment through it, and its author is not told of their own). Nothing twice.
    submitted = (
        "Progress update to 2016-06-30 submitted for approval: T-01 Foreign terrorist fighters"
    )
    assert messages == [
        ("manager2@example.org", submitted),
        ("manager@example.org", submitted),
        ("partner@example.org", "officer mentioned you on T-01 Foreign terrorist fighters"),
    ]
    inbox = Notification.objects.filter(channel="inbox")
    assert sorted(inbox.values_list("recipient__username", "event__kind")) == [
        ("manager", "update_submitted"),
        ("manager2", "update_submitted"),
        ("partner", "mention"),
    ]
