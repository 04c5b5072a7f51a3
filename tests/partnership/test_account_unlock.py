"""partnership.services.unlock_account: a manager lifts an account's sign-in lockout at every
address; the count starts again from zero; who did it is recorded and logged."""

import datetime as dt
import logging

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from partnership.models import AccountUnlock, Profile
from partnership.services import unlock_account
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery"
ATTACKER = "203.0.113.7"
OTHER = "198.51.100.20"
START = dt.datetime(2016, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(START, tick=False):
        yield


@pytest.fixture
def amina():
    return make_user(Profile.Role.VIEWER, username="amina", password=PASSWORD)


@pytest.fixture
def manager():
    return make_user(Profile.Role.MANAGER, username="maria")


def attempt(username: str, password: str = "wrong", address: str = ATTACKER) -> int:
    response = Client().post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


def fail(username: str, times: int, address: str = ATTACKER) -> list[int]:
    return [attempt(username, address=address) for _ in range(times)]


def test_it_clears_the_account_at_every_address_and_records_who_did_it(amina, manager, caplog):
    fail("amina", 5)
    fail("amina", 5, address=OTHER)
    fail("bruno", 5)
    with caplog.at_level(logging.WARNING, logger="partnership.services"):
        record = unlock_account(username="amina", actor=manager)
    assert record == AccountUnlock.objects.get()
    assert record.username == "amina"
    assert record.unlocked_by == manager
    assert record.unlocked_at == START
    assert record.attempts_cleared == 2
    assert record.ip_addresses == sorted([ATTACKER, OTHER])
    assert not AccessAttempt.objects.filter(username="amina").exists()
    assert AccessAttempt.objects.filter(username="bruno").exists()
    assert attempt("amina", PASSWORD) == 302
    assert attempt("amina", PASSWORD, address=OTHER) == 302
    [line] = [r for r in caplog.records if r.name == "partnership.services"]
    assert line.levelno == logging.WARNING
    assert "'amina'" in line.getMessage() and "'maria'" in line.getMessage()


def test_after_an_unlock_the_count_starts_again_from_zero(amina, manager):
    fail("amina", 5)
    unlock_account(username="amina", actor=manager)
    assert fail("amina", 4) == [200] * 4
    assert fail("amina", 1) == [429]


@pytest.mark.parametrize("role", [Profile.Role.VIEWER, Profile.Role.LIAISON_OFFICER])
def test_only_managers_may_unlock(amina, role):
    fail("amina", 5)
    with pytest.raises(PermissionDenied):
        unlock_account(username="amina", actor=make_user(role))
    assert AccessAttempt.objects.filter(username="amina").exists()
    assert not AccountUnlock.objects.exists()


def test_a_blank_username_clears_nothing(amina, manager):
    # axes' reset() without a username would clear every account's attempts.
    fail("amina", 5)
    with pytest.raises(ValidationError):
        unlock_account(username="", actor=manager)
    assert AccessAttempt.objects.filter(username="amina").exists()


def test_an_account_that_is_not_locked_is_left_alone_and_nothing_is_recorded(manager):
    assert unlock_account(username="nobody", actor=manager) is None
    assert not AccountUnlock.objects.exists()


def test_the_admin_only_reads_attempts_and_unlocks(client, amina, manager):
    """Deleting attempts in axes' admin would unlock without a record: the admin only reads."""
    fail("amina", 5)
    unlock_account(username="amina", actor=manager)
    fail("amina", 5)
    client.force_login(make_user(username="root", is_staff=True, is_superuser=True))
    attempt_row = AccessAttempt.objects.get(username="amina")
    assert client.get("/admin/axes/accessattempt/").status_code == 200
    assert client.get(f"/admin/axes/accessattempt/{attempt_row.pk}/change/").status_code == 200
    assert client.post(f"/admin/axes/accessattempt/{attempt_row.pk}/delete/").status_code == 403
    assert client.get("/admin/partnership/accountunlock/").status_code == 200
    assert client.get("/admin/partnership/accountunlock/add/").status_code == 403
    record = AccountUnlock.objects.get()
    assert client.post(f"/admin/partnership/accountunlock/{record.pk}/delete/").status_code == 403
    assert AccessAttempt.objects.filter(username="amina").exists()
    assert AccountUnlock.objects.count() == 1
