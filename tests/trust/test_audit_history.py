"""The audit trail: every audited model records who changed what, and the activity's history
endpoint (`GET /api/v1/activities/{id}/history/`) shows it for the activity and all under it.

Changes are made the way people make them: through the API with a token, through the services
with an actor (what the pages call), and through the admin for the framework records."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache

from activities import services
from activities.models import Activity, ActivityParticipation
from partnership.models import ActivityMatrix, Agreement, JointActionPlan, Profile
from results import services as results_services
from results.models import Result
from tests.admin_forms import admin_form_data
from tests.api.conftest import API, client_for
from tests.factories import (
    ActivityFactory,
    AgreementFactory,
    FundingFactory,
    IndicatorFactory,
    MatrixFactory,
    MilestoneFactory,
    OrganizationFactory,
    ParticipationFactory,
    PartnershipFactory,
    PlanFactory,
    make_user,
    partner_viewer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


@pytest.fixture
def interpol():
    return OrganizationFactory(acronym="INTERPOL")


@pytest.fixture
def activity(interpol):
    activity = ActivityFactory(code="T-01", title="Foreign terrorist fighters")
    ParticipationFactory(
        activity=activity, organization=interpol, role=ActivityParticipation.Role.LEAD
    )
    return activity


@pytest.fixture
def liaison(interpol):
    return make_user(Profile.Role.LIAISON_OFFICER, organization=interpol, username="amina")


@pytest.fixture
def manager():
    return make_user(Profile.Role.MANAGER, username="maria")


def history_of(activity, user) -> list[dict]:
    response = client_for(user).get(f"{API}/activities/{activity.pk}/history/?page_size=200")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def entry_for(entries, model: str, object_id: int, change_type: str) -> dict:
    found = [
        e
        for e in entries
        if (e["model"], e["object_id"], e["change_type"]) == (model, object_id, change_type)
    ]
    assert found, f"no {change_type} {model} #{object_id} in {entries}"
    return found[0]


# --- each audited model under an activity records its author; the endpoint shows it ----------


def test_an_activity_edit_through_the_api_names_its_author_and_each_field(activity, liaison):
    response = client_for(liaison).patch(
        f"{API}/activities/{activity.pk}/",
        {"title": "FTF travel routes", "end_date": "2017-06-30"},
        format="json",
        HTTP_IF_MATCH='"v1"',
    )
    assert response.status_code == 200, response.content
    entry = entry_for(history_of(activity, liaison), "activity", activity.pk, "changed")
    assert entry["who"] == "amina"
    assert {(c["field"], c["old"], c["new"]) for c in entry["changes"]} == {
        ("title", "Foreign terrorist fighters", "FTF travel routes"),
        ("end_date", "2016-12-31", "2017-06-30"),
    }


def test_a_milestone_added_through_the_api_names_its_author(activity, liaison):
    response = client_for(liaison).post(
        f"{API}/activities/{activity.pk}/milestones/",
        {"title": "Regional workshop", "due_date": "2016-05-01"},
        format="json",
    )
    assert response.status_code == 201, response.content
    entry = entry_for(history_of(activity, liaison), "milestone", response.json()["id"], "created")
    assert (entry["who"], entry["subject"], entry["changes"]) == ("amina", "Regional workshop", [])


def test_a_measurement_recorded_through_the_api_names_its_author(activity, liaison):
    indicator = IndicatorFactory(activity=activity, name="Officers trained")
    response = client_for(liaison).post(
        f"{API}/indicators/{indicator.pk}/measurements/",
        {"measured_on": "2016-06-30", "value": "40"},
        format="json",
    )
    assert response.status_code == 201, response.content
    entry = entry_for(
        history_of(activity, liaison), "measurement", response.json()["id"], "created"
    )
    assert entry["who"] == "amina"


def test_progress_updates_record_author_and_reviewer_at_each_step(activity, liaison, manager):
    update = services.create_progress_update(
        actor=liaison,
        activity=activity,
        period_end=dt.date(2016, 6, 30),
        percent_complete=40,
        narrative="Two workshops held.",
    )
    services.submit_progress_update(actor=liaison, update=update, version=1)
    services.approve_progress_update(actor=manager, update=update, version=2)
    entries = [
        e for e in history_of(activity, manager) if e["model"] == "progressupdate"
    ]  # newest first
    assert [(e["change_type"], e["who"]) for e in entries] == [
        ("changed", "maria"),
        ("changed", "amina"),
        ("created", "amina"),
    ]
    approval = {c["field"]: c["new"] for c in entries[0]["changes"]}
    assert approval["state"] == "Approved"
    assert approval["reviewer"] == "maria"


def test_participations_priorities_and_indicators_record_their_author(activity, liaison, manager):
    unodc = OrganizationFactory(acronym="UNODC")
    participations = services.set_participations(
        actor=liaison,
        activity=activity,
        version=1,
        participations=[
            services.ParticipationSpec(
                organization=activity.participations.get().organization, role="lead"
            ),
            services.ParticipationSpec(organization=unodc, role="partner"),
        ],
    )
    priority = services.designate_priority(actor=manager, activity=activity, year=2016, rank=1)
    indicator = services.add_indicator(
        actor=liaison,
        activity=activity,
        name="Cases referred",
        unit="cases",
        baseline=Decimal("0"),
        baseline_date=dt.date(2016, 1, 1),
        target=Decimal("20"),
        target_date=dt.date(2016, 12, 31),
        direction="increase",
    )
    entries = history_of(activity, liaison)
    unodc_participation = next(p for p in participations if p.organization_id == unodc.pk)
    participation = entry_for(entries, "activityparticipation", unodc_participation.pk, "created")
    assert (participation["who"], participation["subject"]) == ("amina", "UNODC")
    assert entry_for(entries, "prioritydesignation", priority.pk, "created")["who"] == "maria"
    assert entry_for(entries, "indicator", indicator.pk, "created")["who"] == "amina"


def test_a_status_override_set_through_the_api_names_the_manager(activity, manager):
    response = client_for(manager).post(
        f"{API}/activities/{activity.pk}/status-overrides/",
        {"status": "at_risk", "reason": "Security situation in the host country."},
        format="json",
    )
    assert response.status_code == 201, response.content
    entry = entry_for(
        history_of(activity, manager), "statusoverride", response.json()["id"], "created"
    )
    assert entry["who"] == "maria"


def test_a_contribution_to_the_results_chain_changed_through_the_api_names_the_manager(
    activity, manager
):
    plan = activity.matrix.plan
    objective = results_services.create_result(
        actor=None, plan=plan, level="objective", code="1", title="Objective"
    )
    outcome = results_services.create_result(
        actor=None, plan=plan, parent=objective, level="outcome", code="1.1", title="Outcome"
    )
    output = results_services.create_result(
        actor=None, plan=plan, parent=outcome, level="output", code="1.1.1", title="Trained"
    )
    api = client_for(manager)
    added = api.post(
        f"{API}/results/{output.pk}/contributions/",
        {"activity": activity.pk, "share": "30"},
        format="json",
    )
    assert added.status_code == 201, added.content
    changed = api.patch(
        f"{API}/contributions/{added.json()['id']}/", {"share": "40", "version": 1}, format="json"
    )
    assert changed.status_code == 200, changed.content
    entries = history_of(activity, manager)
    entry = entry_for(entries, "contribution", added.json()["id"], "changed")
    assert (entry["who"], entry["subject"]) == ("maria", "contribution to output 1.1.1 Trained")
    assert [(c["field"], c["old"], c["new"]) for c in entry["changes"]] == [
        ("share", "30.00", "40.00")
    ]


def test_a_milestone_changed_in_the_admin_names_the_administrator(client, activity):
    """The admin saves through the services (funding has no service yet, so it is read-only
    there); the service records the administrator, as for any other actor."""
    admin = make_user(Profile.Role.ADMIN, username="root", is_staff=True, is_superuser=True)
    milestone = MilestoneFactory(activity=activity, title="Workshop", weight=1)
    client.force_login(admin)
    url = f"/admin/activities/milestone/{milestone.pk}/change/"
    response = client.post(url, admin_form_data(client, url, title="Regional workshop", weight=3))
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = entry_for(history_of(activity, admin), "milestone", milestone.pk, "changed")
    assert entry["who"] == "root"
    changes = {c["field"]: (c["old"], c["new"]) for c in entry["changes"]}
    assert (changes["title"], changes["weight"]) == (("Workshop", "Regional workshop"), ("1", "3"))


# --- the framework records above the activity: agreements, plans, matrices ------------------


@pytest.fixture
def admin_client(client):
    admin = make_user(Profile.Role.ADMIN, username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_agreements_plans_and_matrices_edited_in_the_admin_record_their_author(admin_client):
    agreement = AgreementFactory(title="Legal Agreement")
    plan = PlanFactory(agreement=agreement, partnership=PartnershipFactory())
    matrix = MatrixFactory(plan=plan)

    response = admin_client.post(
        f"/admin/partnership/agreement/{agreement.pk}/change/",
        {
            "kind": agreement.kind,
            "title": "Legal Agreement (amended)",
            "signed_on": agreement.signed_on.isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = admin_client.post(
        f"/admin/partnership/jointactionplan/{plan.pk}/change/",
        {
            "partnership": plan.partnership_id,
            "agreement": agreement.pk,
            "title": plan.title,
            "period_start": plan.period_start.isoformat(),
            "period_end": plan.period_end.isoformat(),
            "state": JointActionPlan.State.CLOSED,
            "matrices-TOTAL_FORMS": "0",
            "matrices-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = admin_client.post(
        f"/admin/partnership/activitymatrix/{matrix.pk}/change/",
        {"plan": plan.pk, "edition": 2, "adopted_on": "2016-02-01", "notes": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    for model, pk, field, new in (
        (Agreement, agreement.pk, "title", "Legal Agreement (amended)"),
        (JointActionPlan, plan.pk, "state", JointActionPlan.State.CLOSED),
        (ActivityMatrix, matrix.pk, "edition", 2),
    ):
        latest = model.history.filter(id=pk).latest("history_date")
        assert latest.history_type == "~"
        assert latest.history_user.username == "root"
        assert getattr(latest, field) == new
        assert getattr(latest.prev_record, field) != new


def test_the_activity_model_itself_is_audited_without_the_engine_written_status():
    """The engine writes status fields many times a day; they are kept as assessments, not
    audit rows, so they are left out of the activity's audit table."""
    audited = {f.name for f in Activity.history.model._meta.fields}
    assert {"title", "lifecycle", "budget_required"} <= audited
    assert not {"status", "status_as_of", "status_reasons"} & audited


