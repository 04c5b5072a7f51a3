"""The client's address, for the sign-in lockout and the API throttles, is taken as
TRUSTED_PROXY_COUNT says: with 0 proxies (the default) the connection's address, X-Forwarded-For
ignored (a client can write anything there); behind one proxy, the address that proxy appended."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import RequestFactory, override_settings
from rest_framework.throttling import BaseThrottle

from partnership.access import client_address
from partnership.models import Profile
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "correct-horse-battery"
ATTACKER = "203.0.113.7"
COLLEAGUE = "198.51.100.20"
PROXY = "10.0.0.2"
START = dt.datetime(2016, 6, 1, 9, 0, tzinfo=dt.UTC)


def one_proxy():
    """TRUSTED_PROXY_COUNT=1 as the settings module derives it: the lockout's count and DRF's."""
    return override_settings(
        TRUSTED_PROXY_COUNT=1, REST_FRAMEWORK={**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    )


@pytest.fixture
def amina():
    return make_user(Profile.Role.VIEWER, username="amina", password=PASSWORD)


def sign_in(client, password: str, remote_addr: str, forwarded_for: str | None = None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(LOGIN, {"username": "amina", "password": password}, **headers)


def locked_addresses() -> set[str]:
    return set(AccessAttempt.objects.values_list("ip_address", flat=True))


# --- no proxy (the default) -----------------------------------------------------------------------


def test_by_default_a_forged_x_forwarded_for_does_not_spread_the_failures(client, amina):
    with time_machine.travel(START, tick=False):
        codes = [
            sign_in(client, "wrong", ATTACKER, forwarded_for=f"192.0.2.{n}").status_code
            for n in range(5)
        ]
        assert codes == [200] * 4 + [429]
        # Claiming to be someone else does not get the attacker past the lockout.
        assert sign_in(client, PASSWORD, ATTACKER, forwarded_for=COLLEAGUE).status_code == 429
    assert locked_addresses() == {ATTACKER}


def test_by_default_a_forged_x_forwarded_for_cannot_lock_out_another_address(client, amina):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            sign_in(client, "wrong", ATTACKER, forwarded_for=COLLEAGUE)
        # Amina at her own address is not locked out: the failures were the attacker's.
        response = sign_in(client, PASSWORD, COLLEAGUE)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(amina.pk)


def test_the_same_user_at_a_different_address_is_not_locked(client, amina):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            sign_in(client, "wrong", ATTACKER)
        assert sign_in(client, PASSWORD, ATTACKER).status_code == 429
        assert sign_in(client, PASSWORD, COLLEAGUE).status_code == 302


# --- behind one proxy -----------------------------------------------------------------------------


def test_behind_one_proxy_the_address_it_appended_is_the_client(client, amina):
    with one_proxy(), time_machine.travel(START, tick=False):
        # Every request arrives from the proxy; the attacker also forges a left-hand entry.
        for n in range(5):
            sign_in(client, "wrong", PROXY, forwarded_for=f"192.0.2.{n}, {ATTACKER}")
        assert locked_addresses() == {ATTACKER}
        assert sign_in(client, PASSWORD, PROXY, forwarded_for=ATTACKER).status_code == 429
        # Amina behind the same proxy, from her own machine, signs in.
        response = sign_in(client, PASSWORD, PROXY, forwarded_for=COLLEAGUE)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(amina.pk)


def test_behind_one_proxy_forging_a_left_hand_entry_does_not_escape_the_lockout(client, amina):
    with one_proxy(), time_machine.travel(START, tick=False):
        for _ in range(5):
            sign_in(client, "wrong", PROXY, forwarded_for=ATTACKER)
        forged = f"{COLLEAGUE}, {ATTACKER}"  # the proxy appended the attacker's real address
        assert sign_in(client, PASSWORD, PROXY, forwarded_for=forged).status_code == 429


def test_behind_one_proxy_a_request_without_the_header_is_the_connections(client, amina):
    with one_proxy(), time_machine.travel(START, tick=False):
        for _ in range(5):
            sign_in(client, "wrong", ATTACKER)
        assert locked_addresses() == {ATTACKER}


# --- one rule for the lockout and the API throttle ------------------------------------------------


@pytest.mark.parametrize(
    "forwarded_for",
    [None, ATTACKER, f"{COLLEAGUE}, {ATTACKER}", f"{COLLEAGUE},{ATTACKER}, {PROXY}"],
)
@pytest.mark.parametrize("proxies", [0, 1, 2])
def test_the_lockout_and_the_api_throttle_see_the_same_client(proxies, forwarded_for):
    extra = {"REMOTE_ADDR": PROXY}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    request = RequestFactory().post(LOGIN, **extra)
    rest = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    with override_settings(TRUSTED_PROXY_COUNT=proxies, REST_FRAMEWORK=rest):
        assert client_address(request) == BaseThrottle().get_ident(request)


def test_an_entry_that_is_not_an_address_falls_back_to_the_connection():
    request = RequestFactory().post(LOGIN, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="unknown")
    with one_proxy():
        assert client_address(request) == PROXY


def test_the_proxy_count_comes_from_the_environment():
    probe = (
        "from django.conf import settings as s; "
        "print(s.TRUSTED_PROXY_COUNT, s.REST_FRAMEWORK['NUM_PROXIES'], s.AXES_CLIENT_IP_CALLABLE)"
    )

    def run(**extra_env):
        return subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", probe],
            cwd=Path(__file__).resolve().parents[2],
            env={"PATH": "/usr/bin:/bin", "DEBUG": "1", **extra_env},
            capture_output=True,
            text=True,
            timeout=120,
        )

    default, behind_nginx = run(), run(TRUSTED_PROXY_COUNT="1")
    assert default.returncode == 0, default.stderr
    assert default.stdout.strip().splitlines()[-1] == "0 0 partnership.access.client_address"
    assert behind_nginx.stdout.strip().splitlines()[-1] == "1 1 partnership.access.client_address"
    refused = run(TRUSTED_PROXY_COUNT="-1")
    assert refused.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be 0 or more" in refused.stderr
