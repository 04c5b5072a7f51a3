"""The public portal and API over HTTP: no login, a fixed number of queries whatever the size of
the snapshot, ETag and Cache-Control with 304 answers, no cookies, read only, throttled per client
address, and the API's own OpenAPI schema and docs page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from publication import services
from tests.factories import ActivityFactory, ParticipationFactory, thematic_area
from tests.publication.world import ALL_PARTNERS, assess, publish

pytestmark = pytest.mark.django_db


def _pages(snapshot_id: int) -> list[str]:
    base = f"/public/snapshots/{snapshot_id}"
    api = f"/api/public/v1/snapshots/{snapshot_id}"
    return [
        f"{base}/",
        f"{base}/activities/",
        f"{base}/activities/?q=fighters&area=terrorism",
        f"{base}/activities/1/",
        f"{base}/priorities/",
        f"{base}/sdg/",
        f"{base}/countries/",
        f"{base}/activities.csv",
        f"{api}/",
        f"{api}/activities/",
        f"{api}/activities/?page_size=1",
        f"{api}/activities/1/",
        f"{api}/countries/",
        f"{api}/countries/NG/",
    ]


def _grow(world, n: int) -> None:
    """`n` more public activities with their settings, assessed on a later date."""
    for i in range(n):
        activity = ActivityFactory(
            matrix=world.open_activity.matrix,
            code=f"G-{i:03d}",
            title=f"Grown activity {i}",
            thematic_area=thematic_area("cybercrime"),
        )
        ParticipationFactory(
            activity=activity, organization=world.open_activity.participations.first().organization
        )
        services.set_disclosure(
            actor=None,
            activity_id=activity.pk,
            version=None,
            tier="public",
            field_tiers={**ALL_PARTNERS, "description": "public"},
            public_summary=f"Summary {i}",
        )


def test_pages_and_api_read_two_queries_whatever_the_size(world, django_assert_num_queries):
    small = publish(world)
    _grow(world, 30)
    later = dt.date(2016, 9, 30)
    assess(world.plan, later)
    large = services.publish_snapshot(
        actor=world.manager, plan_id=world.plan.pk, as_of=later, note="Grown for the test."
    )
    assert large.activity_count == small.activity_count + 30
    client = Client()
    for snapshot in (small, large):
        for url in _pages(snapshot.pk):
            # The snapshot's metadata (id, digest, withdrawal), then its frozen content.
            with django_assert_num_queries(2):
                response = client.get(url)
            assert response.status_code == 200, url
    for url in ("/public/", "/api/public/v1/snapshots/"):
        # The live snapshots with their names, read from the documents.
        with django_assert_num_queries(1):
            assert client.get(url).status_code == 200


def test_an_etag_comes_back_as_304_after_one_query(world, snapshot, django_assert_num_queries):
    client = Client()
    for url in [*_pages(snapshot.pk), "/public/", "/api/public/v1/snapshots/"]:
        first = client.get(url)
        etag = first["ETag"]
        assert first["Cache-Control"] == "public, max-age=300"
        # The metadata alone (the list: its one query): the content is not read.
        with django_assert_num_queries(1):
            again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, url
        assert again["ETag"] == etag
        assert again.content == b""
        assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    # Another page of the same snapshot has another ETag.
    tags = {client.get(url)["ETag"] for url in _pages(snapshot.pk)}
    assert len(tags) == len(_pages(snapshot.pk))


def test_a_new_snapshot_changes_the_lists_etag(world, snapshot):
    client = Client()
    before = client.get("/api/public/v1/snapshots/")["ETag"]
    services.withdraw_snapshot(actor=world.manager, snapshot_id=snapshot.pk, reason="Redone.")
    assert client.get("/api/public/v1/snapshots/", HTTP_IF_NONE_MATCH=before).status_code == 200


def test_public_answers_set_no_cookie_and_do_not_vary_on_one(world, snapshot):
    client = Client()
    for url in [*_pages(snapshot.pk), "/public/"]:
        response = client.get(url)
        assert not response.cookies, url
        assert "Cookie" not in response.get("Vary", ""), url


def test_the_portal_needs_no_login_and_shows_the_publication_date_everywhere(world, snapshot):
    client = Client()
    published = snapshot.published_at.date()
    for url in [u for u in _pages(snapshot.pk) if u.startswith("/public/") and ".csv" not in u]:
        html = client.get(url).content.decode()
        assert 'id="as-published"' in html, url
        assert f'datetime="{published:%Y-%m-%d}"' in html, url
    csv = client.get(f"/public/snapshots/{snapshot.pk}/activities.csv").content.decode()
    assert csv.startswith(f'"As published on {published:%Y-%m-%d}')


def test_the_api_is_read_only(world, snapshot):
    client = Client()
    for url in _pages(snapshot.pk):
        if url.startswith("/api/"):
            assert client.post(url, {}, content_type="application/json").status_code == 405
            assert client.delete(url).status_code == 405
    assert client.post(f"/public/snapshots/{snapshot.pk}/").status_code == 405


def test_the_api_is_throttled_per_client_address(world, snapshot, settings):
    settings.PUBLIC_API_THROTTLE = "3/minute"
    one, other = Client(REMOTE_ADDR="203.0.113.1"), Client(REMOTE_ADDR="203.0.113.2")
    url = "/api/public/v1/snapshots/"
    assert [one.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "Retry-After" in one.get(url)
    assert other.get(url).status_code == 200


def test_the_public_api_has_its_own_schema_and_docs(world, client):
    schema = client.get("/api/public/v1/schema/?format=json").json()
    assert schema["info"]["title"] == "Partnership tracker public API"
    assert set(schema["paths"]) == {
        "/api/public/v1/snapshots/",
        "/api/public/v1/snapshots/{snapshot_id}/",
        "/api/public/v1/snapshots/{snapshot_id}/activities/",
        "/api/public/v1/snapshots/{snapshot_id}/activities/{n}/",
        "/api/public/v1/snapshots/{snapshot_id}/countries/",
        "/api/public/v1/snapshots/{snapshot_id}/countries/{iso}/",
    }
    list_op = schema["paths"]["/api/public/v1/snapshots/{snapshot_id}/activities/"]["get"]
    assert {"q", "thematic_area", "status", "page", "page_size"} <= {
        p["name"] for p in list_op["parameters"]
    }
    assert "410" in list_op["responses"]
    assert not list_op.get("security") or {} in list_op["security"]
    # The signed-in API's schema leaves the public one out.
    main = client.get("/api/schema/?format=json").json()
    assert not [p for p in main["paths"] if p.startswith("/api/public/")]
    docs = client.get("/api/public/v1/docs/")
    assert docs.status_code == 200
    assert "<title>Public API</title>" in docs.content.decode()
    script = client.get("/api/public/v1/docs/?script=")
    assert "/api/public/v1/schema/" in script.content.decode()


def _nullable_as_json_schema(node):
    """OpenAPI 3.0's `nullable: true` as JSON Schema says it (a type list), for jsonschema."""
    if isinstance(node, list):
        return [_nullable_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_as_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


def test_api_answers_match_the_public_schema(world, snapshot, client):
    """Each answer validates against its operation's response schema (jsonschema)."""
    import jsonschema

    schema = _nullable_as_json_schema(client.get("/api/public/v1/schema/?format=json").json())
    components = schema["components"]["schemas"]

    def validator_for(path: str):
        response = schema["paths"][path]["get"]["responses"]["200"]
        body = response["content"]["application/json"]["schema"]
        return jsonschema.Draft202012Validator(
            {**body, "components": {"schemas": components}},
            format_checker=jsonschema.FormatChecker(),
        )

    checks = {
        "/api/public/v1/snapshots/": "/api/public/v1/snapshots/",
        f"/api/public/v1/snapshots/{snapshot.pk}/": "/api/public/v1/snapshots/{snapshot_id}/",
        f"/api/public/v1/snapshots/{snapshot.pk}/activities/": (
            "/api/public/v1/snapshots/{snapshot_id}/activities/"
        ),
        f"/api/public/v1/snapshots/{snapshot.pk}/activities/1/": (
            "/api/public/v1/snapshots/{snapshot_id}/activities/{n}/"
        ),
        f"/api/public/v1/snapshots/{snapshot.pk}/countries/": (
            "/api/public/v1/snapshots/{snapshot_id}/countries/"
        ),
        f"/api/public/v1/snapshots/{snapshot.pk}/countries/NG/": (
            "/api/public/v1/snapshots/{snapshot_id}/countries/{iso}/"
        ),
    }
    for url, path in checks.items():
        body = client.get(url).json()
        errors = [e.message for e in validator_for(path).iter_errors(body)]
        assert errors == [], (url, errors)


def test_an_activity_number_past_the_snapshot_is_404_after_one_query(
    world, snapshot, django_assert_num_queries
):
    client = Client()
    for n in (3, 168452940347, 2**63 - 1):
        # The snapshot's metadata says how many activities it holds.
        with django_assert_num_queries(1):
            assert client.get(f"/public/snapshots/{snapshot.pk}/activities/{n}/").status_code == 404
        with django_assert_num_queries(1):
            answer = client.get(f"/api/public/v1/snapshots/{snapshot.pk}/activities/{n}/")
        assert answer.status_code == 404
