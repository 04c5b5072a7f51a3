"""Celery tasks of the monitoring engine: thin. They take ids, call a service and own retries.

Every task is idempotent (the services make repeating a step harmless), acknowledged late (a
message is removed from the broker only once its work is committed, so a worker that dies hands
the chunk to another), time-limited, and retried with backoff on transient database and broker
errors. A task that fails for good records the failure on its run (`on_failure`), so a run never
stays "running". Every task works on a row recorded in the database: a lost message is queued
again by the sweeper (`monitoring.follow_up`), which beat runs every minute.

Time limits: every task stops within CHUNK_TIME_LIMIT (60 s by default; soft at three quarters
of it, so the task can record its failure). That limit is also a running chunk's lease, after
which the sweeper hands it to another worker, and it is well inside the broker's visibility
timeout (config/settings.py), so Redis never redelivers a message whose task is still running.
"""

from __future__ import annotations

import dataclasses
import logging

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from monitoring import follow_up, services

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerError)

RETRY_POLICY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 2,  # 2, 4, 8, … seconds
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 5,
}


def _id(args: tuple, kwargs: dict, name: str) -> int | None:
    return kwargs.get(name, args[0] if args else None)


class ChunkTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        chunk_id = _id(args, kwargs, "chunk_id")
        try:
            services.fail_chunk(chunk_id=chunk_id, error=services.describe_error(exc))
        except Exception:  # the database may be what failed; the stale-run check will see it
            logger.exception("Could not record the failure of monitoring chunk %s", chunk_id)


class StartRunTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        run_id = _id(args, kwargs, "run_id")
        try:
            services.fail_run(run_id=run_id, error=services.describe_error(exc))
        except Exception:
            logger.exception("Could not record the failure of monitoring run %s", run_id)


TIME_LIMIT = services.chunk_time_limit()
LIMITS = {"acks_late": True, "soft_time_limit": TIME_LIMIT * 3 // 4, "time_limit": TIME_LIMIT}


class EventTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        event_id = _id(args, kwargs, "event_id")
        if isinstance(exc, TRANSIENT_ERRORS):
            # Retries exhausted on an outage: the event stays pending and the sweeper tries
            # again once the database or broker is back.
            logger.warning("Event %s left pending after %s", event_id, exc)
            return
        try:
            follow_up.fail_event(event_id=event_id, error=services.describe_error(exc))
        except Exception:
            logger.exception("Could not record the failure of event %s", event_id)


@shared_task(base=StartRunTask, **LIMITS, **RETRY_POLICY)
def start_run(run_id: int) -> int:
    """Split the run into chunks and queue one task per chunk still to do."""
    chunk_ids = services.split_run(run_id=run_id)
    for chunk_id in chunk_ids:
        assess_chunk.apply_async(args=(chunk_id,), retry=False)
    return len(chunk_ids)


@shared_task(base=ChunkTask, **LIMITS, **RETRY_POLICY)
def assess_chunk(chunk_id: int) -> bool:
    return services.process_chunk(chunk_id=chunk_id)


@shared_task(base=EventTask, **LIMITS, **RETRY_POLICY)
def deliver_event(event_id: int) -> bool:
    """Do the work a change recorded (re-assess the activities) and mark it delivered."""
    return follow_up.deliver_event(event_id=event_id)


@shared_task(**LIMITS, **RETRY_POLICY)
def deliver_events(event_ids: list[int]) -> int:
    """Deliver events recorded together, each in its own transaction as `deliver_event` does.
    One that fails for good is marked failed and the others go on; an outage retries the whole
    message, in which those already delivered are skipped. Returns how many were delivered."""
    delivered = 0
    for event_id in event_ids:
        try:
            delivered += follow_up.deliver_event(event_id=event_id)
        except (SoftTimeLimitExceeded, *TRANSIENT_ERRORS):
            raise
        except Exception as exc:
            logger.exception("Event %s could not be delivered", event_id)
            follow_up.fail_event(event_id=event_id, error=services.describe_error(exc))
    return delivered


@shared_task(**LIMITS, **RETRY_POLICY)
def start_daily_runs() -> list[int]:
    """Beat: a run as of today for every adopted plan whose period includes today."""
    return [run.pk for run in services.start_daily_runs()]


@shared_task(**LIMITS, **RETRY_POLICY)
def sweep() -> dict[str, int | bool]:
    """Beat, every minute: fail overdue runs, queue again whatever work looks lost."""
    return dataclasses.asdict(follow_up.sweep())


@shared_task(**LIMITS, **RETRY_POLICY)
def record_expired_overrides() -> int:
    """Beat, hourly: an event for each status override that expired (people hear of it)."""
    return len(services.record_expired_overrides())
