"""A real `celery -A config worker` process, and a real `celery -A config beat`, the commands
docker-compose.yml runs, for the tests that need them (tests.support.service_process runs
them)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from tests.support.service_process import ServiceProcess


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


def beat_command(schedule_file: str) -> list[str]:
    """The beat command line, as docker-compose.yml runs it (with its schedule file elsewhere)."""
    celery = Path(sys.executable).with_name("celery")
    return [str(celery), "-A", "config", "beat", "--loglevel=INFO", "--schedule", schedule_file]


class CeleryWorker(ServiceProcess):
    """A worker subprocess: `with CeleryWorker(concurrency=2, env={...}) as worker: ...`; ready
    once it answers a ping over the broker. `stop()` is Celery's warm shutdown (it finishes the
    running task)."""

    name = "celery-worker"

    def __init__(self, *, concurrency: int = 1, env: dict[str, str] | None = None):
        self.concurrency = concurrency
        super().__init__(env=env)

    def command(self) -> list[str]:
        return worker_command(self.concurrency)

    def wait_ready(self, timeout: float) -> None:
        from config.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.exited_at_start():
                raise RuntimeError(f"The worker exited at start:\n{self.log_tail()}")
            if app.control.ping(timeout=0.5):
                return
        self.stop()
        raise RuntimeError(f"The worker was not ready within {timeout} s:\n{self.log_tail()}")


class CeleryBeat(ServiceProcess):
    """A beat subprocess, sending the schedule of config/settings.py (CELERY_BEAT_SCHEDULE) with
    the intervals its `env` sets. Ready once it has logged its start."""

    name = "celery-beat"

    def __init__(self, *, env: dict[str, str] | None = None):
        super().__init__(env=env)
        self.schedule = tempfile.NamedTemporaryFile(  # noqa: SIM115 — removed in stop()
            prefix="celerybeat-", delete=False
        )
        self.schedule.close()
        Path(self.schedule.name).unlink()  # beat creates its own shelve file

    def command(self) -> list[str]:
        return beat_command(self.schedule.name)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.exited_at_start():
                raise RuntimeError(f"Beat exited at start:\n{self.log_tail()}")
            if "beat: Starting" in Path(self.log.name).read_text(errors="replace"):
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Beat was not ready within {timeout} s:\n{self.log_tail()}")

    def stop(self, timeout: float = 20) -> None:
        super().stop(timeout)
        for path in Path(self.schedule.name).parent.glob(Path(self.schedule.name).name + "*"):
            path.unlink(missing_ok=True)
