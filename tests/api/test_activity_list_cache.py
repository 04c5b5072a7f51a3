"""GET /api/v1/activities/ is served from a cache while the data revision the database keeps
(activities.list_cache, migration activities 0004) stays the same: a repeat request with a token
costs one query (the token with its user and the revision, activities.api.authentication), and
any write to what the list shows, however it is made, makes the next one fresh."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection

from activities.api import serializers as list_serializers
from activities.models import Activity, PriorityDesignation
from monitoring import engine
from tests.api.conftest import API, client_for
from tests.factories import (
    ActivityFactory,
    FundingFactory,
    MatrixFactory,
    ParticipationFactory,
    PlanFactory,
    PriorityFactory,
    thematic_area,
)

URL = f"{API}/activities/"
HEADERS = ("Content-Type", "Vary", "Allow")


def _snapshot(response) -> tuple:
    assert response.status_code == 200, response.content
    return response.content, tuple(response.get(h) for h in HEADERS)


def _fresh(client, url: str = URL) -> tuple:
    """The response computed from the database, no entry in the way."""
    cache.clear()
    return _snapshot(client.get(url))


def test_a_cached_response_is_the_uncached_one_byte_for_byte(
    world, as_viewer, django_assert_num_queries
):
    PriorityFactory(activity=world.activity, year=2016)
    uncached = _snapshot(as_viewer.get(URL))
    # The token with its user and the data revision; the entry the first request stored answers.
    with django_assert_num_queries(1):
        cached = _snapshot(as_viewer.get(URL))
    assert cached == uncached
    assert b"T-01" in cached[0]


@pytest.mark.parametrize("n", [5, 50])
def test_a_repeat_request_costs_one_query_however_many_activities(
    world, as_viewer, n, django_assert_num_queries
):
    for i in range(n):
        activity = ActivityFactory(matrix=world.matrix, code=f"G-{i:03d}")
        ParticipationFactory(activity=activity, organization=world.interpol)
        PriorityFactory(activity=activity, year=2016)
        FundingFactory(activity=activity, donor=world.unodc)
    url = f"{URL}?page_size=200&organization=INTERPOL&ordering=-status"
    # 1 token with its user and the data revision, 2 the matrices' counts, 3 the page's
    # activities, 4 their participations with organizations, 5 their priorities.
    with django_assert_num_queries(5):
        first = as_viewer.get(url)
    # The token with its user and the data revision: the rest is the stored entry.
    with django_assert_num_queries(1):
        again = as_viewer.get(url)
    assert again.content == first.content
    assert len(again.json()["results"]) == n + 1


def test_the_entry_is_shared_by_users_because_the_list_is_the_same_for_all(
    world, as_viewer, django_assert_num_queries
):
    viewed = as_viewer.get(URL).content
    as_manager = client_for(world.manager)
    # The manager's token with their user and the data revision.
    with django_assert_num_queries(1):
        assert as_manager.get(URL).content == viewed


def test_the_query_string_and_the_host_are_part_of_the_key(world, as_viewer):
    ActivityFactory(matrix=world.matrix, code="T-02")
    one = as_viewer.get(f"{URL}?page_size=1").json()
    two = as_viewer.get(f"{URL}?page_size=2").json()
    assert (len(one["results"]), len(two["results"])) == (1, 2)
    assert as_viewer.get(f"{URL}?page_size=1&page=2").json()["results"][0]["code"] == "T-02"
    elsewhere = as_viewer.get(f"{URL}?page_size=1", HTTP_HOST="localhost").json()
    assert one["next"].startswith("http://testserver/")
    assert elsewhere["next"].startswith("http://localhost/")


def test_the_negotiated_media_type_is_part_of_the_key(world, as_viewer):
    compact = as_viewer.get(URL).content
    indented = as_viewer.get(URL, HTTP_ACCEPT="application/json; indent=2").content
    assert b"\n" not in compact and b'\n  "count": 1' in indented
    assert as_viewer.get(URL).content == compact


# --- every kind of write the list shows makes the next response fresh ----------------------------


def _retitle_through_the_api(world):
    manager = client_for(world.manager)
    etag = manager.get(f"{URL}{world.activity.pk}/")["ETag"]
    response = manager.patch(
        f"{URL}{world.activity.pk}/", {"title": "Retitled"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content


def _assess(world):
    engine.assess_activities([world.activity.pk], as_of=dt.date(2016, 9, 30))


def _participate(world):
    ParticipationFactory(activity=world.activity, organization=world.unodc, role="partner")


def _designate(world):
    PriorityFactory(activity=world.activity, year=2017)


def _fund(world):
    FundingFactory(activity=world.activity, donor=world.unodc, amount="1000.00", status="committed")


def _rename_organization(world):
    world.interpol.acronym = "ICPO"
    world.interpol.save()


def _rename_area(world):
    area = thematic_area("terrorism")
    area.code = "counter-terrorism"
    area.save()


def _add_activity(world):
    ActivityFactory(matrix=world.matrix, code="T-09", thematic_area=thematic_area("terrorism"))


def _delete_activity(world):
    Activity.objects.filter(code="X-01").delete()


def _bulk_update(world):
    Activity.objects.filter(matrix=world.matrix).update(lifecycle="closed")


def _retitle_plan(world):
    """The world's plan sorts after "B plan" (same start); retitled "A plan", before it."""
    world.plan.title = "A plan"
    world.plan.save()


