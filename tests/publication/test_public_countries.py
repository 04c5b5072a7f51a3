"""The public API's countries (`/api/public/v1/snapshots/{id}/countries/` and `…/{iso}/`): read
from the snapshot's document alone, counting only the published activities whose places are
published, with counts by status and those activities; a country known only from a non-public
activity or field answers exactly as a country never named."""

from __future__ import annotations

import pytest
from django.test import Client

from publication import services

pytestmark = pytest.mark.django_db

API = "/api/public/v1/snapshots"


def test_the_list_names_only_the_countries_of_published_places(world, snapshot):
    body = Client().get(f"{API}/{snapshot.pk}/countries/").json()
    assert body["as_of"] == "2016-06-30"
    assert body["count"] == 1
    (nigeria,) = body["results"]
    assert nigeria["iso"] == "NG"
    assert nigeria["name"] == "Nigeria"
    assert nigeria["activity_count"] == 1
    assert nigeria["url"] == f"http://testserver{API}/{snapshot.pk}/countries/NG/"
    assert sum(nigeria["status_counts"].values()) == 1
    status = snapshot.document["activities"][0]["status"]
    assert nigeria["status_counts"][status] == 1
    # Ghana (a public activity whose places are not), Liechtenstein (partners), Tuvalu
    # (restricted) are nowhere.
    text = str(body)
    for hidden in ("GH", "Ghana", "LI", "Liechtenstein", "TV", "Tuvalu"):
        assert hidden not in text


def test_a_country_lists_its_public_activities_with_links(world, snapshot):
    body = Client().get(f"{API}/{snapshot.pk}/countries/ng/").json()  # any case
    assert body["iso"] == "NG" and body["as_of"] == "2016-06-30"
    assert [a["code"] for a in body["activities"]] == ["T-01"]
    (activity,) = body["activities"]
    assert activity["n"] == 1
    assert activity["url"] == f"http://testserver{API}/{snapshot.pk}/activities/1/"
    assert activity["title"] == "Foreign terrorist fighters"
    assert activity["thematic_area"] == "terrorism"
    assert body["activity_count"] == 1


def test_a_country_of_hidden_places_answers_as_one_never_named(world, snapshot):
    client = Client()
    answers = {
        code: client.get(f"{API}/{snapshot.pk}/countries/{code}/")
        for code in ("GH", "LI", "TV", "FR")
    }
    assert {code: a.status_code for code, a in answers.items()} == dict.fromkeys(answers, 404)
    assert len({a.content for a in answers.values()}) == 1
    assert client.get(f"{API}/{snapshot.pk}/countries/NGA/").status_code == 404
    assert client.get(f"{API}/{snapshot.pk}/countries/N1/").status_code == 404


def test_countries_are_cacheable_and_gone_with_their_snapshot(
    world, snapshot, django_assert_num_queries
):
    client = Client()
    for url in (f"{API}/{snapshot.pk}/countries/", f"{API}/{snapshot.pk}/countries/NG/"):
        # The snapshot's metadata, then its content with the activities.
        with django_assert_num_queries(2):
            first = client.get(url)
        assert first["Cache-Control"] == "public, max-age=300"
        with django_assert_num_queries(1):
            again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
    services.withdraw_snapshot(actor=world.manager, snapshot_id=snapshot.pk, reason="Mistake")
    assert client.get(f"{API}/{snapshot.pk}/countries/").status_code == 410
    assert client.get(f"{API}/{snapshot.pk}/countries/NG/").status_code == 410
    assert client.get(f"{API}/{snapshot.pk}/countries/bad-code/").status_code == 410
    assert client.get(f"{API}/999999/countries/").status_code == 404


def test_a_document_published_before_the_codes_names_its_countries_by_name(world, snapshot):
    """Snapshots published before the documents carried ISO codes list places by name only."""
    activities = snapshot.activities
    for activity in activities:
        activity.pop("countries", None)
    type(snapshot).objects.filter(pk=snapshot.pk).update(activities=activities)
    body = Client().get(f"{API}/{snapshot.pk}/countries/").json()
    assert [(c["iso"], c["name"]) for c in body["results"]] == [("NG", "Nigeria")]
