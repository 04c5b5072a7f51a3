"""Webhooks for REST clients: subscriptions, and sending them the events they asked for.

A delivery is a JSON POST of one event, signed with HMAC-SHA256 over "<timestamp>.<body>" with
the subscription's secret:

    X-Tracker-Event: update_submitted
    X-Tracker-Event-Id: 1234            (the same on every retry: receivers drop duplicates by it)
    X-Tracker-Timestamp: 1465549200     (seconds since the epoch, when this attempt was signed)
    X-Tracker-Signature: sha256=<hex>   (hmac(secret, timestamp + "." + body))

A 2xx answer delivers it. Anything else (another status, no answer within the timeout) is
retried with exponential backoff (RETRY_BASE_SECONDS × 2^(attempt − 1)) up to MAX_ATTEMPTS; a
delivery that still fails has failed for good, and after DISABLE_AFTER_FAILURES of those in a
row the subscription is disabled and its owner told (a `webhook_disabled` event, delivered to
their inbox and e-mail). Every attempt is logged with its status code (WebhookAttempt). A URL
whose host resolves to a private, loopback, link-local, multicast or reserved address is refused
at registration and on every delivery (notifications.url_safety): such a delivery fails at once,
with the reason, and is not retried.

Deliveries are rows written with the event's delivery (`enqueue`, one per subscription and
event, unique), so nothing is sent twice for one event and nothing is lost when the broker or
the receiver is down: beat's `send_webhooks` sends whatever is due every minute. Only managers
own subscriptions, and only while they are managers are events sent: they may see every
activity, and no event is about a draft.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from activities.exceptions import ConflictError, NotAllowed
from activities.models import Activity, Event
from activities.services import record_event
from notifications import rules, url_safety
from notifications.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from partnership.access import is_manager

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

# What a subscription may ask for: every event people hear about.
WEBHOOK_KINDS = rules.KINDS_FOR_PEOPLE
USER_AGENT = "partnership-tracker-webhooks/1"


def policy() -> dict[str, int]:
    return {
        "MAX_ATTEMPTS": 6,
        "RETRY_BASE_SECONDS": 30,
        "DISABLE_AFTER_FAILURES": 5,
        "TIMEOUT_SECONDS": 5,
        **getattr(settings, "WEBHOOKS", {}),
    }


def backoff(attempt: int, base: float) -> dt.timedelta:
    """How long to wait after failed attempt `attempt` (1, 2, …): base, 2 × base, 4 × base …"""
    return dt.timedelta(seconds=base * 2 ** (attempt - 1))


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


# --- subscriptions --------------------------------------------------------------------------------


def _errors(url: str, event_types: Sequence[str], secret: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["url"] = ["Give an http or https address."]
    else:
        if refused := url_safety.refusal(url):
            errors["url"] = [refused]
    if not event_types:
        errors["event_types"] = ["Choose at least one type of event."]
    elif unknown := sorted(set(event_types) - set(WEBHOOK_KINDS)):
        errors["event_types"] = [f"Unknown event types: {', '.join(unknown)}."]
    if secret and len(secret) < 16:
        errors["secret"] = ["A secret has at least 16 characters (or leave it blank for one)."]
    return errors


def _may_manage(actor: AbstractBaseUser) -> None:
    if not is_manager(actor):
        raise NotAllowed("Only managers register webhooks.")


@transaction.atomic
def create_subscription(
    *,
    actor: AbstractBaseUser,
    url: str,
    event_types: Sequence[str],
    secret: str = "",
    description: str = "",
) -> WebhookSubscription:
    """A manager's subscription; a secret is made when none is given (shown on the answer)."""
    _may_manage(actor)
    if errors := _errors(url, event_types, secret):
        raise ValidationError(errors)
    subscription = WebhookSubscription(
        owner=actor,
        url=url,
        event_types=sorted(set(event_types)),
        secret=secret or secrets.token_urlsafe(32),
        description=description,
    )
    subscription.full_clean()
    subscription._history_user = actor
    subscription.save()
    return subscription


class SubscriptionChanges(TypedDict, total=False):
    url: str
    event_types: Sequence[str]
    description: str
    secret: str
    active: bool


@transaction.atomic
def update_subscription(
    *,
    actor: AbstractBaseUser,
    subscription: WebhookSubscription,
    version: int | None,
    changes: SubscriptionChanges,
) -> WebhookSubscription:
    """Change one's subscription at `version` (None: any). `active=True` enables a disabled
    one again (its failure count starts afresh); `active=False` disables it."""
    _may_manage(actor)
    fresh = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if fresh.owner_id != actor.pk:
        raise NotAllowed("Only its owner changes a webhook.")
    if version is not None and fresh.version != version:
        raise ConflictError(
            model_name="webhook", expected_version=version, current_version=fresh.version
        )
    url = changes.get("url", fresh.url)
    kinds = changes.get("event_types", fresh.event_types)
    if errors := _errors(url, kinds, changes.get("secret", "")):
        raise ValidationError(errors)
    fresh.url, fresh.event_types = url, sorted(set(kinds))
    fresh.description = changes.get("description", fresh.description)
    if changes.get("secret"):
        fresh.secret = changes["secret"]
    if "active" in changes and changes["active"] != fresh.active:
        fresh.active = changes["active"]
        fresh.consecutive_failures = 0
        fresh.disabled_at = None if fresh.active else timezone.now()
        fresh.disabled_reason = "" if fresh.active else f"Disabled by {actor.get_username()}."
    fresh.version += 1
    fresh.full_clean()
    fresh._history_user = actor
    fresh.save()
    return fresh


@transaction.atomic
def delete_subscription(*, actor: AbstractBaseUser, subscription: WebhookSubscription) -> None:
    _may_manage(actor)
    if subscription.owner_id != actor.pk:
        raise NotAllowed("Only its owner deletes a webhook.")
    subscription._history_user = actor
    subscription.delete()


