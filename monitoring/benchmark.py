"""Tools of the monitoring benchmark (and of the tests that need a real worker).

- `CeleryWorker`: a real `celery -A config worker` process, the command docker-compose runs,
  started in its own process group so that stopping (or killing) it takes its pool with it.
- `assess_naively`: the baseline the engine is measured against — one activity at a time through
  the ORM, the way a first version would be written.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from activities.models import Activity, ProgressUpdate
from monitoring import rules
from monitoring.facts import (
    ActivityFacts,
    FundingFact,
    IndicatorFact,
    MeasurementFact,
    MilestoneFact,
    OverrideFact,
    UpdateFact,
)
from monitoring.models import Assessment
from monitoring.policy import Policy


def worker_command(concurrency: int) -> list[str]:
    """The worker command line, as docker-compose.yml runs it."""
    celery = Path(sys.executable).with_name("celery")
    return [
        str(celery),
        "-A",
        "config",
        "worker",
        "--loglevel=INFO",
        f"--concurrency={concurrency}",
    ]


class CeleryWorker:
    """A worker subprocess: `with CeleryWorker(concurrency=2, env={...}) as worker: ...`.

    `env` is added to this process's environment (the worker reads the same settings from it).
    The log goes to a temporary file, shown by `log_tail()` when something goes wrong.
    """

    def __init__(self, *, concurrency: int = 1, env: dict[str, str] | None = None):
        self.concurrency = concurrency
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 — closed in __exit__
            prefix="celery-worker-", suffix=".log", delete=False
        )

    def __enter__(self) -> CeleryWorker:
        self.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.stop()
        self.log.close()
        if exc_type is None:  # keep the log of a worker that went wrong
            Path(self.log.name).unlink(missing_ok=True)

    def start(self, ready_timeout: float = 60) -> None:
        self.process = subprocess.Popen(
            worker_command(self.concurrency),
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the pool goes with it
        )
        self.wait_ready(ready_timeout)

    def wait_ready(self, timeout: float) -> None:
        """Wait until the worker answers a ping over the broker."""
        from config.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The worker exited at start:\n{self.log_tail()}")
            if app.control.ping(timeout=0.5):
                return
        self.stop()
        raise RuntimeError(f"The worker was not ready within {timeout} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the worker and its pool at once, as a crashed machine would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self, timeout: float = 20) -> None:
        """Warm shutdown (finish the running task), then SIGKILL if it takes too long."""
        if self.process and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
            except ProcessLookupError:
                pass
        self.log.flush()

    def log_tail(self, lines: int = 40) -> str:
        self.log.flush()
        text = Path(self.log.name).read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def _facts_through_orm(activity: Activity) -> ActivityFacts:
    approved = activity.updates.filter(state=ProgressUpdate.State.APPROVED)
    return ActivityFacts(
        activity_id=activity.pk,
        code=activity.code,
        title=activity.title,
        lifecycle=activity.lifecycle,
        start_date=activity.start_date,
        end_date=activity.end_date,
        budget_required=activity.budget_required,
        milestones=tuple(
            MilestoneFact(m.title, m.due_date, m.completed_on, m.weight)
            for m in activity.milestones.all()
        ),
        indicators=tuple(
            IndicatorFact(
                name=i.name,
                unit=i.unit,
                baseline=i.baseline,
                baseline_date=i.baseline_date,
                target=i.target,
                target_date=i.target_date,
                direction=i.direction,
                measurements=tuple(
                    MeasurementFact(m.measured_on, m.value) for m in i.measurements.all()
                ),
            )
            for i in activity.indicators.all()
        ),
        approved_updates=tuple(
            UpdateFact(u.period_end, u.percent_complete, timezone.localdate(u.reviewed_at))
            for u in approved
        ),
        funding=tuple(FundingFact(f.amount, f.status, f.date) for f in activity.funding.all()),
        overrides=tuple(
            OverrideFact(o.status, o.reason, o.set_on, o.expires_on, o.set_by.username)
            for o in activity.status_overrides.all()
        ),
    )


def assess_naively(activity_ids: Iterable[int], *, as_of: date) -> int:
    """The baseline: for each activity, load it and its facts through the ORM, assess it, and
    write its assessment and current status with one statement each. Same results as the engine,
    a dozen queries per activity. Returns how many were assessed."""
    policy = Policy.from_settings()
    assessed = 0
    for activity_id in activity_ids:
        with transaction.atomic():
            activity = Activity.objects.get(pk=activity_id)
            result = rules.assess(_facts_through_orm(activity), as_of, policy)
            Assessment.objects.update_or_create(
                activity=activity,
                as_of=as_of,
                defaults={
                    "status": result.status,
                    "reasons": result.reasons_as_dicts(),
                    "expected_progress": result.expected_progress,
                    "reported_progress": result.reported_progress,
                    "funding_coverage": result.funding_coverage,
                    "overridden": result.overridden,
                },
            )
            Activity.objects.filter(
                Q(status_as_of__isnull=True) | Q(status_as_of__lte=as_of), pk=activity_id
            ).update(
                status=result.status, status_as_of=as_of, status_reasons=result.reasons_as_dicts()
            )
        assessed += 1
    return assessed
