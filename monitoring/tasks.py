"""Celery tasks of the monitoring engine: thin. They take ids, call a service and own retries.

Every task is idempotent (the services make repeating a step harmless), acknowledged late (a
message is removed from the broker only once its work is committed, so a worker that dies hands
the chunk to another), time-limited, and retried with backoff on transient database and broker
errors. A task that fails for good records the failure on its run (`on_failure`), so a run never
stays "running"; the stale-run check is the backstop for failures no handler saw.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerError

from monitoring import services

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


@shared_task(base=StartRunTask, acks_late=True, soft_time_limit=120, time_limit=150, **RETRY_POLICY)
def start_run(run_id: int) -> int:
    """Split the run into chunks and queue one task per chunk still to do."""
    chunk_ids = services.split_run(run_id=run_id)
    for chunk_id in chunk_ids:
        assess_chunk.delay(chunk_id)
    return len(chunk_ids)


@shared_task(base=ChunkTask, acks_late=True, soft_time_limit=300, time_limit=360, **RETRY_POLICY)
def assess_chunk(chunk_id: int) -> bool:
    return services.process_chunk(chunk_id=chunk_id)


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, **RETRY_POLICY)
def start_daily_runs() -> list[int]:
    """Beat: a run as of today for every adopted plan whose period includes today."""
    return [run.pk for run in services.start_daily_runs()]


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90, **RETRY_POLICY)
def fail_stale_runs() -> list[int]:
    """Beat: fail the runs that overran their deadline."""
    return services.fail_stale_runs()
