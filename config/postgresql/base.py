"""Django's PostgreSQL backend, health-checking a persistent connection at most once a second.

With CONN_HEALTH_CHECKS, Django sends `SELECT 1` before the first query of every request that
reuses a connection, so that a connection the server dropped (a restart, a failover, an idle
timeout) is replaced instead of failing the request. That is one more round trip on every
request: on the API's cached activity list, one of its two statements (docs/benchmarks.md).

Here a connection that passed a check, or was opened, less than `HEALTH_CHECK_INTERVAL` seconds
ago is not checked again: the check matters for a connection left idle, and one that served a
request a moment ago is checked again once the interval is over. What is given up: a request
that arrives within the interval after the server dropped the connection fails, as it would
with no health check, and the connection is then replaced (Django closes a connection that
raised an error when the request ends). Connection pools do the same (HikariCP skips its check
for a connection used in the last 500 ms).
"""

from __future__ import annotations

import time

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    HEALTH_CHECK_INTERVAL = 1.0  # seconds

    _known_good_at = float("-inf")  # monotonic time the connection last proved usable

    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and time.monotonic() - self._known_good_at < self.HEALTH_CHECK_INTERVAL
        ):
            return
        super().close_if_health_check_failed()  # checks, unless it was opened in this request
        if self.connection is not None:
            self._known_good_at = time.monotonic()
