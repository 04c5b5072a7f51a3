"""A real `celery -A config worker` process, and a real `celery -A config beat`, the commands
docker-compose.yml runs, for the tests that need them (and the monitoring benchmark): each
started in its own process group, so that stopping or killing it takes its children with it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings


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

    def command(self) -> list[str]:
        return worker_command(self.concurrency)

    def start(self, ready_timeout: float = 60) -> None:
        self.process = subprocess.Popen(
            self.command(),
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


class CeleryBeat(CeleryWorker):
    """A beat subprocess, sending the schedule of config/settings.py (CELERY_BEAT_SCHEDULE) with
    the intervals its `env` sets. Ready once it has logged its start."""

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
            if self.process.poll() is not None:
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
