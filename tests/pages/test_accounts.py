import pytest
from rest_framework.authtoken.models import Token

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

    client.post("/accounts/profile/token/")
    first = Token.objects.get(user=user).key
    assert first in client.get("/accounts/profile/").content.decode()

    client.post("/accounts/profile/token/")
    second = Token.objects.get(user=user).key
    assert second != first
    assert Token.objects.filter(user=user).count() == 1


def test_rotating_a_token_needs_a_post(client):
    client.force_login(make_user())
    assert client.get("/accounts/profile/token/").status_code == 405
