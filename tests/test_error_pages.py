"""The app's own 403, 404, 405 and 500 pages (issue 16), with DEBUG on (as under `make run`) and
off; Django's technical pages only for a developer who asks for them (DEBUG_TECHNICAL_PAGES).
Under /api/ the same errors stay JSON. Plus the favicon and the sign-out message."""

from unittest import mock

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from partnership.models import Profile
from tests.factories import make_user

pytestmark = pytest.mark.django_db

TECHNICAL = ("URLconf", "Traceback", "DEBUG = True")


@pytest.fixture(params=[True, False], ids=["debug-on", "debug-off"])
def debug(request, settings):
    settings.DEBUG = request.param
    settings.DEBUG_TECHNICAL_PAGES = False
    return request.param


@pytest.fixture
def signed_in(client):
    client.force_login(make_user(Profile.Role.VIEWER, username="reader"))
    client.raise_request_exception = False
    return client


def _is_app_page(response, heading: str) -> bool:
    html = response.content.decode()
    return f"<h1>{heading}</h1>" in html and not any(word in html for word in TECHNICAL)


def test_a_path_no_page_has_answers_the_apps_404(debug, signed_in):
    response = signed_in.get("/no-such-page/")
    assert response.status_code == 404
    assert _is_app_page(response, "Page not found")
    assert "<code>/no-such-page/</code>" in response.content.decode()


def test_a_record_that_does_not_exist_answers_the_apps_404(debug, signed_in):
    response = signed_in.get("/activities/999999/")
    assert response.status_code == 404
    assert _is_app_page(response, "Page not found")


def test_a_path_without_its_slash_is_still_redirected(debug, signed_in):
    response = signed_in.get("/activities")
    assert (response.status_code, response["Location"]) == (301, "/activities/")


def test_a_server_error_answers_the_apps_500_and_is_logged(debug, signed_in, caplog):
    with mock.patch(
        "activities.views.page_selectors.filter_choices", side_effect=RuntimeError("x")
    ):
        response = signed_in.get("/activities/")
    assert response.status_code == 500
    assert _is_app_page(response, "Something went wrong")
    assert any(r.levelname == "ERROR" and r.exc_info for r in caplog.records)


def test_a_get_of_a_post_only_page_answers_the_apps_405(debug, signed_in):
    response = signed_in.get("/approvals/1/approve/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert _is_app_page(response, "This address is for a form's button")
    assert "It answers POST, not GET" in response.content.decode()


def test_a_refusal_answers_the_apps_403(debug, signed_in):
    response = signed_in.get("/approvals/")
    assert response.status_code == 403
    assert _is_app_page(response, "You may not do this")


def test_errors_under_the_api_stay_json(debug, signed_in):
    for path in ("/api/v1/no-such-thing/", "/api/v1/activities/999999/"):
        response = signed_in.get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert set(response.json()) == {"detail"}


def test_a_developer_who_asks_gets_djangos_technical_pages(settings, signed_in):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_PAGES = True
    response = signed_in.get("/no-such-page/")
    assert response.status_code == 404
    assert "URLconf" in response.content.decode()


def test_the_favicon_is_served_to_anyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].startswith("/static/favicon")
    assert finders.find("favicon.ico") is not None
    html = Client().get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/favicon' in html


def test_signing_out_says_so(client):
    user = make_user(Profile.Role.VIEWER, username="leaving")
    client.force_login(user)
    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "You are signed out." in response.content.decode()
    assert client.get("/activities/").status_code == 302  # signed out indeed
