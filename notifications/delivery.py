"""Delivering an event to people: one inbox row and, unless they chose otherwise, one e-mail row
per recipient, written in the delivering transaction (monitoring.follow_up.deliver_event, which
holds the event's row lock and marks it delivered in the same commit).

Idempotent twice over: the event is delivered once (its state), and should a delivery be
repeated anyway, the unique (event, recipient, channel) row makes the second insert a no-op.
E-mails are sent after commit by `notifications.tasks.send_emails` (immediate ones) and by beat's
digests; a lost message leaves them pending, and beat's next run sends them.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Event
from notifications import recipients, rules, tasks, webhooks
from notifications.models import Cadence, Notification, Preference

logger = logging.getLogger(__name__)
User = get_user_model()


def deliver(event: Event) -> int:
    """Write the event's notifications (rows already there are left as they are); returns how
    many rows were written or found. Called inside the delivering transaction."""
    if event.kind == Event.Kind.WEBHOOK_DISABLED:
        owner = event.payload.get("owner_id")
        told = {owner: "you registered this webhook"} if owner else {}
        return _write(event, told, label="", url=reverse("notifications:webhooks"))
    if event.kind not in rules.KINDS_FOR_PEOPLE or not event.activity_ids:
        return 0
    webhooks.enqueue(event)
    activity = Activity.objects.filter(pk=event.activity_ids[0]).first()
    if activity is None:  # deleted since: nothing left to tell
        return 0
    told = recipients.recipients(event, activity)
    return _write(event, told, label=f"{activity.code} {activity.title}", url=_url(event, activity))


def _write(event: Event, told: dict[int, str], *, label: str, url: str) -> int:
    if not told:
        return 0
    chosen = _chosen(event.kind, told)
    emails = dict(User.objects.filter(pk__in=told).values_list("id", "email"))
    actor = event.actor.get_username() if event.actor_id else ""
    message = rules.describe(
        event.kind, event.payload, activity=label, actor=actor, note=event.note
    )
    now = timezone.now()
    rows = []
    for user_id, reason in sorted(told.items()):
        cadence = rules.cadence_for(event.kind, chosen.get(user_id, {}))
        if cadence == Cadence.OFF:
            continue
        common = {
            "event": event,
            "recipient_id": user_id,
            "subject": message.subject,
            "body": message.body,
            "url": url,
            "reason": reason[:200],
            "created_at": now,
        }
        rows.append(
            Notification(
                channel=Notification.Channel.INBOX,
                cadence=cadence,
                state=Notification.State.SENT,
                sent_at=now,
                **common,
            )
        )
        if emails.get(user_id):
            rows.append(
                Notification(
                    channel=Notification.Channel.EMAIL,
                    cadence=cadence,
                    state=Notification.State.PENDING,
                    **common,
                )
            )
    for row in rows:
        row.full_clean(exclude={"event", "recipient"}, validate_constraints=False)
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if any(
        row.channel == Notification.Channel.EMAIL and row.cadence == Cadence.IMMEDIATE
        for row in rows
    ):
        transaction.on_commit(_queue_emails, robust=True)
    return len(rows)


def _chosen(kind: str, told: dict[int, str]) -> dict[int, dict[str, str]]:
    chosen: dict[int, dict[str, str]] = {}
    for user_id, cadence in Preference.objects.filter(user_id__in=told, kind=kind).values_list(
        "user_id", "cadence"
    ):
        chosen.setdefault(user_id, {})[kind] = cadence
    return chosen


def _url(event: Event, activity: Activity) -> str:
    path = reverse("activities:detail", args=[activity.pk])
    if event.kind in (Event.Kind.COMMENT, Event.Kind.MENTION):
        return f"{path}#conversation"
    if event.kind == Event.Kind.UPDATE_SUBMITTED:
        return reverse("activities:approvals")
    return path


def _queue_emails() -> None:
    tasks.publish(tasks.send_emails)