def _renumber_matrix(world):
    """Edition 2 of the world's plan lists first; the world's matrix renumbered 3, it does."""
    world.matrix.edition = 3
    world.matrix.save()


@pytest.fixture
def neighbours(world):
    """A plan of the same start titled "B plan" and a second edition of the world's matrix, each
    with one activity, so that plan titles and matrix editions decide the default order; and
    X-01, which the delete removes."""
    other = MatrixFactory(plan=PlanFactory(partnership=world.partnership, title="B plan"))
    ActivityFactory(matrix=other, code="B-01")
    ActivityFactory(matrix=MatrixFactory(plan=world.plan, edition=2), code="E-01")
    ActivityFactory(matrix=world.matrix, code="X-01")
    return world


@pytest.mark.parametrize(
    "write",
    [
        _retitle_through_the_api,
        _assess,
        _participate,
        _designate,
        _fund,
        _rename_organization,
        _rename_area,
        _add_activity,
        _delete_activity,
        _bulk_update,
        _retitle_plan,
        _renumber_matrix,
    ],
)
def test_every_write_the_list_shows_makes_the_next_response_fresh(neighbours, as_viewer, write):
    before = _snapshot(as_viewer.get(URL))
    assert _snapshot(as_viewer.get(URL)) == before  # served from the entry
    write(neighbours)
    after = _snapshot(as_viewer.get(URL))
    assert after != before, "the write changed nothing the list shows: the test proves nothing"
    assert after == _fresh(as_viewer)


def test_a_write_committed_while_a_response_is_computed_is_not_hidden_by_it(
    world, as_viewer, monkeypatch
):
    """The revision is read before the data: a write landing after the data was read (here,
    while the rows are shaped) moves the revision past the one the entry is stored under, so the
    next request recomputes instead of serving the entry."""
    shape = list_serializers.activity_list_rows

    def shape_then_write(rows):
        Activity.objects.filter(pk=world.activity.pk).update(title="Written meanwhile")
        return shape(rows)

    monkeypatch.setattr(list_serializers, "activity_list_rows", shape_then_write)
    assert as_viewer.get(URL).json()["results"][0]["title"] == "Foreign terrorist fighters"
    monkeypatch.setattr(list_serializers, "activity_list_rows", shape)
    assert as_viewer.get(URL).json()["results"][0]["title"] == "Written meanwhile"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_a_truncate_makes_the_next_response_fresh(world, as_viewer):
    PriorityFactory(activity=world.activity, year=2016)
    assert as_viewer.get(URL).json()["results"][0]["priority_years"] == [2016]
    with connection.cursor() as cursor:
        # The test's open transaction holds deferred foreign key checks, which TRUNCATE refuses.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {PriorityDesignation._meta.db_table}")
    assert as_viewer.get(URL).json()["results"][0]["priority_years"] == []


# --- what is never cached, and what still runs on every request -----------------------------------


def test_the_browsable_api_is_not_cached(world, client, django_assert_num_queries):
    client.force_login(world.viewer)
    assert client.get(URL, HTTP_ACCEPT="text/html").status_code == 200
    Activity.objects.filter(pk=world.activity.pk).update(title="Renamed")
    page = client.get(URL, HTTP_ACCEPT="text/html")
    assert page["Content-Type"].startswith("text/html")
    assert "Renamed" in page.content.decode()
    # JSON after HTML, nothing stored for it: 1 session, 2 user, 3 the data revision, 4 the
    # matrices' counts, 5 the page's activities, 6 participations, 7 priorities.
    with django_assert_num_queries(7):
        assert client.get(URL, HTTP_ACCEPT="application/json").json()["count"] == 1


def test_an_unauthenticated_request_is_refused_even_with_an_entry(world, as_viewer, client):
    assert as_viewer.get(URL).status_code == 200
    assert as_viewer.get(URL).status_code == 200  # the entry exists
    assert client.get(URL).status_code == 401
    assert client.get(URL, HTTP_AUTHORIZATION="Token not-a-real-key").status_code == 401
    world.viewer.is_active = False
    world.viewer.save()
    assert as_viewer.get(URL).status_code == 401


def test_a_deleted_token_is_refused_at_once_even_with_an_entry(world, as_viewer):
    assert as_viewer.get(URL).status_code == 200  # the entry exists
    world.viewer.auth_token.delete()
    response = as_viewer.get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}  # DRF's own message


def test_an_inactive_users_token_gets_drfs_message(world, as_viewer):
    world.viewer.is_active = False
    world.viewer.save()
    response = as_viewer.get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive or deleted."}


def test_a_session_request_reads_the_revision_itself_and_is_served_the_same_entry(
    world, as_viewer, client, django_assert_num_queries
):
    by_token = as_viewer.get(URL).content
    client.force_login(world.viewer)
    # 1 session, 2 user, 3 the data revision; the entry the token request stored answers.
    with django_assert_num_queries(3):
        by_session = client.get(URL, HTTP_ACCEPT="application/json").content
    assert by_session == by_token
