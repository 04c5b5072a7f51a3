"""Every error under /api/ is JSON, whoever answers it (DRF's views, or Django's handlers for
paths that match nothing and for server errors); the site's pages keep their HTML error pages."""

from unittest import mock

import pytest
from django.test import Client, override_settings

from partnership.api.views import OrganizationListView
from tests.api.conftest import API, client_for


def _is_json(response) -> bool:
    return response["Content-Type"].startswith("application/json")


def test_an_unknown_api_path_is_a_json_404(world, as_viewer):
    response = as_viewer.get(f"{API}/nonexistent/")
    assert response.status_code == 404
    assert _is_json(response)
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_an_unknown_api_path_is_json_for_anonymous_clients_too(client):
    for path in (f"{API}/nonexistent/", f"{API}/activities/not-a-number/", "/api/nothing"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert _is_json(response), path


def test_a_method_the_endpoint_does_not_have_is_a_json_405(world, as_manager):
    response = as_manager.delete(f"{API}/organizations/")
    assert response.status_code == 405
    assert _is_json(response)
    assert "detail" in response.json()
    assert "GET" in response["Allow"]


@override_settings(DEBUG=False)
def test_a_server_error_under_the_api_is_json_without_a_traceback(world):
    client = client_for(world.viewer)
    client.raise_request_exception = False
    with mock.patch.object(
        OrganizationListView, "get_queryset", side_effect=RuntimeError("secret internals")
    ):
        response = client.get(f"{API}/organizations/")
    assert response.status_code == 500
    assert _is_json(response)
    assert response.json() == {"detail": "A server error occurred."}
    assert b"secret internals" not in response.content
    assert b"Traceback" not in response.content


@override_settings(DEBUG=False)
@pytest.mark.django_db
def test_a_request_django_refuses_before_any_view_is_a_json_400():
    # A Host header outside ALLOWED_HOSTS: Django raises DisallowedHost in the middleware.
    client = Client(HTTP_HOST="evil.example", raise_request_exception=False)
    response = client.get(f"{API}/organizations/")
    assert response.status_code == 400
    assert _is_json(response)
    assert client.get("/accounts/login/")["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_the_sites_pages_keep_html_error_pages(admin_client):
    response = admin_client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@override_settings(DEBUG=False)
@pytest.mark.django_db
def test_a_server_error_on_a_page_is_still_an_html_page(admin_client):
    admin_client.raise_request_exception = False
    with mock.patch("monitoring.views.resolve_scope", side_effect=RuntimeError("boom")):
        response = admin_client.get("/dashboard/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_the_schema_documents_the_error_answers(client):
    schema = client.get("/api/schema/?format=json").json()
    assert {"Error", "FieldErrors"} <= set(schema["components"]["schemas"])
    assert "405" in schema["info"]["description"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            expected = {"400", "401", "404", "429"}
            if method in ("post", "put", "patch", "delete"):
                expected.add("403")
            assert expected <= set(operation["responses"]), f"{method} {path}"
            for code in expected:
                content = operation["responses"][code]["content"]
                assert list(content) == ["application/json"], f"{method} {path} {code}"
