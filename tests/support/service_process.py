"""A real server process for the tests (a Celery worker, beat, gunicorn): started with the
project's own command line in its own process group, so that stopping or killing it takes its
children with it, and logging to a temporary file that `log_tail()` shows when something goes
wrong. Subclasses say which command and when it is ready."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Self

from django.conf import settings


class ServiceProcess:
    """`with Subclass(env={...}) as service: ...` — `env` is added to this process's environment
    (the service reads the same settings from it)."""

    name = "service"

    def __init__(self, *, env: dict[str, str] | None = None):
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 — closed in __exit__
            prefix=f"{self.name}-", suffix=".log", delete=False
        )

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.stop()
        self.log.close()
        if exc_type is None:  # keep the log of a service that went wrong
            Path(self.log.name).unlink(missing_ok=True)

    def command(self) -> list[str]:
        raise NotImplementedError

    def wait_ready(self, timeout: float) -> None:
        raise NotImplementedError

    def start(self, ready_timeout: float = 60) -> None:
        self.process = subprocess.Popen(
            self.command(),
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: its children go with it
        )
        self.wait_ready(ready_timeout)

    def exited_at_start(self) -> bool:
        return self.process.poll() is not None

    def kill(self) -> None:
        """SIGKILL the process and its children at once, as a crashed machine would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self, timeout: float = 20) -> None:
        """Graceful shutdown (SIGTERM), then SIGKILL if it takes too long."""
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
