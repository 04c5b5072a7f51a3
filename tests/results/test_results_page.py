"""The results page (/plans/<id>/results/): the chain as a tree with statuses, reasons,
indicators and SDG targets; filters; any rolled-up date; a fixed number of queries."""

import datetime as dt
import re

import pytest

from monitoring import engine
from partnership.models import Profile
from results import services
from tests.factories import ActivityFactory, assess, make_user
from tests.results.builders import build_chain

pytestmark = pytest.mark.django_db

MAY_31, JUN_30 = dt.date(2016, 5, 31), dt.date(2016, 6, 30)


@pytest.fixture
def viewer_client(client):
    client.force_login(make_user(Profile.Role.VIEWER))
    return client


@pytest.fixture
def chain():
    chain = build_chain(activities_per_output=2)
    for activities in chain.activities.values():
        for activity in activities:
            assess(activity, MAY_31, "on_track")
            assess(activity, JUN_30, "on_track")
    assess(chain.activities["1.1.1"][0], JUN_30, "off_track")
    assess(chain.activities["1.1.1"][1], JUN_30, "off_track")
    engine.roll_up_plan(plan_id=chain.plan.pk, as_of=MAY_31)
    engine.roll_up_plan(plan_id=chain.plan.pk, as_of=JUN_30)
    return chain


def url(chain):
    return f"/plans/{chain.plan.pk}/results/"


def statuses(response) -> dict[str, str]:
    html = response.content.decode()
    return dict(re.findall(r'data-code="([^"]+)" data-status="([^"]*)"', html))


def test_the_chain_shows_every_level_with_its_rolled_up_status(viewer_client, chain):
    response = viewer_client.get(url(chain))
    assert response.status_code == 200
    assert statuses(response) == {
        "1": "off_track",
        "1.1": "off_track",
        "1.2": "on_track",
        "1.1.1": "off_track",
        "1.1.2": "on_track",
        "1.2.1": "on_track",
    }
    html = response.content.decode()
    assert "2 of 2 activities off track." in html
    assert "1 of 2 outcomes off track." in html
    assert 'id="as-of">2016-06-30<' in html


def test_an_earlier_date_shows_that_roll_up(viewer_client, chain):
    response = viewer_client.get(url(chain), {"as_of": "2016-05-31"})
    assert set(statuses(response).values()) == {"on_track"}
    # Between roll-ups: the earlier one, and the page says so.
    between = viewer_client.get(url(chain), {"as_of": "2016-06-15"})
    assert "showing the one of 2016-05-31" in between.content.decode()
    assert set(statuses(between).values()) == {"on_track"}


def test_sdg_targets_roll_up_to_the_objective(viewer_client, chain):
    html = viewer_client.get(url(chain)).content.decode()
    objective = html[html.index(f'id="result-{chain.objective.pk}"') :]
    first_sdg = re.search(r'class="result-sdg">(.*?)</p>', objective, re.S).group(1)
    # Its own 16.a and output two's 16.4, rolled up through outcome 1.1.
    assert re.findall(r">(\d+\.\w+)<", first_sdg) == ["16.4", "16.a"]


def test_filters_keep_matching_results_in_their_place(viewer_client, chain):
    response = viewer_client.get(url(chain), {"status": "off_track"})
    assert set(statuses(response)) == {"1", "1.1", "1.1.1"}
    response = viewer_client.get(url(chain), {"level": "outcome"})
    assert set(statuses(response)) == {"1", "1.1", "1.2"}


def test_bad_parameters_are_named_with_400(viewer_client, chain):
    response = viewer_client.get(url(chain), {"as_of": "9999-12-31", "status": "splendid"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a date from 1900-01-01 to 2100-12-31." in html
    assert "Select a valid choice." in html


def test_an_unknown_plan_is_404_and_anonymous_users_sign_in(client, viewer_client, chain):
    assert viewer_client.get("/plans/999999/results/").status_code == 404
    assert client.logout() is None
    assert client.get(url(chain)).status_code == 302


def test_the_page_query_count_does_not_grow_with_the_plan(
    viewer_client, chain, django_assert_num_queries
):
    """15 queries for 6 and for 42 activities: session and user, the plan, the reader's profile
    (which contributions they may read: conditions of the chain's queries), the chain's ten
    (dates rolled up, results, their assessments, indicators, their sources, own SDG links, the
    activities' SDG targets by output, the contributions counted by output, the first few ids of
    each, those with their activities), the profile (page header)."""
    with django_assert_num_queries(15):
        viewer_client.get(url(chain))
    for output in chain.outputs:
        for _ in range(12):
            activity = ActivityFactory(matrix=chain.matrix)
            services.add_contribution(actor=None, output=output, activity=activity, share=10)
    with django_assert_num_queries(15):
        response = viewer_client.get(url(chain))
    assert "(the first 5 of 14)" in response.content.decode()
