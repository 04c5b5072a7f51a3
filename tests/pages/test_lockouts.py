"""The sign-in lockouts page (/accounts/lockouts/): managers see who is locked out and unlock them
with a POST; everyone else is refused (403) and nothing changes."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client

from partnership.models import AccountUnlock, Profile
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PAGE = "/accounts/lockouts/"
UNLOCK = "/accounts/lockouts/unlock/"
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
def manager(client):
    user = make_user(Profile.Role.MANAGER, username="maria")
    client.force_login(user)
    return user


def fail(username: str, times: int, address: str = ATTACKER) -> None:
    guesser = Client()
    for _ in range(times):
        guesser.post(LOGIN, {"username": username, "password": "wrong"}, REMOTE_ADDR=address)


def sign_in(username: str, address: str = ATTACKER) -> int:
    visitor = Client()
    response = visitor.post(
        LOGIN, {"username": username, "password": PASSWORD}, REMOTE_ADDR=address
    )
    return response.status_code


def test_a_manager_sees_the_locked_accounts_and_where_they_are_locked(
    client, manager, amina, django_assert_num_queries
):
    fail("amina", 5)
    fail("amina", 5, address=OTHER)
    fail("bruno", 3)  # failing, but not locked out yet
    # Queries: the session, its user, the manager's profile (permission check), the lockouts
    # grouped by account and address, the recent unlocks, the header's profile.
    with django_assert_num_queries(6):
        response = client.get(PAGE)
    assert response.status_code == 200
    lockouts = response.context["lockouts"]
    assert [lockout.username for lockout in lockouts] == ["amina"]
    assert [(a.ip_address, a.failures) for a in lockouts[0].addresses] == [
        (OTHER, 5),
        (ATTACKER, 5),
    ]
    assert lockouts[0].locked_until == START + dt.timedelta(minutes=15)
    body = response.content.decode()
    assert "After 5 failed sign-ins" in body and "for 15 minutes" in body
    assert 'name="username" value="amina"' in body
    assert "csrfmiddlewaretoken" in body
    assert "bruno" not in body


def test_the_query_count_does_not_grow_with_the_lockouts(
    client, manager, django_assert_num_queries
):
    for n in range(4):
        fail(f"user{n}", 5)
        fail(f"user{n}", 5, address=OTHER)
    with django_assert_num_queries(6):
        response = client.get(PAGE)
    assert len(response.context["lockouts"]) == 4


def test_a_lockout_that_has_cooled_off_is_no_longer_listed(client, manager, amina):
    fail("amina", 5)
    with time_machine.travel(START + dt.timedelta(minutes=16), tick=False):
        client.force_login(manager)
        response = client.get(PAGE)
    assert response.context["lockouts"] == []
    assert "No account is locked out." in response.content.decode()


def test_a_manager_unlocks_an_account_and_it_signs_in_at_once(client, manager, amina):
    fail("amina", 5)
    fail("amina", 5, address=OTHER)
    fail("bruno", 5)
    assert sign_in("amina") == 429

    response = client.post(UNLOCK, {"username": "amina"}, follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    body = response.content.decode()
    assert "amina is unlocked and can sign in again." in body
    assert [lockout.username for lockout in response.context["lockouts"]] == ["bruno"]
    record = AccountUnlock.objects.get()
    assert (record.username, record.unlocked_by, record.attempts_cleared) == ("amina", manager, 2)
    assert sorted(record.ip_addresses) == sorted([ATTACKER, OTHER])
    assert "Recent unlocks" in body and "maria" in body
    assert sign_in("amina") == 302
    assert sign_in("bruno") == 429  # someone else's lockout stays


def test_unlocking_an_account_that_is_not_locked_says_so_and_records_nothing(client, manager):
    response = client.post(UNLOCK, {"username": "nobody"}, follow=True)
    assert "nobody was not locked out (any more): nothing to unlock." in response.content.decode()
    assert not AccountUnlock.objects.exists()


def test_a_blank_username_is_refused_and_nothing_is_cleared(client, manager, amina):
    fail("amina", 5)
    response = client.post(UNLOCK, {"username": ""}, follow=True)
    assert "Say which account to unlock." in response.content.decode()
    assert AccessAttempt.objects.filter(username="amina").exists()


@pytest.mark.parametrize("role", [Profile.Role.VIEWER, Profile.Role.LIAISON_OFFICER])
def test_others_may_neither_see_nor_lift_lockouts(client, amina, role):
    fail("amina", 5)
    client.force_login(make_user(role, username="someone"))
    assert client.get(PAGE).status_code == 403
    response = client.post(UNLOCK, {"username": "amina"})
    assert response.status_code == 403
    assert "Only managers see and lift sign-in lockouts." in response.content.decode()
    assert sign_in("amina") == 429
    assert not AccountUnlock.objects.exists()


def test_an_administrator_may_unlock(client, amina):
    fail("amina", 5)
    client.force_login(make_user(username="root", is_superuser=True, is_staff=True))
    assert client.post(UNLOCK, {"username": "amina"}).status_code == 302
    assert sign_in("amina") == 302


def test_signed_out_visitors_are_sent_to_the_login_page(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_unlocking_takes_a_post_with_the_csrf_token(manager, amina):
    fail("amina", 5)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(manager)
    assert strict.get(UNLOCK).status_code == 405
    assert strict.post(UNLOCK, {"username": "amina"}).status_code == 403  # no CSRF token
    assert sign_in("amina") == 429
    page = strict.get(PAGE)
    token = page.context["csrf_token"]
    response = strict.post(UNLOCK, {"username": "amina", "csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302
    assert sign_in("amina") == 302


def test_managers_find_the_page_from_their_profile_and_others_do_not(client, manager):
    assert 'href="/accounts/lockouts/"' in client.get("/accounts/profile/").content.decode()
    client.force_login(make_user(Profile.Role.LIAISON_OFFICER, username="li"))
    assert 'href="/accounts/lockouts/"' not in client.get("/accounts/profile/").content.decode()


def test_the_lockout_page_tells_the_person_a_manager_can_unlock_them(amina):
    fail("amina", 5)
    response = Client().post(
        LOGIN, {"username": "amina", "password": PASSWORD}, REMOTE_ADDR=ATTACKER
    )
    assert response.status_code == 429
    body = response.content.decode()
    assert "ask a manager of the tracker to unlock your account" in body
    assert "do not extend the wait" in body
