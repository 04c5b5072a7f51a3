"""Celery tasks of notifications: thin, idempotent, acknowledged late, retried on outages.

- `send_emails`: queued after the commit of a delivery that wrote immediate e-mails, and on
  beat every minute, so an e-mail whose message was lost (or whose SMTP server was down) goes on
  the next run;
- `send_digests`: beat, hourly: the digests whose day or week is over;
- `send_webhooks`: queued after commit, and on beat every minute (retries after backoff, lost
  messages): the webhook deliveries that are due;
- `find_due`: beat, hourly: the reminders now due (milestones due in 7 days or overdue, reports
  due or late, escalated).

Each is safe to run twice: the second run sends and records nothing.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from notifications import reminders, services, webhooks

logger = logging.getLogger(__name__)

RETRY_POLICY = {
    "autoretry_for": (OperationalError, InterfaceError, BrokerError),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
    "soft_time_limit": 45,
    "time_limit": 60,
}


def publish(task) -> bool:
    """Queue `task`, best effort: with the broker down the work stays pending in the database
    and beat's next run does it."""
    if task.app.conf.task_always_eager:
        task.delay()
        return True
    try:
        task.apply_async(retry=False)
    except (BrokerError, OSError) as exc:
        logger.warning("%s not queued, left to beat: %s", task.name, exc)
        return False
    return True


@shared_task(**RETRY_POLICY)
def send_emails() -> int:
    return services.send_immediate_emails()


@shared_task(**RETRY_POLICY)
def send_digests() -> int:
    return services.send_digests()


@shared_task(**RETRY_POLICY)
def find_due() -> int:
    return len(reminders.find_due())


@shared_task(**RETRY_POLICY)
def send_webhooks() -> int:
    return webhooks.send_due()