# --- the endpoint -----------------------------------------------------------------------------


def test_deleted_records_still_show_with_who_deleted_them(admin_client, activity):
    partner = ParticipationFactory(
        activity=activity, organization=OrganizationFactory(acronym="WCO"), role="partner"
    )
    response = admin_client.post(
        f"/admin/activities/activityparticipation/{partner.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    # Staff of a partner (the history names every field group: the partners tier's readers).
    reader = partner_viewer(activity, username="reader")
    entry = entry_for(history_of(activity, reader), "activityparticipation", partner.pk, "deleted")
    assert (entry["who"], entry["subject"]) == ("root", "WCO")


def test_the_history_is_newest_first_and_paginated(activity, liaison):
    for n in range(3):
        services.add_milestone(
            actor=liaison, activity=activity, title=f"M{n}", due_date=dt.date(2016, 5, n + 1)
        )
    response = client_for(liaison).get(f"{API}/activities/{activity.pk}/history/?page_size=2")
    body = response.json()
    # The activity and its participation (factory-made, "system"), then three milestones.
    assert body["count"] == 5
    assert [e["subject"] for e in body["results"]] == ["M2", "M1"]
    assert body["next"]
    assert set(body["results"][0]) == {
        "when",
        "who",
        "model",
        "object_id",
        "subject",
        "change_type",
        "changes",
    }
    later = client_for(liaison).get(body["next"]).json()["results"]
    assert [e["subject"] for e in later] == ["M0", "INTERPOL"]


def test_the_history_reads_a_constant_number_of_queries(
    activity, liaison, django_assert_num_queries
):
    """The token with its user (authentication: 1); the caller's profile (1); the activity exists
    and the caller may see every field group of it (1); one history query
    per audited model with the author joined (activity, participations, priorities, milestones,
    indicators, measurements, updates, funding, status overrides, publication settings,
    contributions to the results chain: 11); the names the foreign keys point to (matrices,
    thematic areas, organizations, indicators, users, outputs: 6)."""
    client = client_for(liaison)
    url = f"{API}/activities/{activity.pk}/history/"
    plan = activity.matrix.plan
    objective = results_services.create_result(
        actor=None, plan=plan, level="objective", code="1", title="Objective"
    )
    outcome = results_services.create_result(
        actor=None, plan=plan, parent=objective, level="outcome", code="1.1", title="Outcome"
    )

    def grow(n: int) -> None:
        for i in range(n):
            output = results_services.create_result(
                actor=None,
                plan=plan,
                parent=outcome,
                level="output",
                code=f"1.1.{Result.objects.count()}",
                title="Output",
            )
            results_services.add_contribution(
                actor=None, output=output, activity=activity, description="Helps."
            )
            milestone = MilestoneFactory(activity=activity)
            services.complete_milestone(
                actor=liaison, milestone=milestone, version=1, completed_on=dt.date(2016, 6, 1)
            )
            indicator = IndicatorFactory(activity=activity)
            services.record_measurement(
                actor=liaison,
                indicator=indicator,
                measured_on=dt.date(2016, 6, 1 + i),
                value=Decimal(i),
            )
            FundingFactory(activity=activity)

    grow(1)
    with django_assert_num_queries(20):
        assert client.get(url).status_code == 200
    grow(5)
    with django_assert_num_queries(20):
        assert client.get(url).json()["count"] > 20


def test_the_history_needs_a_signed_in_user(client, activity):
    assert client_for().get(f"{API}/activities/{activity.pk}/history/").status_code == 401
    viewer = partner_viewer(activity, username="viewer")
    assert client_for(viewer).get(f"{API}/activities/{activity.pk}/history/").status_code == 200
    # A viewer of no partner organization may not see the values the history names.
    stranger = make_user(Profile.Role.VIEWER, username="stranger")
    assert client_for(stranger).get(f"{API}/activities/{activity.pk}/history/").status_code == 404


def test_an_unknown_activity_has_no_history(liaison):
    assert client_for(liaison).get(f"{API}/activities/999999/history/").status_code == 404
