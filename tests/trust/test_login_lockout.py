"""Login protection (django-axes): after 5 failed sign-ins for one username from one address,
that pair is locked out for 15 minutes, with a clear message, and the lockout is logged. Attempts
during the lockout, wrong password or right, do not extend it."""

import datetime as dt
import logging
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine

from partnership.models import Profile
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery"
ATTACKER = "203.0.113.7"
COLLEAGUE = "198.51.100.20"
START = dt.datetime(2016, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def amina():
    return make_user(Profile.Role.VIEWER, username="amina", password=PASSWORD)


def sign_in(client, username: str, password: str, address: str = ATTACKER):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, times: int, username: str = "amina", address: str = ATTACKER) -> list[int]:
    return [sign_in(client, username, "wrong", address).status_code for _ in range(times)]


def test_five_failures_lock_the_username_from_that_address_with_a_clear_message(
    client, amina, caplog
):
    with time_machine.travel(START, tick=False), caplog.at_level(logging.INFO):
        # The first four re-show the form; the fifth failure triggers the lockout.
        assert fail(client, 4) == [200] * 4
        locked = sign_in(client, "amina", "wrong")
        assert locked.status_code == 429
        # Now even the right password is refused, without being checked.
        again = sign_in(client, "amina", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    text = again.content.decode()
    assert "Too many failed sign-in attempts; try again in 15 minutes." in text
    lockout_logs = [r for r in caplog.records if "locking out" in r.getMessage().lower()]
    assert lockout_logs, [r.getMessage() for r in caplog.records]
    assert any("amina" in r.getMessage() and ATTACKER in r.getMessage() for r in lockout_logs)
    assert all(r.levelno >= logging.WARNING for r in lockout_logs)


def test_the_lockout_ends_after_the_cool_off(client, amina):
    with time_machine.travel(START, tick=False):
        fail(client, 5)
        assert sign_in(client, "amina", PASSWORD).status_code == 429
    with time_machine.travel(START + dt.timedelta(minutes=14), tick=False):
        assert sign_in(client, "amina", PASSWORD).status_code == 429
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        response = sign_in(client, "amina", PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(amina.pk)


def test_the_lockout_is_per_username_and_address_so_others_still_sign_in(client, amina):
    colleague = make_user(Profile.Role.VIEWER, username="bruno", password=PASSWORD)
    with time_machine.travel(START, tick=False):
        fail(client, 5)
        # Amina from her own machine: not locked out by someone guessing elsewhere.
        assert sign_in(client, "amina", PASSWORD, address=COLLEAGUE).status_code == 302
        client.logout()
        # Another user from the attacker's address: not locked out either.
        assert sign_in(client, "bruno", PASSWORD).status_code == 302
        assert client.session["_auth_user_id"] == str(colleague.pk)


def test_a_successful_sign_in_resets_the_count(client, amina):
    with time_machine.travel(START, tick=False):
        fail(client, 4)
        assert sign_in(client, "amina", PASSWORD).status_code == 302
        client.logout()
        assert fail(client, 4) == [200] * 4  # four more, not locked out yet
        assert sign_in(client, "amina", PASSWORD).status_code == 302


def test_the_limit_and_cool_off_come_from_the_environment():
    probe = (
        "from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds() // 60), "
        "s.AXES_LOCKOUT_PARAMETERS)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", probe],
        cwd=Path(__file__).resolve().parents[2],
        env={
            "PATH": "/usr/bin:/bin",
            "DEBUG": "1",
            "AXES_FAILURE_LIMIT": "3",
            "AXES_COOLOFF_MINUTES": "60",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "3 60 [['username', 'ip_address']]"


def test_attempts_during_the_lockout_do_not_extend_it(client, amina):
    """One attempt every few minutes, wrong or right, must not keep the account locked: the
    cool-off runs from the failure that caused the lockout."""
    with time_machine.travel(START, tick=False):
        fail(client, 5)
    for minutes, password in [(4, "wrong"), (8, PASSWORD), (12, "wrong"), (14, PASSWORD)]:
        with time_machine.travel(START + dt.timedelta(minutes=minutes), tick=False):
            assert sign_in(client, "amina", password).status_code == 429
    # 15 minutes after the fifth failure, one second past the cool-off, the right password works.
    with time_machine.travel(START + dt.timedelta(minutes=15, seconds=1), tick=False):
        response = sign_in(client, "amina", PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(amina.pk)


def test_after_the_cool_off_a_new_failure_starts_a_fresh_count(client, amina):
    with time_machine.travel(START, tick=False):
        fail(client, 5)
    with time_machine.travel(START + dt.timedelta(minutes=10), tick=False):
        fail(client, 3)  # refused during the lockout: not counted
    with time_machine.travel(START + dt.timedelta(minutes=16), tick=False):
        # The old failures have cooled off: one more wrong password re-shows the form.
        assert fail(client, 1) == [200]
        assert sign_in(client, "amina", PASSWORD).status_code == 302
