"""API tokens (django-rest-knox): the database holds a digest, never the token; a token
authenticates until it is rotated away or expires; operators issue one with create_api_token."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from partnership.services import rotate_api_token
from tests.factories import make_user

URL = "/api/v1/organizations/"


def _get(token: str):
    return APIClient().get(URL, HTTP_AUTHORIZATION=f"Token {token}")


@pytest.fixture
def user(db):
    return make_user(username="rest-client")


def test_the_database_holds_a_digest_and_never_the_token(user):
    record, token = rotate_api_token(user=user)
    assert len(token) == 64
    assert record.digest == hash_token(token) != token
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM knox_authtoken")
        rows = cursor.fetchall()
    assert len(rows) == 1
    stored = " ".join(str(value) for value in rows[0])
    assert token not in stored
    # Only the lookup prefix is kept in the clear: a quarter of the token, not a credential.
    assert record.token_key == token[:15]


def test_the_plain_drf_token_table_is_gone(db):
    assert "authtoken_token" not in connection.introspection.table_names()


def test_a_token_authenticates(user):
    _, token = rotate_api_token(user=user)
    assert _get(token).status_code == 200


def test_a_wrong_token_with_the_right_prefix_does_not_authenticate(user):
    _, token = rotate_api_token(user=user)
    forged = token[:15] + ("0" if token[15] != "0" else "1") + token[16:]
    response = _get(forged)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_rotated_token_stops_working_at_once(user):
    _, old = rotate_api_token(user=user)
    _, new = rotate_api_token(user=user)
    assert _get(old).status_code == 401
    assert _get(new).status_code == 200
    assert AuthToken.objects.filter(user=user).count() == 1


def test_a_revoked_token_does_not_authenticate(user):
    _, token = rotate_api_token(user=user)
    AuthToken.objects.filter(user=user).delete()  # revoked (the admin, or the user deleted)
    assert _get(token).status_code == 401


def test_an_expired_token_does_not_authenticate_and_is_deleted(user, settings):
    record, token = rotate_api_token(user=user)
    assert record.expiry is not None  # API_TOKEN_TTL_DAYS (365 by default)
    with time_machine.travel(record.expiry - dt.timedelta(minutes=1)):
        assert _get(token).status_code == 200
    with time_machine.travel(record.expiry + dt.timedelta(minutes=1)):
        assert _get(token).status_code == 401
    assert not AuthToken.objects.filter(user=user).exists()


def test_a_token_of_an_inactive_user_does_not_authenticate(user):
    _, token = rotate_api_token(user=user)
    user.is_active = False
    user.save()
    assert _get(token).status_code == 401


def test_authenticating_costs_one_query(user, django_assert_num_queries):
    _, token = rotate_api_token(user=user)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    # 1 the token with its user (knox alone would also load the user's other tokens: see
    # partnership.authentication); 2 the organizations.
    with django_assert_num_queries(2):
        assert client.get(URL).status_code == 200


def test_create_api_token_prints_a_working_token_once(user):
    out = StringIO()
    call_command("create_api_token", "rest-client", stdout=out)
    line = out.getvalue().strip()
    assert line.startswith("Generated token ")
    token = line.split()[2]
    assert _get(token).status_code == 200
    expiry = AuthToken.objects.get(user=user).expiry
    assert expiry > timezone.now() + dt.timedelta(days=364)


def test_create_api_token_names_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("create_api_token", "nobody", stdout=StringIO())


@pytest.mark.django_db
def test_the_schema_describes_the_token_header(client):
    schemes = client.get("/api/schema/?format=json").json()["components"]["securitySchemes"]
    assert schemes["tokenAuth"]["type"] == "apiKey"
    assert schemes["tokenAuth"]["in"] == "header"
    assert schemes["tokenAuth"]["name"] == "Authorization"
