"""The pages parse their parameters strictly: `²` (passes isdigit(), fails int()) and dates out of
bounds (9999-12-31 overflowed `as_of + 1 day`) answer a named error or a 400, never a 500."""

import datetime as dt

import pytest

from partnership.models import Profile
from tests.factories import (
    ActivityFactory,
    MatrixFactory,
    PlanFactory,
    PriorityFactory,
    assess,
    make_user,
)

pytestmark = pytest.mark.django_db

BOUNDS = "Choose a date from 1900-01-01 to 2100-12-31."
DASHBOARDS = ["/dashboard/", "/dashboard/priorities/", "/dashboard/funding/", "/dashboard/sdg/"]
DASHBOARDS += ["/reports/monitoring/"]


@pytest.fixture
def plan():
    plan = PlanFactory(title="Joint Action Plan 2016")
    activity = ActivityFactory(matrix=MatrixFactory(plan=plan))
    PriorityFactory(activity=activity, year=2016)
    assess(activity, dt.date(2016, 6, 30), "on_track")
    return plan


@pytest.fixture
def manager(client):
    client.force_login(make_user(Profile.Role.MANAGER, username="boss"))
    return client


@pytest.mark.parametrize("path", DASHBOARDS)
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_dashboard_date_out_of_bounds_is_named_and_left_out(manager, plan, path, day):
    response = manager.get(path, {"plan": plan.pk, "as_of": day})
    assert response.status_code == 200
    html = response.content.decode()
    assert "were not understood" in html
    assert f"as_of: {BOUNDS}" in html


@pytest.mark.parametrize("path", DASHBOARDS)
def test_a_superscript_plan_id_is_named_and_left_out(manager, plan, path):
    response = manager.get(path, {"plan": "²"})
    assert response.status_code == 200
    assert "plan: Give the id as a whole number." in response.content.decode()


def test_the_matrix_page_names_a_bad_edition(manager, plan):
    response = manager.get("/matrix/", {"plan": plan.pk, "edition": "²"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "were not understood" in html and "edition:" in html
    assert "Joint Action Plan 2016" in html  # the valid plan still applies


@pytest.mark.parametrize("path", ["/exports/activities.csv", "/exports/activities.xlsx"])
@pytest.mark.parametrize("bad", ["²", "abc", "0"])
def test_an_export_with_a_bad_plan_is_a_400_not_every_plan(manager, plan, path, bad):
    response = manager.get(path, {"plan": bad})
    assert response.status_code == 400
    assert "plan:" in response.content.decode()


def test_a_run_request_for_a_superscript_plan_is_not_found(manager, plan):
    response = manager.post("/monitoring/runs/request/", {"plan": "²", "as_of": "2016-06-30"})
    assert response.status_code == 404


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_run_request_out_of_bounds_is_a_form_error(manager, plan, day):
    response = manager.post("/monitoring/runs/request/", {"plan": plan.pk, "as_of": day})
    assert response.status_code == 400
    assert "Choose a date from" in response.content.decode()


@pytest.fixture
def editable():
    from tests.factories import liaison_for

    activity = ActivityFactory()
    return activity, liaison_for(activity, username="liaison")


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_page_forms_refuse_dates_out_of_bounds_beside_the_field(client, editable, day):
    from activities.models import Milestone, ProgressUpdate

    activity, liaison = editable
    client.force_login(liaison)
    forms = [
        (
            f"/activities/{activity.pk}/updates/new/",
            {"period_end": day, "percent_complete": "5", "narrative": "n", "action": "submit"},
        ),
        (f"/activities/{activity.pk}/milestones/new/", {"title": "x", "due_date": day}),
        (
            f"/activities/{activity.pk}/edit/",
            {
                "version": activity.version,
                "title": activity.title,
                "thematic_area": activity.thematic_area_id,
                "cooperation_type": activity.cooperation_type,
                "horizon": activity.horizon,
                "lifecycle": activity.lifecycle,
                "start_date": day,
                "budget_required": "0",
                "currency": "USD",
            },
        ),
    ]
    for url, data in forms:
        response = client.post(url, data)
        assert response.status_code in (200, 400), (url, response.status_code)
        assert BOUNDS in response.content.decode(), url
    assert not ProgressUpdate.objects.exists()
    assert not Milestone.objects.exists()
    activity.refresh_from_db()
    assert activity.start_date != dt.date.fromisoformat(day)
