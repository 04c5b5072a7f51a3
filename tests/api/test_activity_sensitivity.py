"""The sensitivity tiers in the activities API: the detail and the list leave out the values of
the field groups the caller may not see and name them in `withheld`; a restricted activity is
404 and absent from lists for those outside it; the milestones, indicators, updates and history
endpoints follow their field group. Participating officers and managers get everything."""

from __future__ import annotations

import json

import pytest

from tests.api.conftest import API, client_for
from tests.support.sensitivity_world import PARTNERS_LINE, RESTRICTED_LINE, build_world, leaked

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _everything(client, world) -> dict[str, tuple[int, str]]:
    """Every read of the activities API about the world's activities: path → (status, body)."""
    paths = [f"{API}/activities/?page_size=200", f"{API}/updates/"]
    for activity in (world.restricted, world.partners, world.mixed):
        base = f"{API}/activities/{activity.pk}"
        paths += [f"{base}/", f"{base}/milestones/", f"{base}/indicators/", f"{base}/updates/"]
        paths += [f"{base}/history/"]
        for milestone in activity.milestones.all():
            paths.append(f"{API}/milestones/{milestone.pk}/")
        for indicator in activity.indicators.all():
            paths += [f"{API}/indicators/{indicator.pk}/"]
            paths += [f"{API}/indicators/{indicator.pk}/measurements/"]
    answers = {}
    for path in paths:
        response = client.get(path)
        answers[path] = (response.status_code, response.content.decode())
    return answers


def test_a_partner_outside_a_restricted_activity_never_reads_it(world):
    client = client_for(world.outsider)
    answers = _everything(client, world)
    for path, (status, body) in answers.items():
        assert status in (200, 404), path
        assert leaked(body, world.of("restricted")) == [], path
    detail = f"{API}/activities/{world.restricted.pk}/"
    assert answers[detail][0] == 404
    listed = json.loads(answers[f"{API}/activities/?page_size=200"][1])
    assert listed["count"] == 2
    assert [a["code"] for a in listed["results"]] == ["M-01", "P-01"]


def test_withheld_groups_are_named_and_empty_in_the_detail(world):
    body = client_for(world.outsider).get(f"{API}/activities/{world.mixed.pk}/").json()
    assert body["withheld"] == {
        "description": RESTRICTED_LINE,
        "indicators": RESTRICTED_LINE,
        "risks": RESTRICTED_LINE,
    }
    assert body["description"] == "" and body["indicators"] == []
    assert [m["title"] for m in body["milestones"]] == ["Open milestone of M-01"]
    assert body["funding"]["required"] == "7333111.00"  # partners: shared with UNODC
    # The reasons name indicators: withheld with them.
    assert body["current_status"]["reasons"] == []
    updates = client_for(world.outsider).get(f"{API}/activities/{world.mixed.pk}/updates/")
    assert [u["risks"] for u in updates.json()["results"]] == [""]
    assert leaked(updates.content.decode(), world.of("mixed")) == []


def test_a_viewer_of_no_partner_organization_gets_the_outline(world):
    client = client_for(world.stranger)
    answers = _everything(client, world)
    hidden = [*world.of("restricted"), *world.of("partners"), *world.of("mixed")]
    for path, (_status, body) in answers.items():
        assert leaked(body, hidden) == [], path
    detail = json.loads(answers[f"{API}/activities/{world.partners.pk}/"][1])
    assert detail["title"] == "Partners activity"
    assert detail["withheld"] == dict.fromkeys(
        ("description", "milestones", "indicators", "progress", "risks", "funding", "places"),
        PARTNERS_LINE,
    )
    assert detail["funding"] is None and detail["budget_required"] is None
    listed = json.loads(answers[f"{API}/activities/?page_size=200"][1])["results"]
    assert {a["code"]: a["budget_required"] for a in listed} == {"M-01": None, "P-01": None}
    assert answers[f"{API}/activities/{world.partners.pk}/milestones/"][0] == 404


@pytest.mark.parametrize("who", ["insider", "manager"])
def test_participating_officers_and_managers_read_everything(world, who):
    answers = _everything(client_for(getattr(world, who)), world)
    text = "\n".join(body for _status, body in answers.values())
    for owner in ("restricted", "partners", "mixed"):
        missing = [m for m in world.texts_of(owner) if m not in leaked(text, world.of(owner))]
        assert missing == [], (owner, missing)
    assert "7111222.00" in text and "7111111.00" in text
    detail = json.loads(answers[f"{API}/activities/{world.restricted.pk}/"][1])
    assert detail["withheld"] == {}
    listed = json.loads(answers[f"{API}/activities/?page_size=200"][1])
    assert listed["count"] == 3


def test_the_list_reads_the_same_queries_however_many_restricted_activities(
    world, django_assert_num_queries
):
    from publication import services
    from publication.rules import FIELD_GROUPS
    from tests.factories import ActivityFactory

    client = client_for(world.outsider)

    def grow(n):
        for _ in range(n):
            activity = ActivityFactory(matrix=world.restricted.matrix)
            services.set_disclosure(
                actor=None,
                activity_id=activity.pk,
                version=None,
                tier="restricted",
                field_tiers=dict.fromkeys(FIELD_GROUPS, "partners"),
            )

    # token with user; the caller's profile; the matrices with their counts; the page of
    # activities (tiers joined, the caller's partnership a subquery); participations;
    # priorities.
    for n in (0, 5):
        grow(n)
        with django_assert_num_queries(6):
            body = client.get(f"{API}/activities/").json()
        assert body["count"] == 2


def test_the_lists_text_search_does_not_look_into_withheld_descriptions(world):
    url = f"{API}/activities/?search=zqtiermixeddescriptionqz"
    assert client_for(world.outsider).get(url).json()["count"] == 0
    assert client_for(world.insider).get(url).json()["count"] == 1
