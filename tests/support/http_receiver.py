"""A real HTTP server on 127.0.0.1 for webhook tests: it answers the first `failures` requests
with 500 and accepts the rest (200), keeping every request it received, and dropping, as a
receiver should, a repeated event id."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    status: int

    def json(self) -> dict:
        return json.loads(self.body)


class HttpReceiver:
    def __init__(self, *, failures: int = 0, status: int = 500) -> None:
        self.failures = failures
        self.failure_status = status
        self.requests: list[Received] = []
        self.accepted_ids: list[str] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # http.server calls it by this name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    failing = len(receiver.requests) < receiver.failures
                    status = receiver.failure_status if failing else 200
                    receiver.requests.append(Received(dict(self.headers), body, status))
                    event_id = self.headers.get("X-Tracker-Event-Id", "")
                    if not failing and event_id not in receiver.accepted_ids:
                        receiver.accepted_ids.append(event_id)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):  # keep the test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/tracker"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
