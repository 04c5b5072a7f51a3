"""The OpenAPI schema and Swagger UI (public, served from local files), and API throttling."""

import re

import pytest
from rest_framework.throttling import SimpleRateThrottle

from tests.api.conftest import API, client_for


@pytest.mark.django_db
def test_schema_is_public_openapi_3_and_lists_the_api(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in [
        "/api/v1/activities/",
        "/api/v1/activities/{id}/",
        "/api/v1/plans/{id}/matrix/",
        "/api/v1/priorities/{year}/",
        "/api/v1/updates/{id}/approve/",
        "/api/v1/monitoring-runs/",
        "/api/v1/monitoring/summary/",
        "/api/v1/activities/{id}/status-history/",
    ]:
        assert path in paths, path
    activity_filters = {p["name"] for p in paths["/api/v1/activities/"]["get"]["parameters"]}
    assert {
        "plan",
        "thematic_area",
        "cooperation_type",
        "horizon",
        "organization",
        "priority_year",
        "status",
        "lifecycle",
        "search",
        "ordering",
        "page",
        "page_size",
    } <= activity_filters
    patch = paths["/api/v1/activities/{id}/"]["patch"]
    assert {"200", "400", "401", "403", "412", "428"} <= set(patch["responses"])
    assert "tokenAuth" in schema["components"]["securitySchemes"]


@pytest.mark.django_db
def test_swagger_ui_is_public_and_served_without_a_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("drf_spectacular_sidecar" in a for a in assets)
    assert not [a for a in assets if a.startswith(("http://", "https://", "//"))]


def test_user_requests_are_throttled_per_user(world, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "3/minute")
    viewer, manager = client_for(world.viewer), client_for(world.manager)
    statuses = [viewer.get(f"{API}/organizations/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert viewer.get(f"{API}/organizations/")["Retry-After"]
    assert manager.get(f"{API}/organizations/").status_code == 200  # a separate budget


@pytest.mark.django_db
def test_anonymous_clients_are_throttled_on_the_public_endpoints(client, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "2/minute")
    statuses = [client.get("/api/docs/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.django_db
def test_requests_refused_for_want_of_a_token_count_against_the_anonymous_throttle(
    client, monkeypatch
):
    # DRF checks permissions before throttles: without counting the 401s, an anonymous client
    # (or one guessing tokens) was never throttled on the data endpoints.
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "3/minute")
    statuses = [
        client.get(f"{API}/activities/").status_code,
        client.get(f"{API}/organizations/", HTTP_AUTHORIZATION="Token not-a-real-key").status_code,
        client.post(f"{API}/monitoring-runs/", {}).status_code,
        client.get(f"{API}/activities/").status_code,
    ]
    assert statuses == [401, 401, 401, 429]
    response = client.get(f"{API}/activities/")
    assert response.status_code == 429
    assert response["Retry-After"]
    assert response.json()["detail"].startswith("Request was throttled")


@pytest.mark.django_db
def test_a_forged_forwarded_for_address_does_not_escape_the_anonymous_throttle(client, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "2/minute")
    statuses = [
        client.get(f"{API}/activities/", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(3)
    ]
    assert statuses == [401, 401, 429]


def test_signed_in_clients_do_not_spend_the_anonymous_budget(world, client, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "1/minute")
    viewer = client_for(world.viewer)
    assert [viewer.get(f"{API}/organizations/").status_code for _ in range(3)] == [200] * 3
    assert client.get(f"{API}/organizations/").status_code == 401


def test_the_throttles_are_drfs_own_with_their_scopes():
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

    assert [AnonRateThrottle, UserRateThrottle] == api_settings.DEFAULT_THROTTLE_CLASSES
