"""Follow-up work that nothing may lose: delivering recorded events and sweeping up lost work.

A change records its follow-up work in the database, in its own transaction (an
`activities.models.Event`; a `MonitoringRun` and its chunks). Celery messages only say "do this
row now". A message can be lost — the broker down at publish time, Redis restarted without
persistence, a worker killed with its messages unacknowledged — but the row stays, and the
sweeper, on beat every minute, queues again whatever has waited too long:

- events still pending after SWEEP_AFTER seconds;
- runs still queued after SWEEP_AFTER seconds (their start message was lost);
- the queued chunks of a running run in which no chunk has started for SWEEP_AFTER seconds
  (their messages were lost);
- chunks still running past their lease, the chunk task's hard time limit: their worker died.

Every delivery is idempotent, so a message that was only slow, not lost, changes nothing twice:
an event is delivered under a row lock and marked delivered in the same transaction; a chunk is
claimed before it is assessed and skipped once done.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from activities.models import Event
from monitoring import services
from monitoring.models import MonitoringChunk, MonitoringRun
from notifications import delivery

logger = logging.getLogger(__name__)

# How many rows of each kind one sweep queues again: a backlog larger than this (after a long
# outage) drains over a few sweeps instead of one burst.
SWEEP_BATCH = 1000


def sweep_after_seconds() -> int:
    return int(settings.MONITORING.get("SWEEP_AFTER_SECONDS", 60))


# --- Delivering events ----------------------------------------------------------------------------


def on_facts_changed(sender, event_id: int, **kwargs) -> None:
    """Answer `activities.signals.activity_facts_changed` (sent once the change committed): queue
    the event's delivery. Best effort: with the broker down the event stays pending for the
    sweeper, and the change the person made stands."""
    from monitoring import tasks  # tasks import this module

    services.publish(tasks.deliver_event, event_id)


# Events recorded together (an engine chunk's turned statuses, beat's reminders) are delivered
# by one message for up to this many: a plan's first assessment turns the status of thousands of
# activities, and a message each cost the run more than its assessments (docs/benchmarks.md,
# "Follow-up work and the monitoring run").
DELIVERY_BATCH = 100


def on_event_recorded(sender, event_ids: list[int], **kwargs) -> None:
    """Answer `activities.signals.event_recorded` as `on_facts_changed` does, with a message for
    each DELIVERY_BATCH of the events."""
    from monitoring import tasks

    for start in range(0, len(event_ids), DELIVERY_BATCH):
        services.publish(tasks.deliver_events, event_ids[start : start + DELIVERY_BATCH])


def deliver_event(*, event_id: int) -> bool:
    """Do the event's work and mark it delivered, in one transaction: re-assess the activities
    whose facts changed, or tell the people who should hear of it (notifications.delivery: one
    notification row per event, recipient and channel, so a second delivery notifies nobody
    twice). False when there was nothing to do (delivered already, failed, or being delivered by
    another worker right now)."""
    with transaction.atomic():
        event = (
            Event.objects.select_for_update(skip_locked=True)
            .filter(pk=event_id, state=Event.State.PENDING)
            .first()
        )
        if event is None:
            return False
        if event.kind == Event.Kind.FACTS_CHANGED:
            services.request_reassessment(activity_ids=event.activity_ids, reason=event.note)
        else:
            delivery.deliver(event)
        event.state = Event.State.DELIVERED
        event.delivered_at = timezone.now()
        event.save(update_fields=["state", "delivered_at"])
    return True


@transaction.atomic
def fail_event(*, event_id: int, error: str) -> None:
    """The event's delivery failed for good (not a passing outage): record why, stop retrying."""
    Event.objects.filter(pk=event_id, state=Event.State.PENDING).update(
        state=Event.State.FAILED, error=error or "failed"
    )
    logger.warning("Event %s failed: %s", event_id, error)


# --- Sweeping -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SweepOutcome:
    stale_runs_failed: int = 0
    events_queued: int = 0
    runs_queued: int = 0
    chunks_queued: int = 0
    broker_down: bool = False


def _stalled_chunk_ids(cutoff: datetime) -> list[int]:
    stalled_runs = (
        MonitoringRun.objects.filter(state=MonitoringRun.State.RUNNING, started_at__lt=cutoff)
        .annotate(last_start=Max("chunks__started_at"))
        .filter(Q(last_start__isnull=True) | Q(last_start__lt=cutoff))
    )
    return list(
        MonitoringChunk.objects.filter(run__in=stalled_runs, state=MonitoringChunk.State.QUEUED)
        .order_by("run_id", "index")
        .values_list("id", flat=True)[:SWEEP_BATCH]
    )


def _orphaned_chunk_ids(now: datetime) -> list[int]:
    lease_start = now - timedelta(seconds=services.chunk_time_limit())
    return list(
        MonitoringChunk.objects.filter(
            state=MonitoringChunk.State.RUNNING,
            started_at__lt=lease_start,
            run__state=MonitoringRun.State.RUNNING,
        )
        .order_by("id")
        .values_list("id", flat=True)[:SWEEP_BATCH]
    )


def sweep(*, now: datetime | None = None) -> SweepOutcome:
    """Fail the runs past their deadline, then queue again every event, run and chunk whose
    message looks lost (see the module's docstring). Stops at the first publish the broker
    refuses: the next sweep tries again."""
    from monitoring import tasks

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=sweep_after_seconds())
    stale = services.fail_stale_runs(now=now)
    work = [
        (
            "events_queued",
            tasks.deliver_event,
            Event.objects.filter(state=Event.State.PENDING, created_at__lt=cutoff)
            .order_by("created_at")
            .values_list("id", flat=True)[:SWEEP_BATCH],
        ),
        (
            "runs_queued",
            tasks.start_run,
            MonitoringRun.objects.filter(state=MonitoringRun.State.QUEUED, created_at__lt=cutoff)
            .order_by("created_at")
            .values_list("id", flat=True)[:SWEEP_BATCH],
        ),
        (
            "chunks_queued",
            tasks.assess_chunk,
            _stalled_chunk_ids(cutoff) + _orphaned_chunk_ids(now),
        ),
    ]
    counts = dict.fromkeys(("events_queued", "runs_queued", "chunks_queued"), 0)
    for field, task, ids in work:
        for row_id in ids:
            if not services.publish(task, row_id):
                logger.warning("Sweep stopped: the task queue is unavailable.")
                return SweepOutcome(stale_runs_failed=len(stale), broker_down=True, **counts)
            counts[field] += 1
    if any(counts.values()):
        logger.info("Sweep queued again: %s", counts)
    return SweepOutcome(stale_runs_failed=len(stale), **counts)
