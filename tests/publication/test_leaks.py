"""The leak test: no value of a `partners` or `restricted` field appears in any public answer.

The world (tests/publication/world.py) plants a unique marker in every non-public value: the
titles, codes, descriptions, milestones, indicators, measurements' notes, progress narratives
and risks (approved and draft), review notes, funding amounts and a donor, participations'
contributions, priority rationales, an override's reason, the public texts of a restricted
activity, and, through the real monitoring engine, the status reasons that name milestones.
Every public page, export and API answer — searches, filters, pages and their `next` links,
errors, the schema, HEAD and 304 answers — is searched, body and headers, for every marker.
"""

from __future__ import annotations

import pytest
from django.test import Client

from activities.models import (
    Activity,
    ActivityParticipation,
    Measurement,
    PriorityDesignation,
    ProgressUpdate,
)
from monitoring.models import StatusOverride
from partnership.models import Organization
from publication import selectors, services
from tests.publication.world import AS_OF, assess, publish

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    return (body.decode() + "\n" + headers).lower()


def _leaked(world, response, echoed: str = "") -> list[str]:
    text = _text(response)
    if echoed:
        # The search box shows back what the visitor typed: their own input, not a leak.
        text = text.replace(f'value="{echoed.lower()}"', "")
    return [m for m in world.markers if m.lower() in text]


def test_the_markers_are_really_planted(world):
    """The control: the live data holds every marker, and the engine's reasons name a marked
    milestone, so a marker missing from the public answers was kept out, not never there."""
    live = [
        repr(selectors.plan_facts(plan_id=world.plan.pk, as_of=AS_OF)),
        *(str(a.status_reasons) for a in Activity.objects.all()),
        *ActivityParticipation.objects.values_list("contribution", flat=True),
        *Measurement.objects.values_list("note", flat=True),
        *ProgressUpdate.objects.values_list("review_note", flat=True),
        *ProgressUpdate.objects.values_list("narrative", flat=True),
        *ProgressUpdate.objects.values_list("risks", flat=True),
        *PriorityDesignation.objects.values_list("rationale", flat=True),
        *StatusOverride.objects.values_list("reason", flat=True),
        *Organization.objects.values_list("acronym", flat=True),
    ]
    blob = " ".join(live).lower()
    assert [m for m in world.markers if m.lower() not in blob] == []
    reasons = str(Activity.objects.get(pk=world.closed_fields_activity.pk).status_reasons)
    assert "zqleakt02milestoneqz" in reasons.lower()


def _public_urls(snapshot_id: int) -> list[str]:
    base = f"/public/snapshots/{snapshot_id}"
    api = f"/api/public/v1/snapshots/{snapshot_id}"
    return [
        "/public/",
        f"{base}/",
        f"{base}/activities/",
        f"{base}/activities/?area=cybercrime",
        f"{base}/activities/?area=terrorism",
        f"{base}/activities/?status=suspended",
        f"{base}/activities/?status=off_track&area=terrorism",
        f"{base}/activities/?page=2",
        f"{base}/activities/?page=abc",
        f"{base}/activities/1/",
        f"{base}/activities/2/",
        f"{base}/activities/3/",
        f"{base}/activities/4/",
        f"{base}/activities/99/",
        f"{base}/priorities/",
        f"{base}/sdg/",
        f"{base}/countries/",
        f"{base}/activities.csv",
        "/public/snapshots/999999/",
        "/public/snapshots/999999/activities/1/",
        "/public/nothing-here/",
        "/api/public/v1/snapshots/",
        "/api/public/v1/snapshots/?page_size=1",
        "/api/public/v1/snapshots/?page_size=1&page=2",
        "/api/public/v1/snapshots/?page=99",
        "/api/public/v1/snapshots/?page_size=0",
        f"{api}/",
        f"{api}/activities/",
        f"{api}/activities/?page_size=1",
        f"{api}/activities/?page_size=1&page=2",
        f"{api}/activities/?page=3&page_size=1",
        f"{api}/activities/?thematic_area=cybercrime",
        f"{api}/activities/?thematic_area=no-such-area",
        f"{api}/activities/?status=suspended",
        f"{api}/activities/?status=not-a-status",
        f"{api}/activities/1/",
        f"{api}/activities/2/",
        f"{api}/activities/3/",
        f"{api}/activities/4/",
        f"{api}/countries/",
        f"{api}/countries/NG/",
        f"{api}/countries/ng/",
        f"{api}/countries/GH/",
        f"{api}/countries/LI/",
        f"{api}/countries/TV/",
        f"{api}/countries/tuvalu/",
        "/api/public/v1/snapshots/999999/countries/",
        "/api/public/v1/snapshots/999999/",
        "/api/public/v1/snapshots/999999/activities/",
        "/api/public/v1/nothing-here/",
        "/api/public/v1/schema/",
        "/api/public/v1/schema/?format=json",
        "/api/public/v1/docs/",
    ]


@pytest.fixture
def two_snapshots(world):
    """Two snapshots (so the list of snapshots has pages and `next` links)."""
    import datetime as dt

    assess(world.plan, dt.date(2016, 3, 31))
    first = services.publish_snapshot(
        actor=world.manager,
        plan_id=world.plan.pk,
        as_of=dt.date(2016, 3, 31),
        note="Early snapshot for the tests.",
    )
    return first, publish(world)


