"""Reference data, agreements, plans, the Activity Matrix grid and the priorities of a year."""

import datetime as dt

import pytest

from activities.models import Activity
from tests.api.conftest import API
from tests.factories import (
    ActivityFactory,
    AgreementFactory,
    MatrixFactory,
    ParticipationFactory,
    PriorityFactory,
    TopicFactory,
    thematic_area,
)


def test_organizations_by_acronym(world, as_viewer):
    body = as_viewer.get(f"{API}/organizations/").json()
    assert [o["acronym"] for o in body["results"]] == ["INTERPOL", "UNODC"]
    assert set(body["results"][0]) == {"id", "acronym", "name", "kind", "website"}


def test_thematic_areas_in_their_order(world, as_viewer):
    body = as_viewer.get(f"{API}/thematic-areas/").json()
    assert body["count"] == 6
    assert body["results"][0]["code"] == "terrorism"


def test_sdg_targets_with_goal_filter(world, as_viewer):
    everything = as_viewer.get(f"{API}/sdg-targets/").json()
    goal_16 = as_viewer.get(f"{API}/sdg-targets/?goal=16&page_size=200").json()
    assert 0 < goal_16["count"] < everything["count"]
    assert all(t["goal"] == 16 for t in goal_16["results"])
    assert "16.a" in [t["code"] for t in goal_16["results"]]


def test_agreements_say_what_they_build_on(world, as_viewer, django_assert_num_queries):
    earlier = AgreementFactory(title="UN–INTERPOL cooperation", signed_on=dt.date(1997, 7, 8))
    world.plan.agreement.builds_on = earlier
    world.plan.agreement.save()
    world.plan.agreement.parties.set([world.interpol, world.unodc])
    # token with user, count, page (builds_on joined), parties.
    with django_assert_num_queries(4):
        body = as_viewer.get(f"{API}/agreements/").json()
    assert [a["signed_on"] for a in body["results"]] == ["1997-07-08", "2016-05-23"]
    latest = body["results"][1]
    assert latest["builds_on"]["title"] == "UN–INTERPOL cooperation"
    assert latest["parties"] == ["INTERPOL", "UNODC"]
    detail = as_viewer.get(f"{API}/agreements/{world.plan.agreement.pk}/")
    assert detail.status_code == 200 and detail["ETag"]
    assert detail.json() == latest


def test_plans_and_plan_detail(world, as_viewer):
    MatrixFactory(plan=world.plan, edition=2)
    body = as_viewer.get(f"{API}/plans/").json()
    (plan,) = body["results"]
    assert plan["organizations"] == ["INTERPOL", "UNODC"]
    assert [m["edition"] for m in plan["matrices"]] == [2, 1]
    detail = as_viewer.get(f"{API}/plans/{world.plan.pk}/")
    assert detail.json()["title"] == "Joint Action Plan 2016"
    assert detail["ETag"]
    assert as_viewer.get(f"{API}/plans/999999/").status_code == 404


@pytest.fixture
def matrix_world(world):
    """Terrorism: T-01 (INTERPOL, joint current) and T-02 (UNODC, complementary current) share
    the topic 'foreign-fighters': an overlap. Cybercrime: only aspirational work (a gap).
    Maritime: INTERPOL alone (single organization)."""
    fighters = TopicFactory(code="foreign-fighters")
    world.activity.topics.add(fighters)
    t2 = ActivityFactory(
        matrix=world.matrix,
        code="T-02",
        cooperation_type=Activity.CooperationType.COMPLEMENTARY,
    )
    t2.topics.add(fighters)
    ParticipationFactory(activity=t2, organization=world.unodc, role="lead")
    c1 = ActivityFactory(
        matrix=world.matrix,
        code="C-01",
        thematic_area=thematic_area("cybercrime"),
        horizon=Activity.Horizon.ASPIRATIONAL,
    )
    ParticipationFactory(activity=c1, organization=world.unodc, role="lead")
    m1 = ActivityFactory(
        matrix=world.matrix, code="M-01", thematic_area=thematic_area("maritime-border-security")
    )
    ParticipationFactory(activity=m1, organization=world.interpol, role="lead")
    return world


def test_matrix_grid_and_flags(matrix_world, as_viewer, django_assert_num_queries):
    url = f"{API}/plans/{matrix_world.plan.pk}/matrix/"
    # token with user, the plan, the latest matrix, the reader's profile (the tiers), then the
    # matrix summary: thematic areas, partnership organizations, the counts, the listed
    # activities, and (an area has overlaps) the listed activities' partners and topics.
    with django_assert_num_queries(9):
        response = as_viewer.get(url)
    assert response.status_code == 200
    assert response["ETag"]
    body = response.json()
    assert body["organizations"] == ["INTERPOL", "UNODC"]
    assert (body["horizon"], body["listed_per_group"]) == (None, 5)
    areas = {a["code"]: a for a in body["areas"]}
    terrorism = areas["terrorism"]["flags"]
    assert terrorism["gap"] is False
    assert terrorism["single_organization"] is False
    assert terrorism["overlaps"] == [
        {
            "activities": ["T-01", "T-02"],
            "topics": ["foreign-fighters"],
            "only_in_first": ["INTERPOL"],
            "only_in_second": ["UNODC"],
        }
    ]
    assert areas["terrorism"]["overlap_topics"] == [
        {
            "topic": "foreign-fighters",
            "name": "Foreign Fighters",
            "pairs": 1,
            "activities": 2,
            "organizations": ["INTERPOL", "UNODC"],
        }
    ]
    assert areas["cybercrime"]["flags"]["gap"] is True
    assert areas["cybercrime"]["aspirational_count"] == 1
    assert areas["cybercrime"]["overlap_topics"] == []
    maritime = areas["maritime-border-security"]["flags"]
    assert (maritime["single_organization"], maritime["active_organizations"]) == (
        True,
        ["INTERPOL"],
    )
    unodc_cell = next(c for c in areas["terrorism"]["cells"] if c["organization"] == "UNODC")
    assert unodc_cell["count"] == 1
    assert unodc_cell["status_counts"] == [{"status": None, "count": 1}]
    # Only groups holding activities; each says how many and links to all of them.
    (group,) = unodc_cell["groups"]
    assert (group["cooperation_type"], group["horizon"], group["count"], group["more"]) == (
        "complementary",
        "current",
        1,
        0,
    )
    (t2,) = group["activities"]
    assert (t2["code"], t2["role"], t2["status"]) == ("T-02", "lead", None)
    assert (t2["overlaps_with"], t2["more_overlaps"]) == (["T-01"], False)
    linked = as_viewer.get(group["activities_url"]).json()
    assert [a["code"] for a in linked["results"]] == ["T-02"]


