"""A real gunicorn serving the project (the command docker-compose.yml runs), for the tests that
need persistent database connections in a web process, as in production: Django's test client
and live server open and close their connections around each request."""

from __future__ import annotations

import sys
import time
import urllib.request
from pathlib import Path

from tests.support.service_process import ServiceProcess
from tests.trust.redis_server import free_port


class Gunicorn(ServiceProcess):
    """`with Gunicorn(env={...}) as web: web.url` — one sync worker on a free loopback port."""

    name = "gunicorn"

    def __init__(self, *, env: dict[str, str] | None = None):
        self.port = free_port()
        super().__init__(env=env)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        return [
            str(gunicorn),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "1",
        ]

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.exited_at_start():
                raise RuntimeError(f"gunicorn exited at start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn was not ready within {timeout} s:\n{self.log_tail()}")