def test_no_public_page_api_answer_or_export_shows_a_non_public_value(world, two_snapshots):
    client = Client()
    answers = {}
    for snapshot in two_snapshots:
        for url in _public_urls(snapshot.pk):
            for method in (client.get, client.head, client.options):
                response = method(url)
                answers[(method.__name__, url)] = response.status_code
                assert response.status_code < 500, url
                assert not _leaked(world, response), (
                    method.__name__,
                    url,
                    _leaked(world, response),
                )
    # The pages were there to search: the ones that should answer did.
    s = two_snapshots[1].pk
    assert answers[("get", f"/public/snapshots/{s}/activities/2/")] == 200
    assert answers[("get", f"/public/snapshots/{s}/activities/3/")] == 404
    assert answers[("get", f"/api/public/v1/snapshots/{s}/activities/?page_size=1")] == 200
    assert (
        answers[("get", f"/api/public/v1/snapshots/{s}/activities/?thematic_area=no-such-area")]
        == 400
    )


def test_searching_for_a_non_public_value_finds_nothing_and_says_nothing(world, snapshot):
    client = Client()
    base = f"/public/snapshots/{snapshot.pk}/activities/"
    api = f"/api/public/v1/snapshots/{snapshot.pk}/activities/"
    for marker in world.markers:
        page = client.get(base, {"q": marker})
        assert page.status_code == 200
        assert not _leaked(world, page, echoed=marker), marker
        assert "0 of 2 published activities match" in page.content.decode()
        answer = client.get(api, {"q": marker})
        assert answer.status_code == 200
        assert answer.json()["count"] == 0
        assert answer.json()["results"] == []
        # The API does not repeat the query back (no `next` link either: nothing found).
        assert not _leaked(world, answer), marker
    # …while a public word finds its activity.
    found = client.get(api, {"q": "terrorist fighters"}).json()
    assert [a["code"] for a in found["results"]] == ["T-01"]


def test_pagination_links_carry_no_non_public_value(world, snapshot):
    client = Client()
    url = f"/api/public/v1/snapshots/{snapshot.pk}/activities/?page_size=1"
    seen = []
    while url:
        answer = client.get(url)
        assert answer.status_code == 200
        assert not _leaked(world, answer)
        body = answer.json()
        seen += [a["code"] for a in body["results"]]
        url = body["next"]
    assert seen == ["T-01", "T-02"]


def test_counts_board_and_numbers_reveal_no_hidden_activity(world, snapshot):
    doc = snapshot.document
    assert doc["activity_count"] == 2
    assert sum(doc["status_counts"].values()) == 2
    # The restricted activity is suspended by an override: no suspended activity is counted.
    assert doc["status_counts"]["suspended"] == 0
    areas = {a["code"]: a["total"] for a in doc["thematic_areas"]}
    assert areas["terrorism"] == 1  # the restricted one is in terrorism too
    assert areas["cybercrime"] == 0  # the partners one
    assert sum(areas.values()) == 2
    # Ranks 3 and 7 are public, 5 restricted: the board says 1 and 2, not 3 and 7.
    assert [p["position"] for p in doc["priorities"]] == [1, 2]
    assert [a["n"] for a in doc["activities"]] == [1, 2]
    sdg = {t["code"]: t for t in doc["sdg16"]}
    assert [a["code"] for a in sdg["16.4"]["activities"]] == ["T-01", "T-02"]
    assert sdg["16.a"]["activities"] == []  # only non-public activities contribute to it
    assert not any("id" in a for a in doc["activities"])
    # A hidden activity's number answers exactly as a number that never existed.
    client = Client()
    paths = (f"/public/snapshots/{snapshot.pk}/activities/{n}/" for n in (3, 999))
    three, many = (client.get(path) for path in paths)
    assert three.status_code == many.status_code == 404
    # The not-found page names the address asked for; apart from it, the two are the same.
    assert three.content.replace(b"/3/", b"/N/") == many.content.replace(b"/999/", b"/N/")


def test_public_fields_show_and_others_do_not(world, snapshot):
    doc = snapshot.document
    open_one, closed = doc["activities"]
    assert open_one["fields"] == ["description", "milestones", "progress", "places"]
    assert open_one["places"] == ["Nigeria", "Western Africa"]
    page = Client().get(f"/public/snapshots/{snapshot.pk}/activities/{open_one['n']}/")
    assert "<dt>Places</dt><dd>Nigeria, Western Africa</dd>" in page.content.decode()
    # The countries page: the open activity's places only (Ghana's activity keeps its own).
    countries = Client().get(f"/public/snapshots/{snapshot.pk}/countries/").content.decode()
    assert '<th scope="row">Nigeria</th>' in countries
    assert '<th scope="row">Western Africa</th>' in countries
    assert countries.count('<th scope="row">') == 2
    assert "countries and regions are published: 1 of 2." in countries
    assert open_one["description"].startswith("Joint work")
    assert [m["title"] for m in open_one["milestones"]] == ["Regional workshop"]
    # Only the approved update is published, never the draft.
    assert [u["narrative"] for u in open_one["progress"]] == [
        "Workshop prepared with the host country."
    ]
    for group in ("indicators", "risks", "funding"):
        assert group not in open_one
    assert closed["fields"] == []
    assert (
        set(closed) & {"description", "milestones", "indicators", "progress", "funding", "places"}
        == set()
    )


def test_a_withdrawn_snapshot_says_nothing_of_its_reason_or_content(world, snapshot):
    reason = world.mark("withdrawalreason")
    services.withdraw_snapshot(actor=world.manager, snapshot_id=snapshot.pk, reason=reason)
    client = Client()
    for url in _public_urls(snapshot.pk):
        response = client.get(url)
        assert not _leaked(world, response), url
    assert client.get(f"/public/snapshots/{snapshot.pk}/").status_code == 410
    assert "T-01" not in client.get(f"/api/public/v1/snapshots/{snapshot.pk}/").content.decode()