# --- enqueueing and sending -----------------------------------------------------------------------


def enqueue(event: Event) -> int:
    """A delivery row for each active subscription that asked for this event's type and whose
    owner may see it; in the event's delivering transaction. Returns how many."""
    if event.kind not in WEBHOOK_KINDS:
        return 0
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(active=True)
        .select_related("owner__profile")
        .order_by("id")
        if event.kind in s.event_types and s.owner.is_active and is_manager(s.owner)
    ]
    if not subscriptions:
        return 0
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(subscription=s, event=event, next_attempt_at=now, created_at=now)
            for s in subscriptions
        ],
        ignore_conflicts=True,
    )
    transaction.on_commit(_queue_sending, robust=True)
    return len(subscriptions)


def _queue_sending() -> None:
    from notifications import tasks

    tasks.publish(tasks.send_webhooks)


def body_of(event: Event, activity: dict[str, Any] | None) -> dict[str, Any]:
    """What a receiver gets: the event, and the activity it is about."""
    return {
        "id": event.pk,
        "type": event.kind,
        "created_at": event.created_at.isoformat(),
        "actor": event.actor.get_username() if event.actor_id else None,
        "note": event.note,
        "data": event.payload,
        "activity": activity,
    }


def _activity(event: Event) -> dict[str, Any] | None:
    if not event.activity_ids:
        return None
    row = Activity.objects.filter(pk=event.activity_ids[0]).values("id", "code", "title").first()
    if row is None:
        return None
    path = reverse("api:activity-detail", args=[row["id"]])
    return row | {"url": f"{settings.SITE_URL.rstrip('/')}{path}"}


def _post(
    subscription: WebhookSubscription, event: Event, body: bytes
) -> tuple[int | None, str, bool]:
    """POST the body: the answer's status code (None: no answer), the error, and whether
    trying again may help (not when the host resolves to an address webhooks never go to)."""
    timestamp = int(time.time())
    request = urllib.request.Request(
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Tracker-Event": event.kind,
            "X-Tracker-Event-Id": str(event.pk),
            "X-Tracker-Timestamp": str(timestamp),
            "X-Tracker-Signature": sign(subscription.secret, timestamp, body),
        },
    )
    try:
        with url_safety.opener().open(request, timeout=policy()["TIMEOUT_SECONDS"]) as response:
            return response.status, "", True
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}", True
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, url_safety.RefusedAddress):  # as urllib wraps it
            return None, f"Refused: {exc.reason}"[:500], False
        return None, f"URLError: {exc.reason}"[:500], True
    except url_safety.RefusedAddress as exc:
        return None, f"Refused: {exc}"[:500], False
    except (OSError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500], True


def send_due(*, limit: int = 100) -> int:
    """Send every delivery due now (skipping those another worker holds); returns how many
    landed. The row stays locked while its POST runs (bounded by TIMEOUT_SECONDS), so two
    workers never send the same attempt."""
    landed = 0
    with transaction.atomic():
        due = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                state=WebhookDelivery.State.PENDING,
                next_attempt_at__lte=timezone.now(),
                subscription__active=True,
            )
            .select_related("subscription", "event__actor")
            .order_by("next_attempt_at", "id")[:limit]
        )
        for delivery in due:
            landed += _attempt(delivery)
    return landed


def _attempt(delivery: WebhookDelivery) -> bool:
    config = policy()
    event, subscription = delivery.event, delivery.subscription
    body = json.dumps(body_of(event, _activity(event)), separators=(",", ":")).encode()
    started = time.monotonic()
    status, error, retry = _post(subscription, event, body)
    now = timezone.now()
    delivery.attempts += 1
    attempt = WebhookAttempt(
        delivery=delivery,
        number=delivery.attempts,
        attempted_at=now,
        status_code=status,
        error=error[:500],
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    attempt.full_clean(exclude={"delivery"}, validate_constraints=False)
    attempt.save()
    delivery.last_status_code, delivery.last_error = status, error[:500]
    if status is not None and 200 <= status < 300:
        delivery.state, delivery.delivered_at = WebhookDelivery.State.DELIVERED, now
        _save(delivery)
        WebhookSubscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
        return True
    if not retry or delivery.attempts >= config["MAX_ATTEMPTS"]:
        delivery.state = WebhookDelivery.State.FAILED
        _save(delivery)
        _failed_for_good(subscription, config)
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts, config["RETRY_BASE_SECONDS"])
        _save(delivery)
    logger.info(
        "Webhook %s, event %s: attempt %s: %s", subscription.pk, event.pk, delivery.attempts, error
    )
    return False


def _save(delivery: WebhookDelivery) -> None:
    # Its subscription and event are loaded already: checking them would cost two queries.
    delivery.full_clean(exclude={"subscription", "event"}, validate_constraints=False)
    delivery.save()


def _failed_for_good(subscription: WebhookSubscription, config: dict[str, int]) -> None:
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    subscription.refresh_from_db()
    if subscription.consecutive_failures < config["DISABLE_AFTER_FAILURES"]:
        return
    subscription.active = False
    subscription.disabled_at = timezone.now()
    subscription.disabled_reason = (
        f"{subscription.consecutive_failures} deliveries in a row failed after "
        f"{config['MAX_ATTEMPTS']} attempts each."
    )
    subscription.version += 1
    subscription.full_clean()
    subscription.save()
    record_event(
        kind=Event.Kind.WEBHOOK_DISABLED,
        activity_ids=[],
        payload={
            "subscription_id": subscription.pk,
            "url": subscription.url,
            "owner_id": subscription.owner_id,
            "reason": subscription.disabled_reason,
        },
    )
