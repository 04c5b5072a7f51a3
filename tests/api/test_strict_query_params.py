"""Query parameters are parsed strictly: a bad value is a 400 naming the parameter, never a 500
and never silently ignored. `²` passes str.isdigit() and fails int(): it answered 500 on five
endpoints."""

import pytest

from tests.api.conftest import API

BAD_IDS = ["²", "٣", "abc", "0", "-1", "1.5", "99999999999999999999999", " 1"]


def _endpoints(world) -> list[tuple[str, str, dict]]:
    """(path, parameter, other parameters the endpoint needs)."""
    return [
        ("/priorities/2016/", "plan", {}),
        ("/monitoring-runs/", "plan", {}),
        ("/monitoring/summary/", "plan", {}),
        (f"/plans/{world.plan.pk}/matrix/", "edition", {}),
        ("/sdg-targets/", "goal", {}),
    ]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_bad_id_parameter_is_a_400_naming_it(world, as_viewer, bad):
    for path, name, extra in _endpoints(world):
        response = as_viewer.get(f"{API}{path}", {name: bad, **extra})
        assert response.status_code == 400, (path, name, bad, response.content)
        assert name in response.json(), (path, response.json())
        assert response.json()[name][0], "with a message"


@pytest.mark.parametrize("name", ["plan", "matrix", "priority_year"])
def test_the_activity_list_refuses_a_superscript_digit(world, as_viewer, name):
    # Its filters (activities.filters) read a well-formed number no row can hold as "matches
    # nothing", a choice tested in test_activity_list; a non-number is a 400.
    response = as_viewer.get(f"{API}/activities/", {name: "²"})
    assert response.status_code == 400
    assert name in response.json()


def test_good_ids_still_filter(world, as_viewer):
    assert as_viewer.get(f"{API}/priorities/2016/", {"plan": world.plan.pk}).status_code == 200
    assert as_viewer.get(f"{API}/sdg-targets/", {"goal": 16}).status_code == 200
    summary = as_viewer.get(f"{API}/monitoring/summary/", {"plan": world.plan.pk})
    assert summary.status_code == 200
    assert summary.json()["plan"] == world.plan.pk


@pytest.mark.parametrize(
    ("path", "name"),
    [("/monitoring-runs/", "state"), ("/updates/", "state")],
)
def test_an_unknown_choice_is_a_400_not_ignored(world, as_manager, path, name):
    response = as_manager.get(f"{API}{path}", {name: "bogus"})
    assert response.status_code == 400
    assert "bogus" in response.json()[name][0]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"])
def test_dates_out_of_bounds_are_a_400_naming_the_parameter(world, as_viewer, day):
    summary = as_viewer.get(f"{API}/monitoring/summary/", {"plan": world.plan.pk, "as_of": day})
    assert summary.status_code == 400
    assert summary.json()["as_of"] == ["Choose a date from 1900-01-01 to 2100-12-31."]
    history = as_viewer.get(
        f"{API}/activities/{world.activity.pk}/status-history/", {"from": day, "to": day}
    )
    assert history.status_code == 400
    # Every bad parameter at once, not the first only.
    assert set(history.json()) == {"from", "to"}


def test_several_bad_parameters_are_reported_together(world, as_viewer):
    response = as_viewer.get(f"{API}/monitoring-runs/", {"plan": "²", "state": "nope"})
    assert response.status_code == 400
    assert set(response.json()) == {"plan", "state"}


def test_the_schema_documents_the_bounds(as_viewer):
    schema = as_viewer.get("/api/schema/", {"format": "json"}).json()
    params = {
        p["name"]: p for p in schema["paths"]["/api/v1/monitoring-runs/"]["get"]["parameters"]
    }
    assert params["plan"]["schema"]["minimum"] == 1
    assert params["state"]["schema"]["enum"] == ["queued", "running", "finished", "failed"]
    summary = {
        p["name"]: p for p in schema["paths"]["/api/v1/monitoring/summary/"]["get"]["parameters"]
    }
    assert summary["plan"]["required"] is True
    assert "1900-01-01 to 2100-12-31" in summary["as_of"]["description"]
