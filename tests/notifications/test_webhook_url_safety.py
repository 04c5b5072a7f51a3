"""Webhooks never go into the tracker's own network (SSRF): a URL whose host resolves to a
private, loopback, link-local, multicast or reserved address is refused at registration (the
service, the API and the page, 400 with the reason) and again at delivery, where DNS may answer
differently: such a delivery fails at once, logged with the reason, and is not retried. With
WEBHOOK_ALLOW_PRIVATE_HOSTS on (the other webhook tests), such hosts are let through."""

import datetime as dt
import ipaddress
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.core.exceptions import ValidationError

from activities import services as activity_services
from notifications import tasks, url_safety, webhooks
from notifications.models import WebhookDelivery, WebhookSubscription
from tests.factories import ProgressUpdateFactory
from tests.support.http_receiver import HttpReceiver

pytestmark = pytest.mark.django_db

API = "/api/v1/webhooks/"
PUBLIC = "93.184.216.34"  # a public address (example.com's, once)
REFUSED_URLS = {
    "http://127.0.0.1:8000/hook": "127.0.0.1 is a loopback address",
    "https://10.1.2.3/hook": "10.1.2.3 is a private address",
    "http://[::1]:8080/hook": "::1 is a loopback address",
    "http://localhost/hook": "localhost resolves to 127.0.0.1, a loopback address",
    "http://169.254.169.254/latest/meta-data/": "169.254.169.254 is a link-local address",
}


