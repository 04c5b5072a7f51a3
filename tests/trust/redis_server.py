"""A Redis server of the test's own, on a free loopback port, that the test stops and restarts.

The machine's Redis (REDIS_URL) is shared with other test runs and is never touched: the Celery
app is pointed at this one for the duration of a test (`celery_broker_at`) and back afterwards.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import kombu.pools
import redis
from django.test import override_settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """`redis-server` as a subprocess: no persistence, loopback only."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1)

    def start(self, timeout: float = 10) -> None:
        binary = shutil.which("redis-server") or "redis-server"
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.client().ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server on port {self.port} did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def queued_messages(self, queue: str = "celery") -> int:
        """Every message waiting in the queue, whatever its priority: kombu keeps one list per
        priority step, the queue's own name for 0 (config.settings.FOLLOW_UP_PRIORITY)."""
        client = self.client()
        lists = [queue, *(f"{queue}\x06\x16{step}" for step in (3, 6, 9))]
        return sum(client.llen(name) for name in lists)


def _reset_broker_connections(app) -> None:
    """Drop the pooled broker connections, so the next publish connects to the new URL. kombu
    keeps its pools in a process-wide registry keyed by URL: clear that too, or the app would get
    the closed pool back."""
    kombu.pools.reset()
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@contextmanager
def celery_broker_at(url: str, *, eager: bool = False) -> Iterator[None]:
    """Point the Celery app (and settings.REDIS_URL, which /healthz reads) at `url`, tasks run in
    process or not; put everything back afterwards, pooled connections included (even an eager
    task acquires a producer from the pool, which would keep the URL for later tests)."""
    from config.celery import app

    conf = app.conf
    saved = conf.broker_url, conf.task_always_eager
    _reset_broker_connections(app)
    conf.broker_url, conf.task_always_eager = url, eager
    try:
        with override_settings(REDIS_URL=url):
            yield
    finally:
        _reset_broker_connections(app)
        conf.broker_url, conf.task_always_eager = saved