def test_each_matrix_group_links_to_every_activity_it_counts(world, as_viewer):
    # Seven joint current activities of INTERPOL in terrorism (T-01 and six more), one of them
    # assessed; five listed, the link lists all seven and nothing else.
    for n in range(2, 8):
        extra = ActivityFactory(matrix=world.matrix, code=f"T-{n:02d}")
        ParticipationFactory(activity=extra, organization=world.interpol, role="partner")
    Activity.objects.filter(code="T-03").update(status="at_risk")
    outside = ActivityFactory(matrix=world.matrix, code="T-99", horizon="aspirational")
    ParticipationFactory(activity=outside, organization=world.interpol, role="lead")
    body = as_viewer.get(f"{API}/plans/{world.plan.pk}/matrix/", {"horizon": "current"}).json()
    assert body["horizon"] == "current"
    terrorism = next(a for a in body["areas"] if a["code"] == "terrorism")
    interpol = next(c for c in terrorism["cells"] if c["organization"] == "INTERPOL")
    assert interpol["count"] == 7  # the aspirational T-99 is not shown
    assert interpol["status_counts"] == [
        {"status": "at_risk", "count": 1},
        {"status": None, "count": 6},
    ]
    (group,) = interpol["groups"]
    assert (group["count"], group["more"]) == (7, 2)
    assert [a["code"] for a in group["activities"]] == ["T-01", "T-02", "T-03", "T-04", "T-05"]
    assert group["activities_url"].startswith("http://testserver/api/v1/activities/?")
    linked = as_viewer.get(group["activities_url"]).json()
    assert linked["count"] == 7
    assert [a["code"] for a in linked["results"]] == [f"T-{n:02d}" for n in range(1, 8)]
    # The flags still consider the current activities, whatever the horizon shown.
    everything = as_viewer.get(f"{API}/plans/{world.plan.pk}/matrix/").json()
    assert [a["flags"] for a in everything["areas"]] == [a["flags"] for a in body["areas"]]
    assert as_viewer.get(f"{API}/plans/{world.plan.pk}/matrix/?horizon=later").status_code == 400


def test_matrix_of_an_earlier_edition(matrix_world, as_viewer):
    MatrixFactory(plan=matrix_world.plan, edition=2)  # a newer, empty edition
    latest = as_viewer.get(f"{API}/plans/{matrix_world.plan.pk}/matrix/").json()
    assert latest["matrix"]["edition"] == 2
    assert all(a["flags"]["gap"] for a in latest["areas"])
    first = as_viewer.get(f"{API}/plans/{matrix_world.plan.pk}/matrix/?edition=1").json()
    assert first["matrix"]["edition"] == 1
    assert not first["areas"][0]["flags"]["gap"]


def test_priorities_of_a_year_with_their_status(world, as_viewer, django_assert_num_queries):
    Activity.objects.filter(pk=world.activity.pk).update(
        status="off_track",
        status_as_of=dt.date(2016, 9, 30),
        status_reasons=[{"code": "past_end", "severity": "off_track", "message": "Late"}],
    )
    second = ActivityFactory(matrix=world.matrix, code="W-01", title="Wildlife")
    ParticipationFactory(activity=second, organization=world.unodc, role="lead")
    PriorityFactory(activity=second, year=2016, rank=2)
    PriorityFactory(activity=world.activity, year=2016, rank=1)
    PriorityFactory(activity=world.activity, year=2017, rank=1)
    # token with user and the list revision (a miss), count, page (activities, areas, matrices
    # joined), participations.
    with django_assert_num_queries(4):
        body = as_viewer.get(f"{API}/priorities/2016/").json()
    assert body["count"] == 2
    first, then = body["results"]
    assert (first["rank"], first["activity"]["code"]) == (1, "T-01")
    assert first["activity"]["current_status"] == {
        "status": "off_track",
        "as_of": "2016-09-30",
        "reasons": [{"code": "past_end", "severity": "off_track", "message": "Late"}],
    }
    assert first["activity"]["organizations"] == [{"organization": "INTERPOL", "role": "lead"}]
    assert then["activity"]["current_status"]["status"] is None
    other_plan = as_viewer.get(f"{API}/priorities/2016/?plan={world.plan.pk + 1}").json()
    assert other_plan["count"] == 0
