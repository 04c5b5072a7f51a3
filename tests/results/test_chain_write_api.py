"""Writing the results chain over the API (results.api): results and contributions created,
changed (naming their version) and deleted by managers; 400 with every error; 403 for anyone
else; 412 for a stale version; what only the service can refuse is 422."""

import pytest

from activities.models import Event
from partnership.models import Profile
from results.models import Contribution, Result
from tests.api.conftest import API, client_for
from tests.factories import ActivityFactory, MatrixFactory, make_user, sdg_target
from tests.results.builders import build_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    return build_chain(activities_per_output=1)


@pytest.fixture
def manager():
    return client_for(make_user(Profile.Role.MANAGER))


def test_a_manager_adds_an_output_and_reads_it_back(manager, chain):
    sdg_target("16.5")
    response = manager.post(
        f"{API}/plans/{chain.plan.pk}/results/",
        {
            "level": "output",
            "parent": chain.outcomes[1].pk,
            "code": "1.2.2",
            "title": "Analysts trained",
            "sdg_targets": ["16.5"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["level"], body["parent"], body["code"], body["version"]) == (
        "output",
        chain.outcomes[1].pk,
        "1.2.2",
        1,
    )
    assert body["sdg_targets"] == ["16.5"]
    assert response.headers["ETag"] == '"v1"'
    # The chain API shows it under its outcome.
    tree = manager.get(f"{API}/plans/{chain.plan.pk}/results/").json()
    outcome = tree["results"][0]["children"][1]
    assert [child["code"] for child in outcome["children"]] == ["1.2.1", "1.2.2"]


def test_invalid_input_is_400_with_every_error_and_nothing_written(manager, chain):
    other_plan_outcome = build_chain(activities_per_output=0, matrix=MatrixFactory()).outcomes[0]
    response = manager.post(
        f"{API}/plans/{chain.plan.pk}/results/",
        {
            "level": "output",
            "parent": other_plan_outcome.pk,
            "code": "1.1",  # taken in this plan
            "title": "",
            "order": -1,
            "sdg_targets": ["99.9"],
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["title"] == ["This field may not be blank."]
    assert errors["order"] == ["Ensure this value is greater than or equal to 0."]
    assert errors["sdg_targets"] == ["Object with code=99.9 does not exist."]
    assert errors["parent"] == ["The parent belongs to another plan."]
    assert errors["code"] == ["The plan already has a result 1.1."]
    assert Result.objects.filter(plan=chain.plan).count() == 6


def test_a_wrong_level_alone_is_refused_by_the_service_with_422(manager, chain):
    response = manager.post(
        f"{API}/plans/{chain.plan.pk}/results/",
        {"level": "output", "parent": chain.objective.pk, "code": "9", "title": "Misplaced"},
        format="json",
    )
    assert response.status_code == 422
    assert response.json() == {"parent": ["An output belongs to an outcome, not to an objective."]}


@pytest.mark.parametrize("role", [Profile.Role.VIEWER, Profile.Role.LIAISON_OFFICER])
def test_everyone_but_managers_gets_403(chain, role):
    api = client_for(make_user(role))
    output = chain.outputs[0]
    contribution = Contribution.objects.filter(output=output).first()
    answers = [
        api.post(
            f"{API}/plans/{chain.plan.pk}/results/",
            {"level": "objective", "code": "2", "title": "X"},
            format="json",
        ),
        api.patch(f"{API}/results/{output.pk}/", {"title": "X", "version": 1}, format="json"),
        api.delete(f"{API}/results/{output.pk}/", HTTP_IF_MATCH='"v1"'),
        api.post(
            f"{API}/results/{output.pk}/contributions/",
            {"activity": ActivityFactory(matrix=chain.matrix).pk, "share": "5"},
            format="json",
        ),
        api.patch(f"{API}/contributions/{contribution.pk}/", {"share": "5"}, format="json"),
        api.delete(f"{API}/contributions/{contribution.pk}/", HTTP_IF_MATCH='"v1"'),
    ]
    assert [a.status_code for a in answers] == [403] * 6
    assert api.get(f"{API}/results/{output.pk}/").status_code == 200  # reading is everyone's
    assert Result.objects.count() == 6 and Contribution.objects.count() == 3
    assert Result.objects.get(pk=output.pk).title == "Output one"


def test_an_edit_names_its_version_and_a_stale_one_is_412(manager, chain):
    output = chain.outputs[0]
    url = f"{API}/results/{output.pk}/"
    assert manager.patch(url, {"title": "Renamed"}, format="json").status_code == 428
    first = manager.patch(url, {"title": "Renamed"}, format="json", HTTP_IF_MATCH='"v1"')
    assert first.status_code == 200
    assert (first.json()["title"], first.headers["ETag"]) == ("Renamed", '"v2"')
    stale = manager.patch(url, {"title": "Mine", "version": 1}, format="json")
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2
    assert Result.objects.get(pk=output.pk).title == "Renamed"


def test_moving_an_output_is_checked_and_announced(manager, chain):
    output = chain.outputs[0]
    url = f"{API}/results/{output.pk}/"
    wrong = manager.patch(url, {"parent": chain.objective.pk, "version": 1}, format="json")
    assert wrong.status_code == 422
    assert wrong.json()["parent"] == ["An output belongs to an outcome, not to an objective."]
    moved = manager.patch(url, {"parent": chain.outcomes[1].pk, "version": 1}, format="json")
    assert moved.status_code == 200
    assert moved.json()["parent"] == chain.outcomes[1].pk
    event = Event.objects.filter(note="result_moved").get()
    assert event.activity_ids == sorted(a.pk for acts in chain.activities.values() for a in acts)


def test_deleting_a_result_with_something_under_it_is_refused(manager, chain):
    outcome = chain.outcomes[0]
    refused = manager.delete(f"{API}/results/{outcome.pk}/", HTTP_IF_MATCH='"v1"')
    assert refused.status_code == 422
    assert refused.json() == {
        "non_field_errors": [
            "Outcome 1.1 still has 2 outputs: remove them first. Nothing was deleted."
        ]
    }
    output = chain.outputs[0]
    refused = manager.delete(f"{API}/results/{output.pk}/", HTTP_IF_MATCH='"v1"')
    assert "1 contributing activity" in refused.json()["non_field_errors"][0]
    empty = manager.post(
        f"{API}/plans/{chain.plan.pk}/results/",
        {"level": "output", "parent": outcome.pk, "code": "1.1.3", "title": "Empty"},
        format="json",
    ).json()
    assert manager.delete(f"{API}/results/{empty['id']}/").status_code == 428
    gone = manager.delete(f"{API}/results/{empty['id']}/", HTTP_IF_MATCH='"v1"')
    assert gone.status_code == 204
    assert not Result.objects.filter(pk=empty["id"]).exists()
    assert Result.objects.filter(pk=outcome.pk).exists()


def test_contributions_are_added_changed_and_removed(manager, chain):
    output = chain.outputs[1]
    activity = ActivityFactory(matrix=chain.matrix, code="NEW-1")
    added = manager.post(
        f"{API}/results/{output.pk}/contributions/",
        {"activity": activity.pk, "share": "40", "description": "Trains the analysts."},
        format="json",
    )
    assert added.status_code == 201, added.json()
    body = added.json()
    assert (body["activity_code"], body["share"], body["version"]) == ("NEW-1", "40.00", 1)
    assert Event.objects.filter(note="contribution_added", activity_ids=[activity.pk]).exists()
    listed = manager.get(f"{API}/results/{output.pk}/contributions/").json()["results"]
    assert [row["activity_code"] for row in listed] == sorted(
        [chain.activities["1.1.2"][0].code, "NEW-1"]
    )
    url = f"{API}/contributions/{body['id']}/"
    changed = manager.patch(url, {"share": None, "version": 1}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["share"], changed.json()["version"]) == (None, 2)
    stale = manager.delete(url, HTTP_IF_MATCH='"v1"')
    assert stale.status_code == 412
    assert manager.delete(url, HTTP_IF_MATCH='"v2"').status_code == 204
    assert not Contribution.objects.filter(activity=activity).exists()


def test_contribution_errors_come_at_once(manager, chain):
    output = chain.outputs[1]
    stranger = ActivityFactory(matrix=MatrixFactory())
    response = manager.post(
        f"{API}/results/{output.pk}/contributions/",
        {"activity": stranger.pk, "share": "150", "description": "x" * 501},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["share"] == ["Ensure this value is less than or equal to 100."]
    assert errors["description"] == ["Ensure this field has no more than 500 characters."]
    assert errors["activity"][0].startswith("The activity belongs to another plan's matrix")
    # The shares of one activity add up to at most 100 %: a rule only the service knows whole.
    busy = chain.activities["1.1.1"][0]  # 50 % to output one
    too_much = manager.post(
        f"{API}/results/{output.pk}/contributions/",
        {"activity": busy.pk, "share": "60"},
        format="json",
    )
    assert too_much.status_code == 422
    assert "110 %" in too_much.json()["share"][0]
    # Neither a share nor words.
    neither = manager.post(
        f"{API}/results/{output.pk}/contributions/",
        {"activity": ActivityFactory(matrix=chain.matrix).pk},
        format="json",
    )
    assert neither.json() == {
        "share": ["Give the activity's share of the output, or describe its contribution."]
    }
    assert Contribution.objects.filter(output=output).count() == 1
    # Outcomes take no contributions.
    outcome = manager.get(f"{API}/results/{chain.outcomes[0].pk}/contributions/")
    assert outcome.status_code == 404


def test_the_contribution_list_takes_the_same_queries_however_long(
    manager, chain, django_assert_num_queries
):
    """Five queries: the token with its user (knox), the output, the reader's profile (which
    contributions they may read), the count, the page of contributions with their
    activities."""
    output = chain.outputs[0]
    url = f"{API}/results/{output.pk}/contributions/"
    with django_assert_num_queries(5):
        assert manager.get(url).json()["count"] == 1
    for _ in range(5):
        manager.post(
            url,
            {"activity": ActivityFactory(matrix=chain.matrix).pk, "description": "Helps."},
            format="json",
        )
    with django_assert_num_queries(5):
        assert len(manager.get(url).json()["results"]) == 6
