"""Editing the rest of an activity in the browser (issue 16): for each form a valid save, invalid
input refused with its message, a role that may not act refused, and a stale version refused
with the conflict message (nothing written)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from activities import services
from activities.models import (
    Activity,
    ActivityParticipation,
    FundingCommitment,
    Milestone,
    PriorityDesignation,
    ProgressUpdate,
)
from partnership.models import Organization, Profile
from tests.factories import (
    ActivityFactory,
    FundingFactory,
    MatrixFactory,
    MilestoneFactory,
    OrganizationFactory,
    ParticipationFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    TopicFactory,
    make_user,
    sdg_target,
    thematic_area,
)

pytestmark = pytest.mark.django_db

CONFLICT = "Someone else changed"


@pytest.fixture
def w():
    interpol = OrganizationFactory(acronym="INTERPOL")
    unodc = OrganizationFactory(acronym="UNODC")
    donor = OrganizationFactory(acronym="EU", kind=Organization.Kind.DONOR)
    matrix = MatrixFactory()
    activity = ActivityFactory(matrix=matrix, code="E-01", title="Editable")
    ParticipationFactory(activity=activity, organization=interpol, role="lead")
    return {
        "interpol": interpol,
        "unodc": unodc,
        "donor": donor,
        "matrix": matrix,
        "activity": activity,
        "liaison": make_user(Profile.Role.LIAISON_OFFICER, organization=interpol, username="lo"),
        "outsider": make_user(Profile.Role.LIAISON_OFFICER, organization=unodc, username="out"),
        "viewer": make_user(Profile.Role.VIEWER, username="viewer"),
        "manager": make_user(Profile.Role.MANAGER, username="boss"),
    }


def as_user(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def bump(activity: Activity) -> None:
    """Someone else edits the activity meanwhile (its version moves on)."""
    Activity.objects.filter(pk=activity.pk).update(version=activity.version + 1)


# --- creating an activity -------------------------------------------------------------------------


def _new_activity(w, **overrides):
    data = {
        "token": str(uuid.uuid4()),
        "matrix": w["matrix"].pk,
        "code": "E-09",
        "title": "New joint work",
        "lead": w["interpol"].pk,
        "thematic_area": thematic_area("cybercrime").pk,
        "cooperation_type": "joint",
        "horizon": "current",
        "lifecycle": "pipeline",
        "start_date": "2016-03-01",
        "end_date": "2016-11-30",
        "budget_required": "1000",
        "currency": "eur",
    }
    return {**data, **overrides}


def test_a_liaison_officer_creates_an_activity_their_organization_leads(client, w):
    response = as_user(client, w["liaison"]).post("/activities/new/", _new_activity(w))
    created = Activity.objects.get(code="E-09")
    assert response["Location"] == f"/activities/{created.pk}/"
    assert created.currency == "EUR"
    assert list(created.participations.values_list("organization__acronym", "role")) == [
        ("INTERPOL", "lead")
    ]
    assert created.history.get().history_user == w["liaison"]


def test_a_liaison_officer_may_not_name_another_lead(client, w):
    response = as_user(client, w["liaison"]).post(
        "/activities/new/", _new_activity(w, lead=w["unodc"].pk)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert not Activity.objects.filter(code="E-09").exists()


def test_a_manager_creates_an_activity_with_any_lead(client, w):
    as_user(client, w["manager"]).post("/activities/new/", _new_activity(w, lead=w["unodc"].pk))
    assert Activity.objects.get(code="E-09").participations.get().organization == w["unodc"]


def test_invalid_activity_input_is_refused_with_every_message(client, w):
    response = as_user(client, w["manager"]).post(
        "/activities/new/",
        _new_activity(w, code="E-01", end_date="2016-01-01", currency="EURO"),
    )
    html = text(response)
    assert "must be after" in html or "after the start" in html
    assert "Ensure this value has at most 3 characters" in html
    assert Activity.objects.count() == 1


def test_a_code_taken_in_the_matrix_is_refused(client, w):
    response = as_user(client, w["manager"]).post("/activities/new/", _new_activity(w, code="E-01"))
    assert response.status_code == 200
    assert "already exists" in text(response)
    assert Activity.objects.count() == 1


def test_a_viewer_may_not_create_an_activity(client, w):
    as_user(client, w["viewer"])
    assert client.get("/activities/new/").status_code == 403
    assert client.post("/activities/new/", _new_activity(w)).status_code == 403
    assert 'href="/activities/new/"' not in text(client.get("/activities/"))


def test_the_create_form_saves_once_when_sent_twice(client, w):
    data = _new_activity(w)
    as_user(client, w["liaison"]).post("/activities/new/", data)
    again = client.post("/activities/new/", data, follow=True)
    assert "nothing was saved a second time" in text(again)
    assert Activity.objects.filter(code="E-09").count() == 1


# --- participations -------------------------------------------------------------------------------


def _rows(activity, rows):
    data = {
        "version": activity.version,
        "p-TOTAL_FORMS": len(rows),
        "p-INITIAL_FORMS": 0,
        "p-MIN_NUM_FORMS": 0,
        "p-MAX_NUM_FORMS": 30,
    }
    for i, (org, role, contribution) in enumerate(rows):
        data[f"p-{i}-organization"] = org.pk if org else ""
        data[f"p-{i}-role"] = role
        data[f"p-{i}-contribution"] = contribution
    return data


def test_participations_are_saved_with_roles_and_contributions(client, w):
    a = w["activity"]
    url = f"/activities/{a.pk}/organizations/"
    assert "Save organizations" in text(as_user(client, w["liaison"]).get(url))
    response = client.post(
        url,
        _rows(
            a,
            [
                (w["unodc"], "lead", "Research"),
                (w["interpol"], "partner", "Data"),
                (None, "partner", ""),
            ],
        ),
    )
    assert response["Location"] == f"/activities/{a.pk}/"
    assert set(a.participations.values_list("organization__acronym", "role", "contribution")) == {
        ("UNODC", "lead", "Research"),
        ("INTERPOL", "partner", "Data"),
    }
    a.refresh_from_db()
    assert a.version == 2


def test_participations_need_exactly_one_lead(client, w):
    a = w["activity"]
    response = as_user(client, w["liaison"]).post(
        f"/activities/{a.pk}/organizations/",
        _rows(a, [(w["unodc"], "lead", ""), (w["interpol"], "lead", "")]),
    )
    assert response.status_code == 400
    assert "exactly one lead organization" in text(response)
    assert a.participations.get().organization == w["interpol"]


def test_an_outsider_may_not_edit_participations(client, w):
    a = w["activity"]
    response = as_user(client, w["outsider"]).post(
        f"/activities/{a.pk}/organizations/", _rows(a, [(w["unodc"], "lead", "")])
    )
    assert response.status_code == 403
    assert a.participations.get().organization == w["interpol"]


def test_participations_of_a_stale_page_are_refused(client, w):
    a = w["activity"]
    data = _rows(a, [(w["unodc"], "lead", "")])
    bump(a)
    response = as_user(client, w["liaison"]).post(f"/activities/{a.pk}/organizations/", data)
    assert response.status_code == 409
    assert CONFLICT in text(response)
    assert a.participations.get().organization == w["interpol"]


# --- topics and SDG targets -----------------------------------------------------------------------


def test_topics_and_sdg_targets_are_saved(client, w):
    a = w["activity"]
    drugs = TopicFactory(code="drugs")
    response = as_user(client, w["liaison"]).post(
        f"/activities/{a.pk}/links/",
        {"version": a.version, "topics": [drugs.pk], "sdg_targets": [sdg_target("16.4").pk]},
    )
    assert response["Location"] == f"/activities/{a.pk}/"
    assert list(a.topics.values_list("code", flat=True)) == ["drugs"]
    assert list(a.sdg_targets.values_list("code", flat=True)) == ["16.4"]


def test_an_unknown_topic_is_refused(client, w):
    a = w["activity"]
    response = as_user(client, w["liaison"]).post(
        f"/activities/{a.pk}/links/", {"version": a.version, "topics": [999999]}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in text(response)


def test_a_viewer_may_not_edit_topics(client, w):
    a = w["activity"]
    response = as_user(client, w["viewer"]).post(
        f"/activities/{a.pk}/links/", {"version": a.version}
    )
    assert response.status_code == 403


def test_topics_of_a_stale_page_are_refused(client, w):
    a = w["activity"]
    drugs = TopicFactory(code="drugs")
    bump(a)
    response = as_user(client, w["liaison"]).post(
        f"/activities/{a.pk}/links/", {"version": a.version, "topics": [drugs.pk]}
    )
    assert response.status_code == 409
    assert CONFLICT in text(response)
    assert not a.topics.exists()


# --- funding --------------------------------------------------------------------------------------


def _funding(w, **overrides):
    data = {
        "version": w["activity"].version,
        "token": str(uuid.uuid4()),
        "donor": w["donor"].pk,
        "amount": "25000",
        "currency": "usd",
        "status": "pledged",
        "date": "2016-04-01",
    }
    return {**data, **overrides}


def test_funding_is_added_edited_and_removed(client, w):
    a = w["activity"]
    as_user(client, w["liaison"])
    response = client.post(f"/activities/{a.pk}/funding/new/", _funding(w))
    assert response["Location"] == f"/activities/{a.pk}/"
    commitment = FundingCommitment.objects.get()
    assert (commitment.amount, commitment.currency) == (Decimal("25000"), "USD")

    a.refresh_from_db()
    response = client.post(
        f"/activities/{a.pk}/funding/{commitment.pk}/edit/",
        _funding(w, version=a.version, status="committed", amount="30000"),
    )
    assert response["Location"] == f"/activities/{a.pk}/"
    commitment.refresh_from_db()
    assert (commitment.status, commitment.amount) == ("committed", Decimal("30000"))

    a.refresh_from_db()
    client.post(f"/activities/{a.pk}/funding/{commitment.pk}/delete/", {"version": a.version})
    assert not FundingCommitment.objects.exists()
    assert "removed" in text(client.get(f"/activities/{a.pk}/"))


def test_funding_of_zero_is_refused(client, w):
    a = w["activity"]
    response = as_user(client, w["liaison"]).post(
        f"/activities/{a.pk}/funding/new/", _funding(w, amount="0", currency="E")
    )
    assert response.status_code == 400
    assert "The amount must be more than zero." in text(response)
    assert "Ensure this value has at least 3 characters" in text(response)
    assert not FundingCommitment.objects.exists()


def test_an_outsider_may_not_add_funding(client, w):
    a = w["activity"]
    response = as_user(client, w["outsider"]).post(f"/activities/{a.pk}/funding/new/", _funding(w))
    assert response.status_code == 403
    assert not FundingCommitment.objects.exists()


def test_funding_of_a_stale_page_is_refused(client, w):
    a = w["activity"]
    commitment = FundingFactory(activity=a, donor=w["donor"])
    data = _funding(w)
    bump(a)
    as_user(client, w["liaison"])
    response = client.post(f"/activities/{a.pk}/funding/new/", data)
    assert response.status_code == 409
    assert CONFLICT in text(response)
    response = client.post(
        f"/activities/{a.pk}/funding/{commitment.pk}/edit/", _funding(w, amount="1")
    )
    assert response.status_code == 409
    removed = client.post(
        f"/activities/{a.pk}/funding/{commitment.pk}/delete/", {"version": 1}, follow=True
    )
    assert CONFLICT in text(removed)
    assert list(FundingCommitment.objects.values_list("amount", flat=True)) == [Decimal("50000")]


# --- milestones -----------------------------------------------------------------------------------


def _milestone(m, **overrides):
    data = {
        "version": m.version,
        "title": m.title,
        "due_date": m.due_date.isoformat(),
        "weight": m.weight,
        "completed_on": "",
    }
    return {**data, **overrides}


def test_a_milestone_is_edited_and_deleted(client, w):
    a = w["activity"]
    m = MilestoneFactory(activity=a, title="Workshop", due_date=dt.date(2016, 5, 1))
    as_user(client, w["liaison"])
    assert "Save milestone" in text(client.get(f"/activities/{a.pk}/milestones/{m.pk}/edit/"))
    response = client.post(
        f"/activities/{a.pk}/milestones/{m.pk}/edit/",
        _milestone(m, title="Regional workshop", due_date="2016-05-20"),
    )
    assert response["Location"] == f"/activities/{a.pk}/"
    m.refresh_from_db()
    assert (m.title, m.due_date, m.version) == ("Regional workshop", dt.date(2016, 5, 20), 2)
    page = client.post(
        f"/activities/{a.pk}/milestones/{m.pk}/delete/", {"version": m.version}, follow=True
    )
    assert "Milestone “Regional workshop” deleted." in text(page)
    assert not Milestone.objects.exists()


def test_a_milestone_due_outside_the_period_needs_confirming(client, w):
    a = w["activity"]
    m = MilestoneFactory(activity=a)
    response = as_user(client, w["liaison"]).post(
        f"/activities/{a.pk}/milestones/{m.pk}/edit/", _milestone(m, due_date="2017-03-01")
    )
    assert response.status_code == 400
    assert "outside" in text(response)
    m.refresh_from_db()
    assert m.due_date == dt.date(2016, 6, 30)


def test_an_outsider_may_not_edit_or_delete_a_milestone(client, w):
    a = w["activity"]
    m = MilestoneFactory(activity=a)
    as_user(client, w["outsider"])
    assert (
        client.post(f"/activities/{a.pk}/milestones/{m.pk}/edit/", _milestone(m)).status_code == 403
    )
    assert (
        client.post(f"/activities/{a.pk}/milestones/{m.pk}/delete/", {"version": 1}).status_code
        == 403
    )
    assert Milestone.objects.count() == 1


def test_a_stale_milestone_edit_or_delete_is_refused(client, w):
    a = w["activity"]
    m = MilestoneFactory(activity=a, title="Workshop")
    data = _milestone(m, title="Mine")
    Milestone.objects.filter(pk=m.pk).update(version=2, title="Theirs")
    as_user(client, w["liaison"])
    response = client.post(f"/activities/{a.pk}/milestones/{m.pk}/edit/", data)
    assert response.status_code == 409
    assert CONFLICT in text(response) and "Theirs" in text(response)
    deleted = client.post(
        f"/activities/{a.pk}/milestones/{m.pk}/delete/", {"version": 1}, follow=True
    )
    assert CONFLICT in text(deleted)
    assert Milestone.objects.get().title == "Theirs"


# --- taking back one's own update -----------------------------------------------------------------


def test_the_author_deletes_a_draft_and_withdraws_a_submitted_update(client, w):
    a = w["activity"]
    draft = ProgressUpdateFactory(activity=a, author=w["liaison"])
    sent = ProgressUpdateFactory(
        activity=a, author=w["liaison"], state="submitted", submitted_at=timezone.now()
    )
    as_user(client, w["liaison"])
    page = text(client.get(f"/activities/{a.pk}/"))
    assert f"/updates/{draft.pk}/delete/" in page and f"/updates/{sent.pk}/withdraw/" in page
    client.post(f"/activities/{a.pk}/updates/{draft.pk}/delete/", {"version": draft.version})
    assert not ProgressUpdate.objects.filter(pk=draft.pk).exists()
    page = client.post(
        f"/activities/{a.pk}/updates/{sent.pk}/withdraw/", {"version": sent.version}, follow=True
    )
    assert "it is a draft again" in text(page)
    sent.refresh_from_db()
    assert (sent.state, sent.submitted_at) == ("draft", None)


def test_an_approved_update_cannot_be_deleted(client, w):
    a = w["activity"]
    update = ProgressUpdateFactory(
        activity=a,
        author=w["liaison"],
        state=ProgressUpdate.State.APPROVED,
        submitted_at=timezone.now(),
        reviewer=w["manager"],
        reviewed_at=timezone.now(),
    )
    page = as_user(client, w["liaison"]).post(
        f"/activities/{a.pk}/updates/{update.pk}/delete/", {"version": 1}, follow=True
    )
    assert "This update is approved; it cannot be deleted." in text(page)
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()


def test_only_the_author_takes_back_an_update(client, w):
    a = w["activity"]
    colleague = make_user(Profile.Role.LIAISON_OFFICER, organization=w["interpol"], username="c")
    draft = ProgressUpdateFactory(activity=a, author=colleague)
    response = as_user(client, w["liaison"]).post(
        f"/activities/{a.pk}/updates/{draft.pk}/delete/", {"version": 1}
    )
    assert response.status_code == 403
    assert f"/updates/{draft.pk}/delete/" not in text(client.get(f"/activities/{a.pk}/"))
    assert ProgressUpdate.objects.filter(pk=draft.pk).exists()


def test_taking_back_a_stale_update_is_refused(client, w):
    a = w["activity"]
    draft = ProgressUpdateFactory(activity=a, author=w["liaison"])
    ProgressUpdate.objects.filter(pk=draft.pk).update(version=2)
    page = as_user(client, w["liaison"]).post(
        f"/activities/{a.pk}/updates/{draft.pk}/delete/", {"version": 1}, follow=True
    )
    assert CONFLICT in text(page)
    assert ProgressUpdate.objects.filter(pk=draft.pk).exists()


# --- a year's priorities --------------------------------------------------------------------------


def _priorities(fingerprint, rows):
    data = {
        "fingerprint": fingerprint,
        "r-TOTAL_FORMS": len(rows),
        "r-INITIAL_FORMS": 0,
        "r-MIN_NUM_FORMS": 0,
        "r-MAX_NUM_FORMS": 60,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"r-{i}-{key}"] = value
    return data


def test_a_manager_ranks_removes_and_designates_priorities(client, w):
    first = PriorityFactory(activity=w["activity"], rank=1)
    other = ActivityFactory(matrix=w["matrix"], code="E-02")
    second = PriorityFactory(activity=other, rank=2)
    ActivityFactory(matrix=w["matrix"], code="E-03")
    as_user(client, w["manager"])
    page = client.get("/priorities/2016/edit/")
    fingerprint = page.context["fingerprint"].initial["fingerprint"]
    response = client.post(
        "/priorities/2016/edit/",
        _priorities(
            fingerprint,
            [
                {"activity": first.activity_id, "code": "E-01", "rank": 2, "rationale": "Later"},
                {"activity": second.activity_id, "code": "E-02", "rank": 1, "remove": "on"},
                {"code": "E-03", "rank": 1, "rationale": "New"},
            ],
        ),
    )
    assert response["Location"] == "/priorities/2016/edit/"
    assert list(
        PriorityDesignation.objects.filter(year=2016)
        .order_by("rank")
        .values_list("activity__code", "rank", "rationale")
    ) == [("E-03", 1, "New"), ("E-01", 2, "Later")]


def test_priorities_with_one_rank_twice_or_an_unknown_code_are_refused(client, w):
    PriorityFactory(activity=w["activity"], rank=1)
    as_user(client, w["manager"])
    fingerprint = client.get("/priorities/2016/edit/").context["fingerprint"].initial["fingerprint"]
    rows = [
        {"activity": w["activity"].pk, "code": "E-01", "rank": 1},
        {"code": "E-77", "rank": 1},
    ]
    response = client.post("/priorities/2016/edit/", _priorities(fingerprint, rows))
    assert response.status_code == 400
    assert "given more than once: 1." in text(response)
    rows[1]["rank"] = 2
    response = client.post("/priorities/2016/edit/", _priorities(fingerprint, rows))
    assert "No activity E-77 in a plan of 2016." in text(response)
    assert PriorityDesignation.objects.count() == 1


def test_a_liaison_officer_may_not_rank_priorities(client, w):
    as_user(client, w["liaison"])
    assert client.get("/priorities/2016/edit/").status_code == 403
    response = client.post("/priorities/2016/edit/", _priorities("", [{"code": "E-01", "rank": 1}]))
    assert response.status_code == 403
    assert not PriorityDesignation.objects.exists()


def test_priorities_of_a_stale_page_are_refused(client, w):
    as_user(client, w["manager"])
    fingerprint = client.get("/priorities/2016/edit/").context["fingerprint"].initial["fingerprint"]
    services.designate_priority(actor=w["manager"], activity=w["activity"], year=2016, rank=1)
    other = ActivityFactory(matrix=w["matrix"], code="E-02")
    response = client.post(
        "/priorities/2016/edit/", _priorities(fingerprint, [{"code": other.code, "rank": 1}])
    )
    assert response.status_code == 409
    assert CONFLICT in text(response)
    assert list(PriorityDesignation.objects.values_list("activity__code", flat=True)) == ["E-01"]


def test_participation_roles_offered_are_the_models(w):
    # The form offers exactly the roles the database accepts.
    from activities.forms_editing import ParticipationRowForm

    assert ParticipationRowForm().fields["role"].choices == ActivityParticipation.Role.choices


# --- what the form pages read ---------------------------------------------------------------------


def test_each_form_page_reads_a_fixed_number_of_queries(client, w, django_assert_num_queries):
    """Each form page, with one then six of what it lists, reads the same queries. Every page:
    session, user, the profile (role) and the profile with organization (header); the activity
    with matrix, plan and thematic area and its participations (permission) where it belongs to
    one. Then, per page: the new-activity form its matrices and thematic areas (each read twice
    while the form renders, however many there are) and the organizations;
    the organizations form the organizations (once for every row); the topics form the
    activity's topics and targets (initial) and every topic and target (choices); the funding
    forms the commitment (edit) and the donors; the milestone form the milestone; the priorities
    form the year's priorities with their activities."""
    a = w["activity"]
    m = MilestoneFactory(activity=a)
    commitment = FundingFactory(activity=a, donor=w["donor"])
    PriorityFactory(activity=a, rank=1)
    pages = {
        "/activities/new/": 9,
        f"/activities/{a.pk}/organizations/": 7,
        f"/activities/{a.pk}/links/": 10,
        f"/activities/{a.pk}/funding/new/": 7,
        f"/activities/{a.pk}/funding/{commitment.pk}/edit/": 8,
        f"/activities/{a.pk}/milestones/{m.pk}/edit/": 7,
        "/priorities/2016/edit/": 5,
    }
    as_user(client, w["manager"])

    def grow():
        for i in range(5):
            org = OrganizationFactory(acronym=f"G{i}")
            ParticipationFactory(activity=a, organization=org, role="partner")
            a.topics.add(TopicFactory(code=f"grown-{i}"))
            FundingFactory(activity=a, donor=org)
            PriorityFactory(activity=ActivityFactory(matrix=w["matrix"]), rank=i + 2)
            MatrixFactory(edition=i + 2)

    for url, count in pages.items():
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200, url
    grow()
    for url, count in pages.items():
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200, url
    assert "G4" in text(client.get(f"/activities/{a.pk}/organizations/"))
