"""Webhooks against a real HTTP receiver on 127.0.0.1: signed JSON POSTs, retried with
exponential backoff when the receiver fails (here twice) until it lands, once; disabled after
repeated failures, with the owner told; only for owners who may see the events; through the
API (OpenAPI) and the page."""

import datetime as dt
import hashlib
import hmac

import pytest
import time_machine

from activities import services as activity_services
from activities.models import Event
from notifications import tasks, webhooks
from notifications.models import Notification, WebhookDelivery, WebhookSubscription
from partnership.models import Profile
from tests.factories import ProgressUpdateFactory
from tests.support.http_receiver import HttpReceiver

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2016, 6, 10, 9, tzinfo=dt.UTC)
SECRET = "a-long-shared-secret-0123456789"


@pytest.fixture(autouse=True)
def fast_retries(settings):
    settings.WEBHOOKS = {
        "MAX_ATTEMPTS": 4,
        "RETRY_BASE_SECONDS": 10,
        "DISABLE_AFTER_FAILURES": 2,
        "TIMEOUT_SECONDS": 2,
    }


@pytest.fixture
def private_hosts(settings):
    """The receiver listens on 127.0.0.1, which production refuses (tests of that refusal:
    test_webhook_url_safety)."""
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True


def at(seconds: float):
    return time_machine.travel(T0 + dt.timedelta(seconds=seconds), tick=False)


def submit(world, callbacks, period_end=dt.date(2016, 6, 30)):
    update = ProgressUpdateFactory(
        activity=world.activity, author=world.officer, period_end=period_end
    )
    with callbacks(execute=True):
        activity_services.submit_progress_update(actor=world.officer, update=update)
    return update


def verify(received, secret: str) -> bool:
    """What a receiver does (the README's example): HMAC-SHA256 over "<timestamp>.<body>"."""
    timestamp = received.headers["X-Tracker-Timestamp"]
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + received.body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(received.headers["X-Tracker-Signature"], f"sha256={expected}")


@pytest.mark.usefixtures("private_hosts")
def test_a_failing_receiver_gets_retries_with_backoff_and_the_event_lands_once(
    world, django_capture_on_commit_callbacks
):
    with HttpReceiver(failures=2) as receiver:
        subscription = webhooks.create_subscription(
            actor=world.manager,
            url=receiver.url,
            event_types=["update_submitted"],
            secret=SECRET,
        )
        with at(0):
            update = submit(world, django_capture_on_commit_callbacks)  # attempt 1: 500
        with at(9):
            assert tasks.send_webhooks() == 0  # not due yet (10 s after the first)
        with at(10):
            assert tasks.send_webhooks() == 0  # attempt 2: 500
        with at(29):
            assert tasks.send_webhooks() == 0  # 20 s after the second: not yet
        with at(30):
            assert tasks.send_webhooks() == 1  # attempt 3: lands
        with at(500):
            assert tasks.send_webhooks() == 0  # delivered: nothing more

    assert [r.status for r in receiver.requests] == [500, 500, 200]
    event = Event.objects.get(kind=Event.Kind.UPDATE_SUBMITTED)
    assert {r.headers["X-Tracker-Event-Id"] for r in receiver.requests} == {str(event.pk)}
    assert receiver.accepted_ids == [str(event.pk)]
    assert all(verify(r, SECRET) for r in receiver.requests)
    assert not verify(receiver.requests[0], "another-secret-0123456789")
    body = receiver.requests[-1].json()
    assert body["id"] == event.pk
    assert body["type"] == "update_submitted"
    assert body["actor"] == "officer"
    assert body["data"]["update_id"] == update.pk
    assert body["activity"]["code"] == "T-01"
    assert body["activity"]["url"].endswith(f"/api/v1/activities/{world.activity.pk}/")

    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 200)
    assert list(delivery.attempt_log.values_list("number", "status_code")) == [
        (1, 500),
        (2, 500),
        (3, 200),
    ]
    subscription.refresh_from_db()
    assert (subscription.active, subscription.consecutive_failures) == (True, 0)


@pytest.mark.usefixtures("private_hosts")
def test_a_receiver_that_keeps_failing_gets_the_subscription_disabled_and_the_owner_told(
    world, django_capture_on_commit_callbacks
):
    with HttpReceiver(failures=1000) as receiver:
        subscription = webhooks.create_subscription(
            actor=world.manager, url=receiver.url, event_types=["update_submitted"], secret=SECRET
        )
        with at(0):
            submit(world, django_capture_on_commit_callbacks)
            submit(world, django_capture_on_commit_callbacks, period_end=dt.date(2016, 3, 31))
        for seconds in (10, 30, 70, 1000):  # attempts 2, 3, 4 (the last)
            with at(seconds), django_capture_on_commit_callbacks(execute=True):
                tasks.send_webhooks()
        with at(5000), django_capture_on_commit_callbacks(execute=True):
            submit(world, django_capture_on_commit_callbacks, period_end=dt.date(2016, 9, 30))
            tasks.send_webhooks()

    assert len(receiver.requests) == 2 * 4  # nothing for the third event: disabled
    subscription.refresh_from_db()
    assert subscription.active is False
    assert subscription.disabled_reason == ("2 deliveries in a row failed after 4 attempts each.")
    told = Notification.objects.get(
        recipient=world.manager, channel="inbox", event__kind="webhook_disabled"
    )
    assert told.subject == f"Webhook disabled: {receiver.url}"
    assert told.url == "/notifications/webhooks/"


