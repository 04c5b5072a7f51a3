"""The PostgreSQL backend (config/postgresql) checks a persistent connection's health at most once
per HEALTH_CHECK_INTERVAL instead of before every request, and still replaces a connection the
server dropped while it sat idle.

Each test drives its own connection (outside the test's transaction) through request cycles the
way Django's request signals do: `close_if_unusable_or_obsolete()` at the start and end of a
request, queries in between. The server drops a connection for real (pg_terminate_backend).
"""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection, connections

from config.postgresql.base import DatabaseWrapper

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class Counting(DatabaseWrapper):
    """Counts the health checks (`is_usable` sends `SELECT 1` on the raw connection)."""

    checks = 0

    def is_usable(self) -> bool:
        self.checks += 1
        return super().is_usable()


@pytest.fixture
def own_connection():
    wrapper = Counting({**connection.settings_dict, "CONN_MAX_AGE": 600}, alias="health-check")
    yield wrapper
    wrapper.close()


def _request(wrapper: DatabaseWrapper) -> int:
    """One request: the signals' bookkeeping, then a query; returns the server process id."""
    wrapper.close_if_unusable_or_obsolete()  # request_started
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]
    finally:
        wrapper.close_if_unusable_or_obsolete()  # request_finished


def _drop(pid: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_settings_select_this_backend_with_health_checks_on():
    assert connection.settings_dict["ENGINE"] == "config.postgresql"
    assert isinstance(connections["default"], DatabaseWrapper)
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_requests_within_the_interval_reuse_the_connection_unchecked(own_connection):
    pid = _request(own_connection)  # connects: a new connection needs no check
    assert [_request(own_connection) for _ in range(5)] == [pid] * 5
    assert own_connection.checks == 0


def test_once_the_interval_is_over_the_next_request_checks_again(own_connection, monkeypatch):
    pid = _request(own_connection)
    monkeypatch.setattr(Counting, "HEALTH_CHECK_INTERVAL", 0.0)
    assert _request(own_connection) == pid
    assert _request(own_connection) == pid
    assert own_connection.checks == 2  # one per request: as Django's own backend does


def test_a_connection_dropped_while_idle_is_replaced_without_failing_the_request(
    own_connection, monkeypatch
):
    pid = _request(own_connection)
    _drop(pid)
    monkeypatch.setattr(Counting, "HEALTH_CHECK_INTERVAL", 0.0)  # it has been idle long enough
    replaced = _request(own_connection)
    assert replaced != pid
    assert own_connection.checks == 1


def test_within_the_interval_a_dropped_connection_fails_one_request_then_is_replaced(
    own_connection,
):
    """What the interval gives up, and no more: the request that meets the dropped connection
    fails, and Django closes the connection when that request ends."""
    pid = _request(own_connection)
    _drop(pid)
    with pytest.raises(OperationalError):
        _request(own_connection)
    assert own_connection.connection is None
    assert _request(own_connection) != pid