@pytest.fixture
def dns(monkeypatch):
    """A resolver the test controls for names under .test (every other name as usual):
    `dns["receiver.test"] = "127.0.0.1"`."""
    answers: dict[str, str] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if isinstance(host, str) and host in answers:
            return real(answers[host], port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "reserved"),  # shared address space (carrier NAT)
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("fec0::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("2002:a00:1::", "private"),  # 6to4 of 10.0.0.1
        ("8.8.8.8", None),
        (PUBLIC, None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_only_public_addresses_are_fit_for_webhooks(address, kind):
    assert url_safety._kind(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize("url", list(REFUSED_URLS))
def test_the_service_refuses_hosts_on_private_addresses(world, url):
    with pytest.raises(ValidationError) as refused:
        webhooks.create_subscription(actor=world.manager, url=url, event_types=["comment"])
    (message,) = refused.value.message_dict["url"]
    assert REFUSED_URLS[url] in message
    assert message.endswith("webhooks are sent only to public addresses.")
    assert not WebhookSubscription.objects.exists()


def test_a_hostname_resolving_to_loopback_is_refused_and_a_public_one_accepted(world, dns):
    dns["inside.test"], dns["outside.test"] = "127.0.0.1", PUBLIC
    with pytest.raises(ValidationError) as refused:
        webhooks.create_subscription(
            actor=world.manager, url="https://inside.test/hook", event_types=["comment"]
        )
    assert refused.value.message_dict["url"] == [
        "inside.test resolves to 127.0.0.1, a loopback address: webhooks are sent only to "
        "public addresses."
    ]
    accepted = webhooks.create_subscription(
        actor=world.manager, url="https://outside.test/hook", event_types=["comment"]
    )
    # A host that does not resolve (yet) reaches nothing: accepted, and checked on delivery.
    webhooks.create_subscription(
        actor=world.manager, url="https://nowhere.invalid/hook", event_types=["comment"]
    )
    with pytest.raises(ValidationError) as changed:
        webhooks.update_subscription(
            actor=world.manager,
            subscription=accepted,
            version=accepted.version,
            changes={"url": "http://10.0.0.8/"},
        )
    assert "10.0.0.8 is a private address" in changed.value.message_dict["url"][0]


def test_the_api_refuses_a_private_host_with_400_and_every_error_at_once(world, client):
    client.force_login(world.manager)
    response = client.post(
        API,
        {"url": "http://127.0.0.1:6379/", "event_types": ["nope"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["url"] == [
        "127.0.0.1 is a loopback address: webhooks are sent only to public addresses."
    ]
    assert "event_types" in body
    created = client.post(
        API,
        {"url": "https://receiver.example.org/hook", "event_types": ["comment"]},
        content_type="application/json",
    ).json()
    response = client.patch(
        f"{API}{created['id']}/", {"url": "http://[::1]/"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "::1 is a loopback address" in response.json()["url"][0]
    subscription = WebhookSubscription.objects.get()
    assert subscription.url == "https://receiver.example.org/hook"


def test_the_page_refuses_a_private_host_with_400(world, client):
    client.force_login(world.manager)
    response = client.post(
        "/notifications/webhooks/",
        {"url": "http://10.20.30.40/hook", "event_types": ["comment"]},
    )
    assert response.status_code == 400
    assert "10.20.30.40 is a private address" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_only_http_and_https_are_accepted(world):
    for url in ("ftp://receiver.example.org/", "file:///etc/passwd", "gopher://x.example.org/"):
        with pytest.raises(ValidationError) as refused:
            webhooks.create_subscription(actor=world.manager, url=url, event_types=["comment"])
        assert refused.value.message_dict["url"] == ["Give an http or https address."]


def test_a_host_that_resolves_to_loopback_at_delivery_is_refused_once_and_not_retried(
    world, dns, settings, django_capture_on_commit_callbacks
):
    """DNS rebinding: public when registered, 127.0.0.1 (where a receiver listens) when sent."""
    settings.WEBHOOKS = {**webhooks.policy(), "RETRY_BASE_SECONDS": 10, "TIMEOUT_SECONDS": 2}
    with HttpReceiver() as receiver:
        port = receiver.server.server_address[1]
        dns["rebinding.test"] = PUBLIC
        subscription = webhooks.create_subscription(
            actor=world.manager,
            url=f"http://rebinding.test:{port}/hooks/tracker",
            event_types=["update_submitted"],
        )
        dns["rebinding.test"] = "127.0.0.1"
        t0 = dt.datetime(2016, 6, 10, 9, tzinfo=dt.UTC)
        with time_machine.travel(t0, tick=False):
            update = ProgressUpdateFactory(
                activity=world.activity, author=world.officer, period_end=dt.date(2016, 6, 30)
            )
            with django_capture_on_commit_callbacks(execute=True):
                activity_services.submit_progress_update(actor=world.officer, update=update)
        with time_machine.travel(t0 + dt.timedelta(hours=1), tick=False):
            assert tasks.send_webhooks() == 0  # nothing due: it failed for good
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("failed", 1, None)
    reason = (
        "Refused: rebinding.test resolves to 127.0.0.1, a loopback address: webhooks are sent "
        "only to public addresses."
    )
    assert delivery.last_error == reason
    assert list(delivery.attempt_log.values_list("error", flat=True)) == [reason]
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 1


def test_with_private_hosts_allowed_a_loopback_receiver_is_registered_and_reached(
    world, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    with HttpReceiver() as receiver:
        webhooks.create_subscription(
            actor=world.manager, url=receiver.url, event_types=["update_submitted"]
        )
        update = ProgressUpdateFactory(
            activity=world.activity, author=world.officer, period_end=dt.date(2016, 6, 30)
        )
        with django_capture_on_commit_callbacks(execute=True):
            activity_services.submit_progress_update(actor=world.officer, update=update)
    assert [r.status for r in receiver.requests] == [200]
    assert WebhookDelivery.objects.get().state == "delivered"


def test_a_redirect_is_not_followed(world, settings, django_capture_on_commit_callbacks):
    """A public receiver could otherwise send the request on to an internal address."""
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    paths: list[str] = []

    class Redirecting(BaseHTTPRequestHandler):
        def do_POST(self):  # http.server calls these by name
            paths.append(self.path)
            self.send_response(302)
            self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        webhooks.create_subscription(
            actor=world.manager,
            url=f"http://127.0.0.1:{server.server_address[1]}/hook",
            event_types=["update_submitted"],
        )
        update = ProgressUpdateFactory(
            activity=world.activity, author=world.officer, period_end=dt.date(2016, 6, 30)
        )
        with django_capture_on_commit_callbacks(execute=True):
            activity_services.submit_progress_update(actor=world.officer, update=update)
    finally:
        server.shutdown()
        server.server_close()
    assert paths == ["/hook"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.last_status_code) == ("pending", 302)  # retried later
