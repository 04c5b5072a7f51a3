"""The admin writes only through the activities services: an edit is versioned, recorded under the
admin user and announced to monitoring; a refusal shows on the form (200), never as a 500; the
progress-update workflow (and records no service writes) cannot be changed here at all."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from activities.models import (
    Activity,
    ActivityParticipation,
    Indicator,
    Measurement,
    Milestone,
    ProgressUpdate,
)
from monitoring.models import MonitoringRun, StatusOverride
from tests.admin_forms import admin_form_data, form_errors
from tests.factories import (
    ActivityFactory,
    FundingFactory,
    IndicatorFactory,
    MilestoneFactory,
    OrganizationFactory,
    ParticipationFactory,
    ProgressUpdateFactory,
    StatusOverrideFactory,
    TopicFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2016, 8, 15)  # inside the factories' 2016 plan


@pytest.fixture
def root(client):
    user = make_user(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def activity():
    activity = ActivityFactory(code="T-01", title="Before")
    ParticipationFactory(activity=activity, organization=OrganizationFactory(acronym="INTERPOL"))
    return activity


def _change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _add_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def _change_runs() -> list[tuple[int, dt.date, str]]:
    return list(
        MonitoringRun.objects.filter(trigger="change").values_list("plan", "as_of", "state")
    )


# --- progress updates: the approval workflow is not the admin's -----------------------------------


def test_a_post_changing_a_progress_updates_state_is_refused(client, root, activity):
    update = ProgressUpdateFactory(activity=activity, state=ProgressUpdate.State.DRAFT)
    url = _change_url(update)
    assert client.get(url).status_code == 200  # it can be read
    response = client.post(
        url,
        {
            "activity": activity.pk,
            "period_end": "2016-06-30",
            "percent_complete": 50,
            "narrative": "Work proceeds as planned.",
            "author": update.author_id,
            "state": ProgressUpdate.State.APPROVED,
            "reviewer": root.pk,
            "reviewed_at_0": "2016-07-01",
            "reviewed_at_1": "10:00:00",
        },
    )
    assert response.status_code == 403
    update.refresh_from_db()
    assert (update.state, update.reviewer_id, update.version) == ("draft", None, 1)


def test_progress_updates_cannot_be_added_deleted_or_reverted_in_the_admin(client, root, activity):
    update = ProgressUpdateFactory(activity=activity)
    assert client.post(_add_url(ProgressUpdate), {"activity": activity.pk}).status_code == 403
    delete = reverse("admin:activities_progressupdate_delete", args=[update.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    # django-simple-history's revert form would save with a plain save(), even here.
    version_id = update.history.order_by("-history_id").first().history_id
    revert = reverse("admin:activities_progressupdate_simple_history", args=[update.pk, version_id])
    assert client.post(revert, {"state": "approved"}).status_code == 403
    assert ProgressUpdate.objects.filter(pk=update.pk, state="draft").exists()


@pytest.mark.parametrize(
    "make",
    [
        lambda a: FundingFactory(activity=a),
        lambda a: IndicatorFactory(activity=a),
        lambda a: TopicFactory(),
    ],
    ids=["funding", "indicator", "topic"],
)
def test_records_that_no_service_edits_are_read_only(client, root, activity, make):
    obj = make(activity)
    response = client.get(_change_url(obj))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert client.post(_change_url(obj), {}).status_code == 403


def test_no_bulk_delete_bypasses_the_services(client, root, activity):
    for model in (Activity, ActivityParticipation, Milestone):
        url = reverse(f"admin:activities_{model._meta.model_name}_changelist")
        action_form = client.get(url).context["action_form"]  # None: no action at all
        actions = dict(action_form.fields["action"].choices) if action_form else {}
        assert "delete_selected" not in actions


# --- activities -----------------------------------------------------------------------------------


def test_editing_an_activity_goes_through_the_service(
    client, root, activity, django_capture_on_commit_callbacks
):
    url = _change_url(activity)
    data = admin_form_data(client, url, title="After", budget_required="250000.00")
    assert data["expected_version"] == 1
    with time_machine.travel(TODAY), django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, form_errors(response)

    activity.refresh_from_db()
    assert (activity.title, activity.budget_required) == ("After", Decimal("250000.00"))
    assert activity.version == 2  # a plain ModelAdmin save leaves the version alone
    latest = activity.history.order_by("-history_id").first()
    assert (latest.title, latest.history_user) == ("After", root)
    # Announced: monitoring re-assessed the activity as of today, after the commit.
    assert _change_runs() == [(activity.matrix.plan_id, TODAY, "finished")]
    assert activity.status_as_of == TODAY
    # The participations shown read-only were left as they were.
    assert list(activity.participations.values_list("role", flat=True)) == ["lead"]


def test_an_activity_edit_that_breaks_a_rule_answers_a_form_error(client, root, activity):
    url = _change_url(activity)
    data = admin_form_data(client, url, title="After", end_date="2015-12-31")
    response = client.post(url, data)
    assert response.status_code == 200
    assert any("end date" in message.lower() for message in form_errors(response))
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Before", 1)


def test_an_activity_edit_from_a_stale_version_answers_a_form_error(client, root, activity):
    url = _change_url(activity)
    data = admin_form_data(client, url, title="Mine")
    Activity.objects.filter(pk=activity.pk).update(title="Theirs", version=2)  # someone else
    response = client.post(url, data)
    assert response.status_code == 200
    assert any("changed by someone else" in message for message in form_errors(response))
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Theirs", 2)


def test_a_duplicate_code_found_by_the_service_answers_a_form_error(client, root, activity):
    other = ActivityFactory(matrix=activity.matrix, code="T-02")
    url = _change_url(other)
    response = client.post(url, admin_form_data(client, url, code="T-01"))
    assert response.status_code == 200
    assert form_errors(response)
    assert Activity.objects.get(pk=other.pk).code == "T-02"


def test_adding_an_activity_goes_through_the_service(
    client, root, activity, django_capture_on_commit_callbacks
):
    lead, partner = OrganizationFactory(acronym="UNODC"), OrganizationFactory(acronym="WCO")
    data = {
        "matrix": activity.matrix_id,
        "code": "T-09",
        "title": "New",
        "thematic_area": activity.thematic_area_id,
        "cooperation_type": "joint",
        "horizon": "current",
        "lifecycle": "pipeline",
        "budget_required": "0",
        "currency": "USD",
        "lead_organization": lead.pk,
        "partners": [partner.pk],
    }
    with time_machine.travel(TODAY), django_capture_on_commit_callbacks(execute=True):
        response = client.post(_add_url(Activity), data)
    assert response.status_code == 302, form_errors(response)
    created = Activity.objects.get(code="T-09")
    roles = dict(created.participations.values_list("organization__acronym", "role"))
    assert roles == {"UNODC": "lead", "WCO": "partner"}
    assert created.history.order_by("-history_id").first().history_user == root
    assert _change_runs() == [(activity.matrix.plan_id, TODAY, "finished")]


def test_adding_an_activity_the_service_refuses_answers_a_form_error(client, root, activity):
    lead = OrganizationFactory(acronym="UNODC")
    data = {
        "matrix": activity.matrix_id,
        "code": "T-09",
        "title": "New",
        "thematic_area": activity.thematic_area_id,
        "cooperation_type": "joint",
        "horizon": "current",
        "lifecycle": "pipeline",
        "budget_required": "0",
        "currency": "USD",
        "lead_organization": lead.pk,
        "partners": [lead.pk],  # the lead again: only the participation rules catch it
    }
    response = client.post(_add_url(Activity), data)
    assert response.status_code == 200
    assert any("more than once" in message for message in form_errors(response))
    assert not Activity.objects.filter(code="T-09").exists()


# --- what hangs off an activity -------------------------------------------------------------------


def test_completing_a_milestone_in_the_admin_is_versioned_and_reassessed(
    client, root, activity, django_capture_on_commit_callbacks
):
    milestone = MilestoneFactory(activity=activity, due_date=dt.date(2016, 3, 1))
    url = _change_url(milestone)
    data = admin_form_data(client, url, completed_on="2016-08-01")
    with time_machine.travel(TODAY), django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, form_errors(response)
    milestone.refresh_from_db()
    assert (milestone.completed_on, milestone.version) == (dt.date(2016, 8, 1), 2)
    assert milestone.history.order_by("-history_id").first().history_user == root
    assert _change_runs() == [(activity.matrix.plan_id, TODAY, "finished")]


def test_adding_a_partner_rewrites_the_participations_through_the_service(client, root, activity):
    partner = OrganizationFactory(acronym="UNODC")
    response = client.post(
        _add_url(ActivityParticipation),
        {"activity": activity.pk, "organization": partner.pk, "role": "partner"},
    )
    assert response.status_code == 302, form_errors(response)
    activity.refresh_from_db()
    assert activity.version == 2  # participations are part of the activity's record
    assert activity.participations.count() == 2


def test_a_second_lead_answers_a_form_error(client, root, activity):
    response = client.post(
        _add_url(ActivityParticipation),
        {"activity": activity.pk, "organization": OrganizationFactory().pk, "role": "lead"},
    )
    assert response.status_code == 200
    assert form_errors(response)
    assert activity.participations.count() == 1


def test_deleting_the_lead_is_refused_with_a_message(client, root, activity):
    lead = activity.participations.get()
    ParticipationFactory(activity=activity, role="partner")
    delete = reverse("admin:activities_activityparticipation_delete", args=[lead.pk])
    response = client.post(delete, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any("exactly one lead" in message for message in shown), shown
    assert ActivityParticipation.objects.filter(pk=lead.pk).exists()


def test_deleting_a_partner_goes_through_the_service(client, root, activity):
    partner = ParticipationFactory(activity=activity, role="partner")
    delete = reverse("admin:activities_activityparticipation_delete", args=[partner.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not ActivityParticipation.objects.filter(pk=partner.pk).exists()
    activity.refresh_from_db()
    assert activity.version == 2


def test_a_measurement_recorded_in_the_admin_names_its_recorder(
    client, root, activity, django_capture_on_commit_callbacks
):
    indicator = IndicatorFactory(activity=activity)
    data = {"indicator": indicator.pk, "measured_on": "2016-08-01", "value": "40", "note": ""}
    with time_machine.travel(TODAY), django_capture_on_commit_callbacks(execute=True):
        response = client.post(_add_url(Measurement), data)
    assert response.status_code == 302, form_errors(response)
    assert Measurement.objects.get(indicator=indicator).recorded_by == root
    assert _change_runs() == [(activity.matrix.plan_id, TODAY, "finished")]
    again = client.post(_add_url(Measurement), data)
    assert again.status_code == 200
    assert form_errors(again)


def test_an_indicator_the_service_refuses_answers_a_form_error(client, root, activity):
    data = {
        "activity": activity.pk,
        "name": "Officers trained",
        "unit": "officers",
        "kind": "number",  # the admin form's default choice, as a browser posts it
        "baseline": "100",
        "baseline_date": "2016-01-01",
        "target": "50",  # below the baseline of an increasing indicator
        "target_date": "2016-12-31",
        "direction": "increase",
    }
    response = client.post(_add_url(Indicator), data)
    assert response.status_code == 200
    assert any("target must exceed" in message for message in form_errors(response))
    assert not Indicator.objects.exists()


# --- status overrides (monitoring) ----------------------------------------------------------------


def test_an_override_set_in_the_admin_goes_through_the_service_and_is_reassessed(
    client, root, activity, django_capture_on_commit_callbacks
):
    data = {
        "activity": activity.pk,
        "status": "at_risk",
        "reason": "Partner funding withdrawn",
        "set_on": "2016-08-01",
        "expires_on": "",
    }
    with time_machine.travel(TODAY), django_capture_on_commit_callbacks(execute=True):
        response = client.post(_add_url(StatusOverride), data)
    assert response.status_code == 302, form_errors(response)
    override = StatusOverride.objects.get(activity=activity)
    assert (override.set_by, override.history.get().history_user) == (root, root)
    assert _change_runs() == [(activity.matrix.plan_id, TODAY, "finished")]
    activity.refresh_from_db()
    assert activity.status == "at_risk"


def test_an_override_the_service_refuses_answers_a_form_error(client, root, activity):
    data = {
        "activity": activity.pk,
        "status": "at_risk",
        "reason": "Partner funding withdrawn",
        "set_on": "2016-08-01",
        "expires_on": "2016-07-01",
    }
    response = client.post(_add_url(StatusOverride), data)
    assert response.status_code == 200
    assert any("expire after" in message for message in form_errors(response))
    assert not StatusOverride.objects.exists()


def test_an_override_is_neither_rewritten_nor_deleted_in_the_admin(client, root, activity):
    override = StatusOverrideFactory(activity=activity)
    assert client.post(_change_url(override), {"status": "on_track"}).status_code == 403
    delete = reverse("admin:monitoring_statusoverride_delete", args=[override.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = client.get(reverse("admin:monitoring_statusoverride_changelist"))
    assert "delete_selected" not in dict(changelist.context["action_form"].fields["action"].choices)
    assert StatusOverride.objects.filter(pk=override.pk).exists()
