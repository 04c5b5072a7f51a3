"""GET /api/v1/plans/<id>/results/: the chain as a tree, in a fixed number of queries."""

import datetime as dt

import pytest

from monitoring import engine
from partnership.models import Profile
from results import services
from tests.api.conftest import client_for
from tests.factories import ActivityFactory, assess, make_user
from tests.results.builders import build_chain

pytestmark = pytest.mark.django_db

JUN_30 = dt.date(2016, 6, 30)


@pytest.fixture
def chain():
    chain = build_chain(activities_per_output=1)
    assess(chain.activities["1.1.1"][0], JUN_30, "off_track")
    assess(chain.activities["1.1.2"][0], JUN_30, "on_track")
    assess(chain.activities["1.2.1"][0], JUN_30, "on_track")
    engine.roll_up_plan(plan_id=chain.plan.pk, as_of=JUN_30)
    return chain


@pytest.fixture
def api():
    return client_for(make_user(Profile.Role.VIEWER))


def test_the_chain_is_a_tree_with_statuses_and_reasons(api, chain):
    response = api.get(f"/api/v1/plans/{chain.plan.pk}/results/")
    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == "2016-06-30"
    assert body["assessed_dates"] == ["2016-06-30"]
    [objective] = body["results"]
    assert (objective["code"], objective["level"], objective["status"]) == (
        "1",
        "objective",
        "off_track",
    )
    outcome = objective["children"][0]
    assert outcome["counts"] == {"off_track": 1, "on_track": 1}
    assert "1 of 2 outputs off track." in [r["message"] for r in outcome["reasons"]]
    output = outcome["children"][0]
    assert output["activity_count"] == 1
    assert output["activities"][0]["code"] == chain.activities["1.1.1"][0].code
    assert output["activities"][0]["share"] == "50.00"
    assert objective["sdg_targets"] == ["16.a"]
    assert objective["sdg_rolled_up"] == ["16.4", "16.a"]
    assert response.headers["ETag"]


def test_a_bad_date_is_400_and_anonymous_is_401(api, chain):
    response = api.get(f"/api/v1/plans/{chain.plan.pk}/results/", {"as_of": "2016-13-01"})
    assert response.status_code == 400
    assert "as_of" in response.json()
    assert client_for().get(f"/api/v1/plans/{chain.plan.pk}/results/").status_code == 401
    assert api.get("/api/v1/plans/999999/results/").status_code == 404


@pytest.mark.parametrize("more", [0, 30])
def test_the_query_count_does_not_grow_with_the_plan(api, chain, more, django_assert_num_queries):
    for _ in range(more):
        activity = ActivityFactory(matrix=chain.matrix)
        services.add_contribution(
            actor=None, output=chain.outputs[0], activity=activity, description="Helps."
        )
    # the token with its user; the plan; the reader's profile (which contributions they may
    # read: conditions of the chain's queries); the chain's ten (dates rolled up, results, their
    # assessments, indicators, their sources, own SDG links, the activities' SDG targets by
    # output, the contributions counted by output, the first few ids of each, those with their
    # activities)
    with django_assert_num_queries(13):
        response = api.get(f"/api/v1/plans/{chain.plan.pk}/results/")
    assert response.json()["results"][0]["children"][0]["children"][0]["activity_count"] == (
        1 + more
    )
