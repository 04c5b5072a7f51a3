import pytest
from knox.crypto import hash_token
from knox.models import AuthToken

from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_pages_require_login_but_the_login_page_and_healthz_do_not(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_header_shows_the_users_organization_and_role(client):
    user = make_user(role="liaison_officer", username="li")
    client.force_login(user)
    body = client.get("/accounts/profile/").content.decode()
    assert "Liaison officer" in body
    assert user.profile.organization.acronym in body


def test_login_with_a_wrong_password_says_so_and_keeps_the_username(client):
    make_user(username="amina")
    response = client.post("/accounts/login/", {"username": "amina", "password": "nope"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "enter a correct username and password" in body
    assert 'value="amina"' in body


def test_a_user_can_create_see_and_rotate_their_api_token(client):
    user = make_user(username="rest")
    client.force_login(user)
    assert "You have no token yet" in client.get("/accounts/profile/").content.decode()

    response = client.post("/accounts/profile/token/")
    first = response.context["new_token"]
    assert first in response.content.decode()  # shown this once, in the answer to the POST
    assert "no-store" in response["Cache-Control"]
    stored = AuthToken.objects.get(user=user)
    assert stored.digest == hash_token(first)
    page = client.get("/accounts/profile/").content.decode()
    assert first not in page  # never again: only its first characters, to recognize it
    assert stored.token_key in page

    second = client.post("/accounts/profile/token/").context["new_token"]
    assert second != first
    assert list(AuthToken.objects.filter(user=user).values_list("digest", flat=True)) == [
        hash_token(second)
    ]


def test_rotating_a_token_needs_a_post(client):
    client.force_login(make_user())
    assert client.get("/accounts/profile/token/").status_code == 405
