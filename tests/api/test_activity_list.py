"""GET /api/v1/activities/: filters, sorting, pagination, query counts."""

import datetime as dt

import pytest

from activities.models import Activity, ActivityParticipation
from tests.api.conftest import API
from tests.factories import (
    ActivityFactory,
    FundingFactory,
    ParticipationFactory,
    PriorityFactory,
    thematic_area,
)

URL = f"{API}/activities/"


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


@pytest.fixture
def spread(world):
    """T-01 (terrorism, joint, current, INTERPOL, 2016 priority, on track) from the world, plus:
    C-01 cybercrime, complementary, aspirational, pipeline, UNODC, at risk, 'dark net' text;
    O-01 in another plan, off track."""
    Activity.objects.filter(pk=world.activity.pk).update(status="on_track")
    PriorityFactory(activity=world.activity, year=2016, rank=1)
    cyber = ActivityFactory(
        matrix=world.matrix,
        code="C-01",
        title="Research",
        description="Dark net marketplaces",
        thematic_area=thematic_area("cybercrime"),
        cooperation_type=Activity.CooperationType.COMPLEMENTARY,
        horizon=Activity.Horizon.ASPIRATIONAL,
        lifecycle=Activity.Lifecycle.PIPELINE,
        status="at_risk",
        start_date=dt.date(2016, 3, 1),
    )
    ParticipationFactory(activity=cyber, organization=world.unodc, role="lead")
    other = ActivityFactory(code="O-01", status="off_track", start_date=dt.date(2015, 1, 1))
    ParticipationFactory(activity=other, organization=world.interpol, role="lead")
    return world


def test_lists_activities_with_what_a_list_shows(spread, as_viewer):
    FundingFactory(activity=spread.activity, amount="30000.00", status="committed")
    FundingFactory(activity=spread.activity, amount="5000.00", status="pledged")  # not secured
    body = as_viewer.get(URL).json()
    assert body["count"] == 3
    assert set(body) == {"count", "next", "previous", "results"}
    row = next(r for r in body["results"] if r["code"] == "T-01")
    assert row["thematic_area"] == "terrorism"
    assert row["plan"] == spread.plan.pk
    assert row["organizations"] == [{"organization": "INTERPOL", "role": "lead"}]
    assert row["priority_years"] == [2016]
    assert row["status"] == "on_track"
    assert (row["budget_required"], row["funding_secured"]) == ("100000.00", "30000.00")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("plan={plan}", ["C-01", "T-01"]),
        ("thematic_area=cybercrime", ["C-01"]),
        ("cooperation_type=complementary", ["C-01"]),
        ("horizon=current", ["O-01", "T-01"]),
        ("organization=interpol", ["O-01", "T-01"]),
        ("organization=UNODC", ["C-01"]),
        ("priority_year=2016", ["T-01"]),
        ("priority_year=2017", []),
        ("status=at_risk", ["C-01"]),
        ("status=at_risk&status=off_track", ["C-01", "O-01"]),
        ("lifecycle=pipeline", ["C-01"]),
        ("search=dark net", ["C-01"]),
        ("search=t-0", ["T-01"]),
        ("organization=INTERPOL&priority_year=2016&status=on_track", ["T-01"]),
    ],
)
def test_each_filter(spread, as_viewer, query, expected):
    response = as_viewer.get(f"{URL}?{query.format(plan=spread.plan.pk)}&ordering=code")
    assert codes(response) == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("code", ["C-01", "O-01", "T-01"]),
        ("-code", ["T-01", "O-01", "C-01"]),
        ("status", ["C-01", "O-01", "T-01"]),  # at_risk < off_track < on_track
        ("start_date", ["O-01", "T-01", "C-01"]),
        ("thematic_area,code", ["O-01", "T-01", "C-01"]),  # terrorism is area 1, cybercrime 3
    ],
)
def test_ordering(spread, as_viewer, ordering, expected):
    assert codes(as_viewer.get(f"{URL}?ordering={ordering}")) == expected


@pytest.mark.parametrize(
    "query",
    ["status=excellent", "horizon=someday", "cooperation_type=x", "priority_year=abc", "plan=x"],
)
def test_invalid_filter_values_are_400_with_the_field_named(spread, as_viewer, query):
    response = as_viewer.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_pagination_with_page_size(world, as_viewer):
    ActivityFactory.create_batch(4, matrix=world.matrix)
    first = as_viewer.get(f"{URL}?page_size=2&ordering=code").json()
    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["previous"] is None and "page=2" in first["next"]
    last = as_viewer.get(f"{URL}?page_size=2&page=3&ordering=code").json()
    assert len(last["results"]) == 1 and last["next"] is None
    seen = [
        r["code"]
        for p in (1, 2, 3)
        for r in as_viewer.get(f"{URL}?page_size=2&page={p}&ordering=code").json()["results"]
    ]
    assert len(set(seen)) == 5


def test_page_size_is_capped_at_200(world, as_viewer):
    ActivityFactory.create_batch(205, matrix=world.matrix)
    body = as_viewer.get(f"{URL}?page_size=1000").json()
    assert body["count"] == 206
    assert len(body["results"]) == 200


def test_a_page_past_the_end_is_404(world, as_viewer):
    assert as_viewer.get(f"{URL}?page=9").status_code == 404


def test_anonymous_gets_401(world, client):
    response = client.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def _grow(world, n: int) -> None:
    """n activities, each with two participations, a priority and a funding commitment."""
    for i in range(n):
        activity = ActivityFactory(matrix=world.matrix, code=f"G-{i:03d}")
        ParticipationFactory(activity=activity, organization=world.interpol, role="lead")
        ParticipationFactory(
            activity=activity, organization=world.unodc, role=ActivityParticipation.Role.PARTNER
        )
        PriorityFactory(activity=activity, year=2016)
        FundingFactory(activity=activity)


@pytest.mark.parametrize("n", [5, 50])
def test_list_query_count_does_not_grow_with_activities(
    world, as_viewer, n, django_assert_num_queries
):
    _grow(world, n)
    # 1 token with its user, 2 count, 3 page of activities (matrix, plan, thematic area joined,
    # secured funding as a subquery), 4 participations with organizations, 5 priorities.
    with django_assert_num_queries(5):
        response = as_viewer.get(f"{URL}?page_size=200&organization=INTERPOL&ordering=-status")
    assert response.status_code == 200
    assert len(response.json()["results"]) == n + 1


def test_browser_session_authenticates_too(world, client):
    client.force_login(world.viewer)
    assert client.get(URL).status_code == 200


def test_a_bad_token_is_401(world, client):
    response = client.get(URL, HTTP_AUTHORIZATION="Token not-a-real-key")
    assert response.status_code == 401