@pytest.mark.usefixtures("private_hosts")
def test_events_go_only_to_owners_who_may_see_them(world, django_capture_on_commit_callbacks):
    with HttpReceiver() as receiver:
        webhooks.create_subscription(
            actor=world.manager, url=receiver.url, event_types=["update_submitted"], secret=SECRET
        )
        Profile.objects.filter(user=world.manager).update(role=Profile.Role.VIEWER)
        with at(0):
            submit(world, django_capture_on_commit_callbacks)
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


@pytest.mark.usefixtures("private_hosts")
def test_only_the_chosen_event_types_are_sent(world, django_capture_on_commit_callbacks):
    with HttpReceiver() as receiver:
        webhooks.create_subscription(
            actor=world.manager, url=receiver.url, event_types=["update_approved"], secret=SECRET
        )
        with at(0):
            submit(world, django_capture_on_commit_callbacks)
    assert receiver.requests == []


# --- API and page ---------------------------------------------------------------------------------

API = "/api/v1/webhooks/"


def test_a_manager_registers_a_webhook_through_the_api_and_reads_its_log(
    world, client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    client.force_login(world.manager)
    created = client.post(
        API,
        {"url": "https://receiver.example.org/hook", "event_types": ["update_submitted"]},
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert len(body["secret"]) >= 32  # made for them, shown this once
    assert "secret" not in client.get(f"{API}{body['id']}/").json()

    # session, user; the profile (manager?); the subscriptions' count (pagination); the page
    with django_assert_num_queries(5):
        listed = client.get(API)
    assert [s["url"] for s in listed.json()["results"]] == ["https://receiver.example.org/hook"]

    with at(0):
        submit(world, django_capture_on_commit_callbacks)  # the receiver does not exist: no answer
    log = client.get(f"{API}{body['id']}/deliveries/").json()["results"]
    assert log[0]["state"] == "pending"
    assert log[0]["attempt_log"][0]["status_code"] is None

    # session, user; the profile; the subscription; the deliveries' count; the deliveries with
    # their events; their attempts (prefetched).
    with django_assert_num_queries(7):
        client.get(f"{API}{body['id']}/deliveries/")
    for n in range(5):
        with at(0):
            submit(world, django_capture_on_commit_callbacks, period_end=dt.date(2016, 1 + n, 28))
    with django_assert_num_queries(7):
        response = client.get(f"{API}{body['id']}/deliveries/")
    assert response.json()["count"] == 6


def test_the_api_refuses_bad_input_at_once_and_non_managers(world, client):
    client.force_login(world.manager)
    response = client.post(
        API, {"url": "ftp://x", "event_types": ["nope"]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"url", "event_types"}
    response = client.post(
        API,
        {"url": "https://x.example.org/", "event_types": ["mention"], "secret": "short"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "secret" in response.json()
    client.force_login(world.officer)
    assert client.get(API).status_code == 403
    assert not WebhookSubscription.objects.exists()


def test_the_schema_documents_the_webhook_endpoints(client, world):
    client.force_login(world.viewer)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/v1/webhooks/",
        "/api/v1/webhooks/{id}/",
        "/api/v1/webhooks/{id}/deliveries/",
    ):
        assert path in schema


def test_the_page_registers_a_webhook_and_shows_the_secret_once(client, world):
    client.force_login(world.manager)
    response = client.post(
        "/notifications/webhooks/",
        {"url": "https://receiver.example.org/hook", "event_types": ["mention", "comment"]},
        follow=True,
    )
    subscription = WebhookSubscription.objects.get()
    assert subscription.event_types == ["comment", "mention"]
    page = response.content.decode()
    assert subscription.secret in page
    assert "Delivery log" in page
    assert subscription.secret not in client.get(response.request["PATH_INFO"]).content.decode()
    client.force_login(world.officer)
    assert client.get("/notifications/webhooks/").status_code == 403


@pytest.mark.usefixtures("private_hosts")
def test_the_readmes_receiver_verifies_a_real_delivery_and_refuses_a_forged_one(
    world, django_capture_on_commit_callbacks, settings
):
    """The receiver example of the README, run as it is written (on a free port)."""
    import re
    import threading
    from http.server import HTTPServer

    readme = (settings.BASE_DIR / "README.md").read_text()
    code = re.search(r"```python\n(.*?)```", readme[readme.index("## Webhooks") :], re.S)[1]
    serving_line = 'HTTPServer(("0.0.0.0", 8080), Receiver).serve_forever()'
    assert serving_line in code
    example: dict = {}
    exec(code.replace(serving_line, ""), example)
    example["SECRET"] = SECRET.encode()
    server = HTTPServer(("127.0.0.1", 0), example["Receiver"])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        webhooks.create_subscription(
            actor=world.manager,
            url=f"http://127.0.0.1:{server.server_address[1]}/",
            event_types=["update_submitted"],
            secret=SECRET,
        )
        submit(world, django_capture_on_commit_callbacks)  # real time: the receiver checks it
        forged = webhooks.create_subscription(
            actor=world.other_manager,
            url=f"http://127.0.0.1:{server.server_address[1]}/",
            event_types=["update_submitted"],
            secret="not-the-receivers-secret-0123",
        )
        submit(world, django_capture_on_commit_callbacks, period_end=dt.date(2016, 3, 31))
    finally:
        server.shutdown()
        server.server_close()

    answers = WebhookDelivery.objects.values_list("subscription_id", "last_status_code")
    forged_answers = [code for sub, code in answers if sub == forged.pk]
    assert forged_answers == [401]  # the forged signature, refused (retried later, in vain)
    assert sorted(code for sub, code in answers if sub != forged.pk) == [204, 204]
    assert len(example["seen"]) == 2
