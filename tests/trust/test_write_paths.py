"""Every write path reaches what users read next: no stored figure, revision or cached response
stands between a write and the next page or API call.

Each service write is made with the clock inside the plan's period, then the activity's API
detail, the API list and the dashboard are read: they show the change, and monitoring was told
(a change run of the activity's plan re-assessed it as of today). The bulk writers' refresh,
`refresh_after_bulk_write`, is checked here too, and `import_plan`, which writes through the
services and ends with that refresh, and an edit in the Django admin (which calls the services;
tests/test_admin_writes.py covers its other writes).

The bulk writers themselves — the demo loader and the synthetic generator (devtools) — end with
that refresh, and the next read shows what they wrote, re-assessed; a run of the engine, the only
writer of assessments, shows on the next read too.

The framework records (plans, organizations, …) are written in the admin through
`partnership.services`, which store no figure and announce nothing: every page reads them live, so
the next page shows the change (a plan's title and period on the dashboard, an organization's name
on the activity page), and no run is needed or made.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from activities import services
from activities.models import Activity, ActivityParticipation, Indicator, Milestone, ProgressUpdate
from activities.plan_export import export_plan
from activities.services import ParticipationSpec
from monitoring.models import MonitoringRun
from partnership.models import Profile
from tests.admin_forms import admin_form_data
from tests.api.conftest import API, client_for
from tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    MilestoneFactory,
    OrganizationFactory,
    ParticipationFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2016, 8, 15)  # inside the factories' 2016 plan


@pytest.fixture
def world():
    interpol = OrganizationFactory(acronym="INTERPOL")
    unodc = OrganizationFactory(acronym="UNODC")
    activity = ActivityFactory(code="T-01", title="Before", start_date=dt.date(2016, 1, 1))
    ParticipationFactory(activity=activity, organization=interpol, role="lead")
    return {
        "activity": activity,
        "interpol": interpol,
        "unodc": unodc,
        "liaison": make_user(Profile.Role.LIAISON_OFFICER, organization=interpol),
        "manager": make_user(Profile.Role.MANAGER),
    }


def _update_activity(w):
    a = w["activity"]
    services.update_activity(
        actor=w["liaison"], activity=a, version=a.version, changes={"title": "After"}
    )
    return lambda detail, listed: detail["title"] == "After" and listed["title"] == "After"


def _set_participations(w):
    a = w["activity"]
    services.set_participations(
        actor=w["manager"],
        activity=a,
        version=a.version,
        participations=[
            ParticipationSpec(organization=w["interpol"], role=ActivityParticipation.Role.LEAD),
            ParticipationSpec(organization=w["unodc"], role=ActivityParticipation.Role.PARTNER),
        ],
    )
    return lambda detail, listed: len(detail["participations"]) == 2


def _designate_priority(w):
    services.designate_priority(actor=w["manager"], activity=w["activity"], year=2016, rank=1)
    return lambda detail, listed: [p["year"] for p in detail["priorities"]] == [2016]


def _add_milestone(w):
    services.add_milestone(
        actor=w["liaison"], activity=w["activity"], title="Overdue", due_date=dt.date(2016, 3, 1)
    )
    return lambda detail, listed: [m["title"] for m in detail["milestones"]] == ["Overdue"]


def _complete_milestone(w):
    milestone = MilestoneFactory(activity=w["activity"], due_date=dt.date(2016, 3, 1))
    services.complete_milestone(actor=w["liaison"], milestone=milestone, version=1)
    return lambda detail, listed: detail["milestones"][0]["completed_on"] == TODAY.isoformat()


def _add_indicator(w):
    services.add_indicator(
        actor=w["liaison"],
        activity=w["activity"],
        name="Officers trained",
        unit="officers",
        baseline=Decimal(0),
        baseline_date=dt.date(2016, 1, 1),
        target=Decimal(100),
        target_date=dt.date(2016, 12, 31),
        direction=Indicator.Direction.INCREASE,
    )
    return lambda detail, listed: [i["name"] for i in detail["indicators"]] == ["Officers trained"]


def _record_measurement(w):
    indicator = IndicatorFactory(activity=w["activity"])
    services.record_measurement(
        actor=w["liaison"], indicator=indicator, measured_on=TODAY, value=Decimal(40)
    )
    return lambda detail, listed: len(detail["indicators"][0]["measurements"]) == 1


def _approve_update(w):
    update = services.create_progress_update(
        actor=w["liaison"],
        activity=w["activity"],
        period_end=dt.date(2016, 7, 31),
        percent_complete=55,
        narrative="Done half.",
        submit=True,
    )
    services.approve_progress_update(actor=w["manager"], update=update, version=update.version)
    assert ProgressUpdate.objects.get(pk=update.pk).state == ProgressUpdate.State.APPROVED
    return lambda detail, listed: detail["current_status"]["as_of"] == TODAY.isoformat()


def _edit_in_the_admin(w):
    admin_client = Client()
    admin_client.force_login(make_user(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:activities_activity_change", args=[w["activity"].pk])
    response = admin_client.post(url, admin_form_data(admin_client, url, title="After"))
    assert response.status_code == 302
    return lambda detail, listed: detail["title"] == "After" and listed["title"] == "After"


WRITES = [
    _update_activity,
    _edit_in_the_admin,
    _set_participations,
    _designate_priority,
    _add_milestone,
    _complete_milestone,
    _add_indicator,
    _record_measurement,
    _approve_update,
]


@pytest.mark.parametrize("write", WRITES, ids=[w.__name__.lstrip("_") for w in WRITES])
def test_each_service_write_shows_on_the_next_read_and_reaches_monitoring(
    world, write, django_capture_on_commit_callbacks
):
    activity = world["activity"]
    api = client_for(world["manager"])
    assert api.get(f"{API}/activities/").status_code == 200  # a first read, before the write
    with time_machine.travel(TODAY), django_capture_on_commit_callbacks(execute=True):
        shows = write(world)

    detail = api.get(f"{API}/activities/{activity.pk}/").json()
    (listed,) = api.get(f"{API}/activities/").json()["results"]
    assert shows(detail, listed)
    run = MonitoringRun.objects.get(trigger="change")
    assert (run.plan_id, run.as_of, run.state) == (activity.matrix.plan_id, TODAY, "finished")
    assert detail["current_status"]["as_of"] == TODAY.isoformat()


def test_a_bulk_writer_ends_with_one_refresh_that_reaches_monitoring(
    world, django_capture_on_commit_callbacks
):
    activity = world["activity"]
    Milestone.objects.create(activity=activity, title="Bulk", due_date=dt.date(2016, 3, 1))
    with time_machine.travel(TODAY), django_capture_on_commit_callbacks(execute=True):
        assert (
            services.refresh_after_bulk_write(plan_ids=[activity.matrix.plan_id], reason="bulk")
            == 1
        )
    run = MonitoringRun.objects.get(trigger="change")
    assert (run.note, run.as_of, run.activities_assessed) == ("bulk", TODAY, 1)
    activity.refresh_from_db()
    assert activity.status_as_of == TODAY
    assert any(r["code"] == "milestone_overdue" for r in activity.status_reasons)


def test_an_imported_plan_shows_on_the_next_read_and_reaches_monitoring(
    world, tmp_path, django_capture_on_commit_callbacks
):
    activity = world["activity"]
    document = export_plan(plan_id=activity.matrix.plan_id)
    document["plan"]["title"] = "Imported copy"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(document))
    api = client_for(world["manager"])
    assert len(api.get(f"{API}/activities/").json()["results"]) == 1  # a first read

    with time_machine.travel(TODAY), django_capture_on_commit_callbacks(execute=True):
        call_command("import_plan", str(path), "--as", world["manager"].username)

    copy = Activity.objects.get(matrix__plan__title="Imported copy")
    listed = api.get(f"{API}/activities/").json()["results"]
    assert sorted(a["id"] for a in listed) == sorted([activity.pk, copy.pk])
    detail = api.get(f"{API}/activities/{copy.pk}/").json()
    assert detail["current_status"]["as_of"] == TODAY.isoformat()
    run = MonitoringRun.objects.get(trigger="change")
    assert (run.plan_id, run.as_of, run.note) == (copy.matrix.plan_id, TODAY, "plan imported")
    assert copy.history.get().history_user == world["manager"]


# --- the bulk writers and the engine --------------------------------------------------------------


def test_the_demo_loader_shows_on_the_next_read_and_reaches_monitoring(
    django_capture_on_commit_callbacks,
):
    api = client_for(make_user(Profile.Role.MANAGER))
    assert api.get(f"{API}/activities/").json()["count"] == 0  # a first read, before the load
    with time_machine.travel(TODAY), django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--no-monitoring", stdout=StringIO())

    listed = api.get(f"{API}/activities/").json()
    assert listed["count"] == Activity.objects.count() > 0
    assert {a["status_as_of"] for a in listed["results"]} == {TODAY.isoformat()}
    # The results chain's demo breakdowns announce their own re-assessment ("demo breakdowns").
    run = MonitoringRun.objects.get(trigger="change", note="demo data loaded")
    assert (run.note, run.as_of, run.activities_assessed) == (
        "demo data loaded",
        TODAY,
        listed["count"],
    )


def test_the_synthetic_generator_shows_on_the_next_read_and_reaches_monitoring(
    django_capture_on_commit_callbacks,
):
    from devtools.synthetic import generate_portfolio

    api = client_for(make_user(Profile.Role.MANAGER))
    assert api.get(f"{API}/activities/").json()["count"] == 0
    with time_machine.travel(TODAY), django_capture_on_commit_callbacks(execute=True):
        summary = generate_portfolio(activities=12, partnerships=1, plans_per_partnership=1)

    listed = api.get(f"{API}/activities/").json()
    assert listed["count"] == summary.activities == 12
    assert {a["status_as_of"] for a in listed["results"]} == {TODAY.isoformat()}
    run = MonitoringRun.objects.get(trigger="change")
    assert (run.note, run.activities_assessed) == ("synthetic portfolio generated", 12)


def test_a_run_of_the_engine_shows_on_the_next_read(world):
    activity = world["activity"]
    MilestoneFactory(activity=activity, title="Overdue", due_date=dt.date(2016, 3, 1))
    api = client_for(world["manager"])
    assert api.get(f"{API}/activities/{activity.pk}/").json()["current_status"]["as_of"] is None
    page = Client()
    page.force_login(world["manager"])

    call_command("run_monitoring", "--as-of", "2016-06-30", stdout=StringIO())

    status = api.get(f"{API}/activities/{activity.pk}/").json()["current_status"]
    assert status["as_of"] == "2016-06-30"
    assert "milestone_overdue" in {r["code"] for r in status["reasons"]}
    (listed,) = api.get(f"{API}/activities/").json()["results"]
    assert (listed["status"], listed["status_as_of"]) == (status["status"], "2016-06-30")
    dashboard = page.get(reverse("monitoring:dashboard"))
    assert dashboard.context["scope"].as_of == dt.date(2016, 6, 30)
    assert "Overdue" in dashboard.content.decode()


# --- the framework records, written in the admin through partnership.services ---------------------


def _admin() -> Client:
    admin_client = Client()
    admin_client.force_login(make_user(username="root", is_staff=True, is_superuser=True))
    return admin_client


def _admin_change(obj, **changes) -> None:
    admin_client = _admin()
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    response = admin_client.post(url, admin_form_data(admin_client, url, **changes))
    assert response.status_code == 302, response.status_code


def test_a_plan_renamed_in_the_admin_shows_on_the_next_dashboard_and_plan_pages(world):
    plan = world["activity"].matrix.plan
    page = Client()
    page.force_login(world["manager"])
    assert "Renamed plan" not in page.get(reverse("monitoring:dashboard")).content.decode()

    _admin_change(plan, title="Renamed plan")

    for name in ("monitoring:dashboard", "monitoring:matrix", "monitoring:priorities"):
        shown = page.get(reverse(name), {"plan": plan.pk}).content.decode()
        assert "Renamed plan" in shown, name
    assert not MonitoringRun.objects.exists()  # no figure depends on a title


def test_a_plan_period_changed_in_the_admin_moves_the_next_dashboards_date(world):
    plan = world["activity"].matrix.plan
    for as_of in ("2016-03-31", "2016-09-30"):
        call_command("run_monitoring", "--plan", str(plan.pk), "--as-of", as_of, stdout=StringIO())
    page = Client()
    page.force_login(world["manager"])
    assert page.get(reverse("monitoring:dashboard")).context["scope"].as_of == dt.date(2016, 9, 30)

    _admin_change(plan, period_end="2016-06-30")

    # The dashboard opens on the latest date inside the new period; a run request is bounded by it.
    assert page.get(reverse("monitoring:dashboard")).context["scope"].as_of == dt.date(2016, 3, 31)
    refused = page.post(reverse("monitoring:run-request"), {"plan": plan.pk, "as_of": "2016-09-30"})
    assert refused.status_code == 400  # the form again, with the period's bounds
    assert "2016-06-30" in refused.content.decode()
    assert MonitoringRun.objects.count() == 2


def test_an_organization_renamed_in_the_admin_shows_on_the_next_activity_page(world):
    activity = world["activity"]
    page = Client()
    page.force_login(world["manager"])
    url = reverse("activities:detail", args=[activity.pk])
    assert (
        'title="International Criminal Police Organization"' not in page.get(url).content.decode()
    )

    _admin_change(world["interpol"], name="International Criminal Police Organization")

    assert 'title="International Criminal Police Organization"' in page.get(url).content.decode()
    api = client_for(world["manager"])
    detail = api.get(f"{API}/activities/{activity.pk}/").json()
    assert "International Criminal Police Organization" in json.dumps(detail)
