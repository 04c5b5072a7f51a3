"""The frozen-clock test: the machine's clock ten years after the demo plan (2026-12-04), a
manager approves an update, completes a milestone and asks for runs from the page, the API and
the command. The dashboard everyone opens must stay on 2016-12-31 with the same figures: nobody
changed a fact of 2016, so nothing of 2016 may move, and nothing may be assessed in 2026."""

import datetime as dt
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from activities.models import Activity, Milestone, ProgressUpdate
from monitoring.models import Assessment, MonitoringRun
from partnership.models import JointActionPlan
from tests.api.conftest import API, client_for
from tests.monitoring.test_dashboard_pages import area_table_on_page, counts_on_page

pytestmark = pytest.mark.django_db

TEN_YEARS_ON = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)
# The demo plan runs 2016-2018 (its end is illustrative); its monitoring replays 2016.
REFUSED = (
    "Choose a date from 1 Jan 2016 to 31 Dec 2018, the plan's period (4 Dec 2026 is outside it)."
)


@pytest.fixture
def clock():
    with time_machine.travel(TEN_YEARS_ON, tick=False):
        yield


@pytest.fixture
def demo(clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    return JointActionPlan.objects.get(title="INTERPOL–UNODC Joint Action Plan")


def dashboard(client) -> dict:
    """What a manager opening the dashboard sees: its date, the counts, the areas, the run form's
    date."""
    response = client.get(reverse("monitoring:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    return {
        "as_of": re.search(r'<strong id="as-of">([\d-]+)</strong>', html).group(1),
        "counts": counts_on_page(html),
        "areas": area_table_on_page(html),
        "run_form": re.search(r'name="as_of" value="([\d-]+)"', html).group(1),
    }


def nothing_outside_the_period(plan) -> None:
    inside = {"as_of__gte": plan.period_start, "as_of__lte": plan.period_end}
    assert not Assessment.objects.exclude(**inside).exists()
    assert not MonitoringRun.objects.exclude(**inside).exists()
    assert not Activity.objects.exclude(
        status_as_of__gte=plan.period_start, status_as_of__lte=plan.period_end
    ).exists()


def test_ten_years_on_no_change_and_no_request_moves_the_dashboard_out_of_2016(
    demo, client, django_capture_on_commit_callbacks
):
    from django.contrib.auth import get_user_model

    manager = get_user_model().objects.get(username="manager")
    client.force_login(manager)
    before = dashboard(client)
    assert before["as_of"] == "2016-12-31"
    assert before["run_form"] == "2016-12-31"  # not the real today, not refused on submit
    assert sum(before["counts"].values()) > 0

    # An approval in the review queue, as the manager makes it.
    changes = MonitoringRun.objects.filter(trigger=MonitoringRun.Trigger.CHANGE)
    loaded = set(changes.values_list("pk", flat=True))  # the load's own, if any
    update = ProgressUpdate.objects.filter(state=ProgressUpdate.State.SUBMITTED).first()
    assert update is not None, "the demo leaves updates to review"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("activities:approve", args=[update.pk]),
            {f"a{update.pk}-version": update.version, f"a{update.pk}-note": ""},
        )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.APPROVED
    reassessed = changes.exclude(pk__in=loaded).get()
    assert reassessed.as_of == dt.date(2016, 12, 31)  # the plan's latest date, not 2026-12-04
    assert reassessed.state == MonitoringRun.State.FINISHED
    assert dashboard(client) == before

    # A milestone completed today (the form's default when left empty).
    milestone = Milestone.objects.filter(completed_on__isnull=True).first()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("activities:milestone-complete", args=[milestone.activity_id, milestone.pk]),
            {"version": milestone.version, "completed_on": ""},
        )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.completed_on == dt.date(2026, 12, 4)
    completed = changes.exclude(pk__in=loaded | {reassessed.pk}).get()
    assert (completed.as_of, completed.state) == (dt.date(2016, 12, 31), "finished")
    assert dashboard(client) == before

    # The page: the real today is refused with the message; the date it offers is taken.
    run_request = reverse("monitoring:run-request")
    refused = client.post(run_request, {"plan": demo.pk, "as_of": "2026-12-04"})
    assert refused.status_code == 400
    assert REFUSED.replace("'", "&#x27;") in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(run_request, {"plan": demo.pk, "as_of": before["run_form"]})
    assert accepted.status_code == 302
    assert dashboard(client) == before

    # The API: the same message on the field, with or without the date given.
    api = client_for(manager)
    for body in ({"plan": demo.pk, "as_of": "2026-12-04"}, {"plan": demo.pk}):
        response = api.post(f"{API}/monitoring-runs/", body, format="json")
        assert (response.status_code, response.json()) == (400, {"as_of": [REFUSED]})
    response = api.post(f"{API}/monitoring-runs/", {"plan": None}, format="json")
    assert response.status_code == 400
    assert response.json()["as_of"][0].startswith("No plan is monitored on 4 Dec 2026")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"{API}/monitoring-runs/", {"plan": demo.pk, "as_of": "2016-12-31"}, format="json"
        )
    assert response.status_code == 202
    assert dashboard(client) == before

    # The command, and beat.
    with pytest.raises(CommandError, match=re.escape(REFUSED)):
        call_command("run_monitoring", "--plan", str(demo.pk), "--as-of", "2026-12-04")
    with pytest.raises(CommandError, match="No plan is monitored on 4 Dec 2026"):
        call_command("run_monitoring", "--as-of", "2026-12-04")
    from monitoring import services

    assert services.start_daily_runs() == []
    call_command(
        "run_monitoring", "--plan", str(demo.pk), "--as-of", "2016-12-31", stdout=StringIO()
    )
    assert dashboard(client) == before

    nothing_outside_the_period(demo)
    summary = api.get(f"{API}/monitoring/summary/", {"plan": demo.pk, "as_of": "2016-12-31"})
    assert summary.json()["all_activities"]["counts"] == {
        status: before["counts"].get(status, 0)
        for status in summary.json()["all_activities"]["counts"]
    }


def test_a_change_inside_the_period_moves_the_figures_only_inside_it(
    clock, django_capture_on_commit_callbacks
):
    """With today inside the plan's period, a change re-assesses on today, which is inside it."""
    from tests.factories import ActivityFactory, MatrixFactory, MilestoneFactory, PlanFactory

    plan = PlanFactory(period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31))
    activity = ActivityFactory(matrix=MatrixFactory(plan=plan))
    milestone = MilestoneFactory(activity=activity, due_date=dt.date(2026, 6, 1))
    from activities import services as activity_services
    from tests.factories import make_user

    with django_capture_on_commit_callbacks(execute=True):
        activity_services.complete_milestone(
            actor=make_user(role="manager"), milestone=milestone, version=milestone.version
        )
    activity.refresh_from_db()
    assert activity.status_as_of == dt.date(2026, 12, 4)
    nothing_outside_the_period(plan)
