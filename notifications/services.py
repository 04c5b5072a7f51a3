"""Every write of the notifications app but delivery: sending e-mails (at once and in digests),
marking notifications read, and a person's choices.

E-mail goes through Django's e-mail backend (EMAIL_URL: SMTP in production, the console in the
demo). A message is marked sent in the transaction that holds its row lock, after the backend
took it: two runs of the same task never send it twice, and one that fails (the SMTP server
down) leaves it pending for the next run, with the error and the attempt counted.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from notifications import rules
from notifications.models import Cadence, Digest, Notification, Preference

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

SEND_ERRORS = (smtplib.SMTPException, OSError)
# One run of a task sends at most this many messages; the next run sends the rest.
BATCH = 200
MAX_ATTEMPTS = 10


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url else settings.SITE_URL


def _send(messages: list[EmailMessage]) -> None:
    with get_connection(fail_silently=False) as connection:
        connection.send_messages(messages)


def _record_failure(ids: list[int], exc: BaseException) -> None:
    error = f"{type(exc).__name__}: {exc}"[:500]
    Notification.objects.filter(pk__in=ids).update(error=error, attempts=F("attempts") + 1)
    logger.warning("E-mail not sent, left pending (%s): %s", ids, error)


def send_immediate_emails(*, limit: int = BATCH) -> int:
    """Send the pending e-mails of people who asked to hear at once; returns how many went."""
    sent = 0
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(
                channel=Notification.Channel.EMAIL,
                cadence=Cadence.IMMEDIATE,
                state=Notification.State.PENDING,
                attempts__lt=MAX_ATTEMPTS,
            )
            .select_related("recipient")
            .order_by("created_at", "id")[:limit]
        )
        if not rows:
            return 0
        messages = [
            EmailMessage(
                subject=row.subject,
                body=render_to_string(
                    "notifications/email.txt",
                    {"row": row, "url": _absolute(row.url), "settings_url": _absolute("")},
                ),
                to=[row.recipient.email],
            )
            for row in rows
        ]
        failure: BaseException | None = None
        try:
            _send(messages)
        except SEND_ERRORS as exc:
            failure = exc
        else:
            now = timezone.now()
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
                state=Notification.State.SENT, sent_at=now, error=""
            )
            sent = len(rows)
    if failure is not None:
        _record_failure([row.pk for row in rows], failure)
    return sent


def send_digests(*, today: dt.date | None = None) -> int:
    """Send every digest whose day or week is over: one e-mail per person, cadence and period,
    listing that period's notifications. Returns how many digests went. A second run finds
    nothing pending and sends nothing."""
    today = today or timezone.localdate()
    sent = 0
    for cadence in (Cadence.DAILY, Cadence.WEEKLY):
        groups = _due_digest_groups(cadence, today)
        for (recipient_id, start), ids in sorted(groups.items()):
            if _send_digest(cadence, recipient_id, start, ids):
                sent += 1
    return sent


def _due_digest_groups(cadence: str, today: dt.date) -> dict[tuple[int, dt.date], list[int]]:
    first_open = rules.period_start(cadence, today)
    boundary = timezone.make_aware(dt.datetime.combine(first_open, dt.time.min))
    pending = Notification.objects.filter(
        channel=Notification.Channel.EMAIL,
        cadence=cadence,
        state=Notification.State.PENDING,
        created_at__lt=boundary,
    ).values_list("id", "recipient_id", "created_at")
    groups: dict[tuple[int, dt.date], list[int]] = defaultdict(list)
    for row_id, recipient_id, created_at in pending:
        start = rules.period_start(cadence, timezone.localdate(created_at))
        if rules.period_over(cadence, start, today):
            groups[(recipient_id, start)].append(row_id)
    return groups


def _send_digest(cadence: str, recipient_id: int, start: dt.date, ids: list[int]) -> bool:
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, state=Notification.State.PENDING)
            .select_related("recipient")
            .order_by("created_at", "id")
        )
        if not rows:
            return False
        recipient = rows[0].recipient
        now = timezone.now()
        try:
            with transaction.atomic():
                digest = Digest.objects.create(
                    recipient=recipient,
                    cadence=cadence,
                    period_start=start,
                    items=len(rows),
                    sent_at=now,
                )
        except IntegrityError:
            # This period's digest went out already and these rows came later (a clock set
            # back): they still go, in a second e-mail linked to no digest row.
            digest = None
        for row in rows:
            row.link = _absolute(row.url)
        label = "week of" if cadence == Cadence.WEEKLY else "day"
        count = f"{len(rows)} notification{'s' if len(rows) != 1 else ''}"
        subject = f"Partnership tracker: {count}, {label} {start.isoformat()}"
        body = render_to_string(
            "notifications/digest.txt",
            {
                "rows": rows,
                "cadence": cadence,
                "start": start,
                "settings_url": _absolute(""),
            },
        )
        try:
            _send([EmailMessage(subject=subject, body=body, to=[recipient.email])])
        except SEND_ERRORS as exc:
            transaction.set_rollback(True)  # no digest row for a digest not sent
            failure = exc
        else:
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
                state=Notification.State.SENT, sent_at=now, digest=digest, error=""
            )
            return True
    _record_failure([row.pk for row in rows], failure)
    return False


# --- Inbox ----------------------------------------------------------------------------------------


@transaction.atomic
def mark_read(*, actor: AbstractBaseUser, notification_ids: list[int] | None = None) -> int:
    """Mark the actor's inbox notifications read (all of them when `notification_ids` is None);
    someone else's are left alone. Returns how many changed."""
    rows = Notification.objects.filter(
        recipient=actor, channel=Notification.Channel.INBOX, read_at__isnull=True
    )
    if notification_ids is not None:
        rows = rows.filter(pk__in=notification_ids)
    return rows.update(read_at=timezone.now())


@transaction.atomic
def set_preferences(*, actor: AbstractBaseUser, choices: Mapping[str, str]) -> list[Preference]:
    """The actor's cadence for each kind named in `choices`; every error at once."""
    errors: dict[str, list[str]] = {}
    valid = set(Cadence.values)
    for kind, cadence in choices.items():
        if kind not in rules.KINDS_FOR_PEOPLE:
            errors.setdefault(kind, []).append(f"'{kind}' is not an event people hear about.")
        elif cadence not in valid:
            errors.setdefault(kind, []).append(f"'{cadence}' is not a choice.")
    if errors:
        raise ValidationError(errors)
    written = []
    for kind, cadence in choices.items():
        preference = Preference.objects.select_for_update().filter(user=actor, kind=kind).first()
        preference = preference or Preference(user=actor, kind=kind)
        if preference.pk and preference.cadence == cadence:
            written.append(preference)
            continue
        preference.cadence = cadence
        preference.full_clean(validate_constraints=False)
        preference.save()
        written.append(preference)
    return written
