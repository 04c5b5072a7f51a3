"""Writes of the monitoring app: runs and their chunks, and manual status overrides.

A run moves queued → running → finished | failed. `split_run` fixes the activities of each chunk;
`process_chunk` assesses one chunk and, in the same transaction, marks it done and — under a lock
on the run row, so two workers finishing the last two chunks cannot both miss it — finishes the
run when it was the last one. Every step is safe to repeat: a chunk already done is skipped, so a
redelivered task changes nothing.

A run is recorded before any message is sent, so a lost message loses nothing: the sweeper
(`monitoring.follow_up`) queues again a run, or a chunk, whose message looks lost. A person who
asks for a run (the page, the API, the command) is told at once when the broker is down (503);
a run set off by a change or the schedule is recorded regardless and queued once it is back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from activities.models import Event
from activities.services import (
    KeyedEvent,
    announce_facts_changed,
    record_event,
    record_keyed_events,
)
from monitoring import engine, rules, selectors
from monitoring.exceptions import BrokerUnavailable
from monitoring.models import COUNT_FIELDS, MonitoringChunk, MonitoringRun, StatusOverride

logger = logging.getLogger(__name__)

# A chunk started this many times is failed rather than tried forever: more than a task's own
# tries (1 + 5 retries), so this only stops a chunk whose worker keeps dying under it (killed at
# the hard time limit, out of memory) and is redelivered again and again.
MAX_CHUNK_ATTEMPTS = 10


def chunk_size() -> int:
    return max(1, int(settings.MONITORING.get("CHUNK_SIZE", 500)))


def run_deadline_seconds() -> int:
    # The backstop for a run that cannot progress at all (a chunk failing on every worker):
    # lost messages are queued again by the sweeper within a minute or two, far sooner.
    return int(settings.MONITORING.get("RUN_DEADLINE_SECONDS", 7200))


def chunk_time_limit() -> int:
    """The chunk task's hard time limit in seconds, and so the lease of a running chunk: past it,
    the worker that claimed the chunk is dead (or was killed at the limit), and the sweeper
    hands the chunk to another."""
    return int(settings.MONITORING.get("CHUNK_TIME_LIMIT", 60))


def lease_expired(chunk: MonitoringChunk, now: datetime) -> bool:
    return chunk.started_at is None or chunk.started_at < now - timedelta(
        seconds=chunk_time_limit()
    )


def describe_error(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 2000 else text[:1997] + "..."


# What publishing raises when Redis is down or unreachable (kombu wraps the redis client's
# errors in its OperationalError; a connect timeout surfaces as an OSError).
BROKER_ERRORS = (KombuOperationalError, OSError)
# Total seconds the broker check may spend connecting: a request must not hang on a dead broker.
BROKER_CHECK_TIMEOUT = 3


def _celery_app():
    from monitoring import tasks  # tasks import this module

    return tasks.start_run.app


def broker_in_use() -> bool:
    """False in the embedded default (and in tests run in process): tasks run eagerly."""
    return not _celery_app().conf.task_always_eager


def ensure_broker_available() -> None:
    """Raise BrokerUnavailable unless the broker answers now: one connection attempt, no retry,
    bounded by BROKER_CHECK_TIMEOUT. Checked before a run is recorded, so that with Redis down a
    request records nothing at all."""
    if not broker_in_use():
        return
    try:
        with _celery_app().connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=BROKER_CHECK_TIMEOUT)
    except BROKER_ERRORS as exc:
        logger.warning("The task queue is unavailable: %s", exc)
        raise BrokerUnavailable() from exc


def publish(task, *args: int | list[int]) -> bool:
    """Queue `task(*args)`, best effort, with no retry: True once the broker took the message,
    False (logged) when it is down. For work already recorded in the database, which the sweeper
    queues again; a request never waits on a dead broker for it."""
    if not broker_in_use():
        task.delay(*args)
        return True
    try:
        task.apply_async(args=args, retry=False)
    except BROKER_ERRORS as exc:
        logger.warning("%s%s not queued, left to the sweeper: %s", task.name, args, exc)
        return False
    return True


def _enqueue_start(run_id: int) -> None:
    """Publish the start of a run a person is waiting for (after commit). Should the broker have
    gone away since the check, the run is failed with the reason rather than left queued, and
    the caller hears BrokerUnavailable: the person asks again, rather than wondering."""
    from monitoring import tasks

    if not broker_in_use():
        tasks.start_run.delay(run_id)
        return
    try:
        tasks.start_run.apply_async(args=(run_id,), retry=False)
    except BROKER_ERRORS as exc:
        logger.warning("Monitoring run %s could not be queued: %s", run_id, exc)
        fail_run(run_id=run_id, error=f"Not queued: the task queue was unavailable ({exc}).")
        raise BrokerUnavailable() from exc


def _publish_start(run_id: int) -> None:
    from monitoring import tasks

    publish(tasks.start_run, run_id)


# --- Requesting runs ------------------------------------------------------------------------------

# A person waits on these runs' answer: with the broker down they hear 503 and nothing is recorded.
PERSON_TRIGGERS = (MonitoringRun.Trigger.MANUAL, MonitoringRun.Trigger.API)


def _create_chunks(run: MonitoringRun, activity_ids: Sequence[int], size: int) -> None:
    ids = list(activity_ids)
    chunks = [
        MonitoringChunk(run=run, index=index, activity_ids=ids[start : start + size])
        for index, start in enumerate(range(0, len(ids), size))
    ]
    MonitoringChunk.objects.bulk_create(chunks)
    run.chunks_total = len(chunks)


@transaction.atomic
def request_run(
    *,
    as_of: date,
    trigger: str,
    plan_id: int | None = None,
    requested_by: AbstractBaseUser | None = None,
    activity_ids: Sequence[int] | None = None,
    note: str = "",
    enqueue: bool = True,
) -> MonitoringRun:
    """Record a run and (after commit) queue the task that splits it into chunks.

    `plan_id` None means every plan monitored on `as_of`; `activity_ids` fixes the activities
    now (a change-triggered re-assessment of a few of the plan's activities). `enqueue=False` leaves
    the run for `execute_run` to carry out in this process.

    A person's run (PERSON_TRIGGERS) raises BrokerUnavailable, and records nothing, when the
    broker does not answer; a change or scheduled run is recorded regardless and left to the
    sweeper should its start not be queued.

    A date outside the plan's period (for every plan: outside every monitored plan's) is refused
    with ValidationError on `as_of`, whoever asks (`selectors.run_date_problem`): checked before
    the broker, since no retry will make that date right.
    """
    problem = selectors.run_date_problem(plan_id=plan_id, as_of=as_of)
    if problem is not None:
        raise ValidationError({"as_of": problem})
    person_waiting = enqueue and trigger in PERSON_TRIGGERS
    if person_waiting:
        ensure_broker_available()
    now = timezone.now()
    run = MonitoringRun(
        plan_id=plan_id,
        as_of=as_of,
        trigger=trigger,
        requested_by=requested_by,
        note=note[:200],
        deadline=now + timedelta(seconds=run_deadline_seconds()),
    )
    run.full_clean()
    run.save()
    if activity_ids is not None:
        _create_chunks(run, sorted({int(i) for i in activity_ids}), chunk_size())
        run.save(update_fields=["chunks_total"])
    if enqueue:
        transaction.on_commit(partial(_enqueue_start if person_waiting else _publish_start, run.pk))
    return run


def request_reassessment(*, activity_ids: Sequence[int], reason: str = "") -> list[MonitoringRun]:
    """Re-assess these activities because their facts changed: one run per plan they belong to,
    so that every run records its plan, on a date inside the plan's period
    (`selectors.reassessment_dates`). A plan with no such date is left to its next run."""
    by_plan = selectors.activity_ids_by_plan(activity_ids)
    dates = selectors.reassessment_dates(plan_ids=list(by_plan), today=timezone.localdate())
    runs = []
    for plan_id, ids in by_plan.items():
        as_of = dates.get(plan_id)
        if as_of is None:
            logger.info("Plan %s has no date inside its period to re-assess on.", plan_id)
            continue
        runs.append(
            request_run(
                plan_id=plan_id,
                as_of=as_of,
                trigger=MonitoringRun.Trigger.CHANGE,
                activity_ids=ids,
                note=reason or "facts changed",
            )
        )
    return runs


def start_daily_runs(*, today: date | None = None) -> list[MonitoringRun]:
    """One scheduled run as of today for each adopted plan whose period includes today, unless
    one is already there (beat may fire twice; a failed one is replaced)."""
    today = today or timezone.localdate()
    plans = list(selectors.plans_due_for_daily_run(today))
    already = set(
        MonitoringRun.objects.filter(
            plan__in=plans, as_of=today, trigger=MonitoringRun.Trigger.SCHEDULE
        )
        .exclude(state=MonitoringRun.State.FAILED)
        .values_list("plan_id", flat=True)
    )
    return [
        request_run(plan_id=plan.pk, as_of=today, trigger=MonitoringRun.Trigger.SCHEDULE)
        for plan in plans
        if plan.pk not in already
    ]


# --- Carrying runs out ----------------------------------------------------------------------------


def _roll_up(run: MonitoringRun) -> None:
    """The run's last step: the results chain of its plan (of every plan monitored on its date,
    for a run of all plans) rolled up from the assessments just written."""
    if run.plan_id is not None:
        plan_ids = [run.plan_id]
    else:
        plan_ids = list(selectors.plans_monitored_on(run.as_of).values_list("id", flat=True))
    for plan_id in plan_ids:
        engine.roll_up_plan(plan_id=plan_id, as_of=run.as_of, run_id=run.pk)


def _finish(run: MonitoringRun, now: datetime) -> None:
    _roll_up(run)
    totals = run.chunks.filter(state=MonitoringChunk.State.DONE).aggregate(
        **{column: Sum(column) for column in COUNT_FIELDS.values()}
    )
    run.set_counts({status: totals[column] or 0 for status, column in COUNT_FIELDS.items()})
    run.chunks_done = run.chunks_total
    run.state = MonitoringRun.State.FINISHED
    run.finished_at = now
    run.duration = now - (run.started_at or run.created_at)
    run.error = ""
    run.save()


def _fail(run: MonitoringRun, error: str, now: datetime) -> None:
    run.state = MonitoringRun.State.FAILED
    run.error = error or "failed"
    run.finished_at = now
    run.duration = now - (run.started_at or run.created_at)
    run.save()
    logger.warning("Monitoring run %s failed: %s", run.pk, run.error)


@transaction.atomic
def split_run(*, run_id: int) -> list[int]:
    """Start a queued run: fix its chunks (unless already fixed) and return the ids of the chunks
    to do. A start delivered twice (the sweeper's, say) returns nothing the second time: the run
    is running, and its chunks are the sweeper's to queue again should theirs be lost."""
    run = MonitoringRun.objects.select_for_update().get(pk=run_id)
    if run.state != MonitoringRun.State.QUEUED:
        return []
    now = timezone.now()
    if not run.chunks.exists():
        ids = selectors.activity_ids_in_scope(plan_id=run.plan_id, as_of=run.as_of)
        _create_chunks(run, ids, chunk_size())
    run.state = MonitoringRun.State.RUNNING
    run.started_at = now
    run.deadline = now + timedelta(seconds=run_deadline_seconds())
    run.save()
    pending = list(
        run.chunks.exclude(state=MonitoringChunk.State.DONE)
        .order_by("index")
        .values_list("id", flat=True)
    )
    if not pending:
        _finish(run, now)
    return pending


def _claim(chunk_id: int) -> tuple[MonitoringChunk, MonitoringRun] | None:
    """Mark the chunk running (committed at once, so its attempts survive a dying worker), or
    None when there is nothing to do: done, its run not running, or running under a worker whose
    lease has not expired."""
    with transaction.atomic():
        chunk = MonitoringChunk.objects.select_for_update().filter(pk=chunk_id).first()
        if chunk is None:
            logger.info("Monitoring chunk %s no longer exists; nothing to do.", chunk_id)
            return None
        run = MonitoringRun.objects.get(pk=chunk.run_id)
        if chunk.state == MonitoringChunk.State.DONE or run.state != MonitoringRun.State.RUNNING:
            return None
        if chunk.state == MonitoringChunk.State.RUNNING and not lease_expired(
            chunk, timezone.now()
        ):
            return None
        gave_up = chunk.attempts >= MAX_CHUNK_ATTEMPTS
        if not gave_up:
            chunk.state = MonitoringChunk.State.RUNNING
            chunk.attempts += 1
            chunk.started_at = timezone.now()
            chunk.error = ""
            chunk.save(update_fields=["state", "attempts", "started_at", "error"])
    if gave_up:
        error = f"gave up after {chunk.attempts} attempts (its worker kept dying)"
        fail_chunk(chunk_id=chunk_id, error=error)
        return None
    return chunk, run


def process_chunk(*, chunk_id: int) -> bool:
    """Assess one chunk, mark it done and finish the run if it was the last one. Returns whether
    this call did the work (False: already done, run no longer running, or chunk gone)."""
    claimed = _claim(chunk_id)
    if claimed is None:
        return False
    chunk, run = claimed
    try:
        return _assess_claimed(chunk, run)
    except Exception:
        _release(chunk_id)
        raise


def _release(chunk_id: int) -> None:
    """Hand a chunk whose assessment raised back to the queue at once, so the task's retry can
    claim it (a database that is down keeps it claimed: the sweeper takes it after its lease)."""
    try:
        MonitoringChunk.objects.filter(pk=chunk_id, state=MonitoringChunk.State.RUNNING).update(
            state=MonitoringChunk.State.QUEUED
        )
    except Exception:
        logger.exception("Could not release monitoring chunk %s", chunk_id)


def _assess_claimed(chunk: MonitoringChunk, run: MonitoringRun) -> bool:
    chunk_id = chunk.pk
    with transaction.atomic():
        outcome = engine.assess_activities(chunk.activity_ids, as_of=run.as_of, run_id=run.pk)
        # Lock order everywhere: run, then chunk.
        run = MonitoringRun.objects.select_for_update().get(pk=run.pk)
        chunk = MonitoringChunk.objects.select_for_update().get(pk=chunk_id)
        if chunk.state == MonitoringChunk.State.DONE:
            return False  # a duplicate delivery finished it first; it wrote the same rows
        now = timezone.now()
        chunk.set_counts(outcome.counts)
        chunk.state = MonitoringChunk.State.DONE
        chunk.finished_at = now
        chunk.save()
        if run.state == MonitoringRun.State.RUNNING:
            run.chunks_done = run.chunks.filter(state=MonitoringChunk.State.DONE).count()
            if run.chunks_done >= run.chunks_total:
                _finish(run, now)
            else:
                run.save(update_fields=["chunks_done"])
    return True


@transaction.atomic
def fail_chunk(*, chunk_id: int, error: str) -> None:
    """A chunk failed for good: record its error and fail its run with it."""
    run_id = MonitoringChunk.objects.filter(pk=chunk_id).values_list("run_id", flat=True).first()
    if run_id is None:
        return
    run = MonitoringRun.objects.select_for_update().get(pk=run_id)
    chunk = MonitoringChunk.objects.select_for_update().get(pk=chunk_id)
    if chunk.state == MonitoringChunk.State.DONE:
        return
    now = timezone.now()
    chunk.state = MonitoringChunk.State.FAILED
    chunk.error = error
    chunk.finished_at = now
    chunk.save(update_fields=["state", "error", "finished_at"])
    if run.is_open:
        _fail(
            run,
            f"Chunk {chunk.index} (activities {chunk.id_range}) failed: {error}",
            now,
        )


@transaction.atomic
def fail_run(*, run_id: int, error: str) -> None:
    run = MonitoringRun.objects.select_for_update().filter(pk=run_id).first()
    if run is not None and run.is_open:
        _fail(run, error, timezone.now())


@transaction.atomic
def fail_stale_runs(*, now: datetime | None = None) -> list[int]:
    """Fail every queued or running run past its deadline, so none stays open forever (a lost
    start message, every worker gone). Returns their ids."""
    now = now or timezone.now()
    stale = list(
        MonitoringRun.objects.select_for_update(skip_locked=True)
        .filter(state__in=MonitoringRun.OPEN_STATES, deadline__lt=now)
        .order_by("id")
    )
    for run in stale:
        _fail(
            run,
            f"Stale: still {run.state} at its deadline {run.deadline:%Y-%m-%d %H:%M:%S %Z} "
            f"with {run.chunks_done} of {run.chunks_total} chunks done.",
            now,
        )
    return [run.pk for run in stale]


@transaction.atomic
def retry_run(*, run_id: int, enqueue: bool = True) -> MonitoringRun:
    """Queue a failed run again; only its chunks not done are redone."""
    run = MonitoringRun.objects.select_for_update().get(pk=run_id)
    if run.state != MonitoringRun.State.FAILED:
        raise ValidationError(f"Only a failed run can be retried; run {run.pk} is {run.state}.")
    if enqueue:
        ensure_broker_available()
    run.chunks.exclude(state=MonitoringChunk.State.DONE).update(
        state=MonitoringChunk.State.QUEUED, error="", attempts=0, started_at=None, finished_at=None
    )
    run.state = MonitoringRun.State.QUEUED
    run.error = ""
    run.started_at = None
    run.finished_at = None
    run.duration = None
    run.deadline = timezone.now() + timedelta(seconds=run_deadline_seconds())
    run.save()
    if enqueue:
        transaction.on_commit(partial(_enqueue_start, run.pk))
    return run


def execute_run(
    *, run_id: int, on_progress: Callable[[int, int], None] | None = None
) -> MonitoringRun:
    """Carry a run out in this process, chunk after chunk (the synchronous command). A chunk that
    raises fails the run with its error, as it would in a worker."""
    pending = split_run(run_id=run_id)
    total = MonitoringRun.objects.values_list("chunks_total", flat=True).get(pk=run_id)
    done = total - len(pending)
    if on_progress:
        on_progress(done, total)
    for chunk_id in pending:
        try:
            process_chunk(chunk_id=chunk_id)
        except Exception as exc:  # recorded on the run, which is what the caller reads
            logger.exception("Monitoring chunk %s failed", chunk_id)
            fail_chunk(chunk_id=chunk_id, error=describe_error(exc))
            break
        done += 1
        if on_progress:
            on_progress(done, total)
    return MonitoringRun.objects.select_related("plan").get(pk=run_id)


# --- Overrides ------------------------------------------------------------------------------------


@transaction.atomic
def set_status_override(
    *,
    activity_id: int,
    status: str,
    reason: str,
    set_by: AbstractBaseUser,
    set_on: date | None = None,
    expires_on: date | None = None,
) -> StatusOverride:
    """A manager sets an activity's status by hand, with a reason, until `expires_on` (the first
    day it no longer applies). The activity is re-assessed once this commits."""
    set_on = set_on or timezone.localdate()
    problems = rules.override_problems({"expires_on": expires_on}, set_on=set_on)
    if problems:
        raise ValidationError(problems)
    override = StatusOverride(
        activity_id=activity_id,
        status=status,
        reason=reason.strip(),
        set_by=set_by,
        set_on=set_on,
        expires_on=expires_on,
    )
    override.full_clean()
    # The audit trail names the manager even outside a request (commands, tasks, shell).
    override._history_user = set_by
    override.save()
    announce_facts_changed([activity_id], reason="status override set")
    record_event(
        kind=Event.Kind.OVERRIDE_SET,
        activity_ids=[activity_id],
        actor=set_by,
        payload={"override_id": override.pk, "status": status, "expires_on": _iso(expires_on)},
        note=override.reason,
    )
    return override


# An override that expired longer ago than this is not news any more (beat down for days still
# tells everyone; a 2016 override in 2026 tells no one).
EXPIRY_LOOKBACK_DAYS = 7


def record_expired_overrides(*, today: date | None = None) -> list[int]:
    """Beat: an `override_expired` event for each override whose expiry day (the first day it no
    longer applies) came in the last week, once per override and day (keyed). One query, two
    more when something expired."""
    today = today or timezone.localdate()
    expired = (
        StatusOverride.objects.filter(
            expires_on__lte=today, expires_on__gt=today - timedelta(days=EXPIRY_LOOKBACK_DAYS)
        )
        .exclude(expires_on=F("set_on"))  # withdrawn the day it was set: it never applied
        .order_by("expires_on", "id")
    )
    return record_keyed_events(
        [
            KeyedEvent(
                kind=Event.Kind.OVERRIDE_EXPIRED,
                activity_id=override.activity_id,
                key=f"override_expired:{override.pk}:{override.expires_on.isoformat()}",
                payload={
                    "override_id": override.pk,
                    "status": override.status,
                    "expires_on": override.expires_on.isoformat(),
                },
            )
            for override in expired
        ]
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@transaction.atomic
def end_status_override(*, override_id: int, ended_on: date | None = None) -> StatusOverride:
    """Stop an override from `ended_on` (today by default); re-assessed once this commits."""
    override = StatusOverride.objects.select_for_update().get(pk=override_id)
    ended_on = max(ended_on or timezone.localdate(), override.set_on)
    if override.expires_on is None or ended_on < override.expires_on:
        override.expires_on = ended_on
        override.full_clean()
        override.save(update_fields=["expires_on"])
        announce_facts_changed([override.activity_id], reason="status override ended")
    return override
