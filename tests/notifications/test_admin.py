"""The admin of the notifications records is read-only: every list and record opens for a
superuser, nothing is added, changed or deleted there (the notifications services write, with
their checks, history and events), and a webhook's secret is never shown."""

import pytest
from django.urls import reverse

from notifications import conversation, services, webhooks
from notifications.models import (
    Comment,
    Digest,
    Notification,
    Preference,
    WebhookDelivery,
    WebhookSubscription,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SECRET = "the-receivers-own-secret-0123456789"


@pytest.fixture
def records(world, client, django_capture_on_commit_callbacks):
    client.force_login(make_user(username="root", is_staff=True, is_superuser=True))
    webhooks.create_subscription(
        actor=world.manager,
        url="https://receiver.example.org/hook",
        event_types=["comment"],
        secret=SECRET,
    )
    with django_capture_on_commit_callbacks(execute=True):
        conversation.post_comment(actor=world.officer, activity=world.activity, body="@partner hi")
    services.set_preferences(actor=world.officer, choices={"comment": "daily"})
    return {
        model: model.objects.order_by("pk").first()
        for model in (Notification, Preference, Comment, WebhookSubscription, WebhookDelivery)
    }


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_notifications_record_is_shown_and_none_is_written(client, records):
    for model, obj in records.items():
        assert obj is not None, model
        changelist = client.get(_url(model, "changelist"))
        assert changelist.status_code == 200
        assert "delete_selected" not in dict(
            changelist.context["action_form"].fields["action"].choices
            if changelist.context["action_form"]
            else {}
        )
        change = client.get(_url(model, "change", obj.pk))
        assert change.status_code == 200
        assert change.context["has_change_permission"] is False
        assert client.post(_url(model, "change", obj.pk), {}).status_code == 403
        assert client.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
        assert client.get(_url(model, "add")).status_code == 403
        assert model.objects.filter(pk=obj.pk).exists()
    assert client.get(_url(Digest, "changelist")).status_code == 200


def test_a_webhooks_secret_is_never_shown(client, records):
    subscription = records[WebhookSubscription]
    for url in (
        _url(WebhookSubscription, "changelist"),
        _url(WebhookSubscription, "change", subscription.pk),
    ):
        page = client.get(url).content.decode()
        assert "receiver.example.org" in page
        assert SECRET not in page


def test_the_delivery_log_shows_each_attempt(client, records):
    delivery = records[WebhookDelivery]
    page = client.get(_url(WebhookDelivery, "change", delivery.pk)).content.decode()
    # The receiver does not exist: the first attempt got no answer, and says why.
    assert delivery.attempt_log.count() == 1
    assert delivery.attempt_log.get().error in page
