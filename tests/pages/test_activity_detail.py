"""The activity page: everything about one activity, edit controls only for those who may edit,
and a query count that does not grow with milestones, indicators, values or updates."""

import datetime as dt
from decimal import Decimal

import pytest

from activities import services
from activities.models import FundingCommitment, ProgressUpdate
from tests.factories import (
    ActivityFactory,
    FundingFactory,
    IndicatorFactory,
    MeasurementFactory,
    MilestoneFactory,
    OrganizationFactory,
    ParticipationFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    liaison_for,
    make_user,
    partner_viewer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity():
    activity = ActivityFactory(
        code="P-01",
        title="Counter-terrorism capacity",
        status="at_risk",
        status_as_of=dt.date(2016, 9, 30),
        status_reasons=[
            {
                "code": "milestone_overdue",
                "severity": "warning",
                "message": "Milestone 'Regional workshop' is 34 days overdue",
            }
        ],
    )
    activity.matrix.plan.agreement.title = "INTERPOL–UNODC Legal Agreement"
    activity.matrix.plan.agreement.save()
    PriorityFactory(activity=activity, year=2016, rank=1)
    return activity


@pytest.fixture
def lead_liaison(activity):
    return liaison_for(activity, username="lead-liaison")


def url(activity) -> str:
    return f"/activities/{activity.pk}/"


def test_the_page_shows_the_framework_trail_and_the_current_status(client, activity):
    client.force_login(partner_viewer(activity, username="viewer"))
    body = client.get(url(activity)).content.decode()
    plan = activity.matrix.plan
    for text in (
        "INTERPOL–UNODC Legal Agreement (2016)",
        plan.title,
        "edition 1",
        "Terrorism",
        "Counter-terrorism capacity",
        '<span class="badge badge-at_risk">At risk</span>',
        "as of 30 Sep 2016",
        "Milestone &#x27;Regional workshop&#x27; is 34 days overdue",
    ):
        assert text in body
    # The status history belongs to monitoring: linked by URL and loaded as a fragment.
    assert f'data-fragment-url="/monitoring/activities/{activity.pk}/status-history/fragment/"' in (
        body
    )
    assert f'href="/monitoring/activities/{activity.pk}/status-history/"' in body


def test_the_page_shows_organizations_milestones_indicators_updates_and_funding(
    client, activity, lead_liaison
):
    unodc = OrganizationFactory(acronym="UNODC")
    ParticipationFactory(
        activity=activity, organization=unodc, role="partner", contribution="Trainers and venue"
    )
    MilestoneFactory(activity=activity, title="Regional workshop", due_date=dt.date(2016, 5, 1))
    MilestoneFactory(
        activity=activity,
        title="Curriculum adopted",
        due_date=dt.date(2016, 3, 1),
        completed_on=dt.date(2016, 2, 20),
    )
    indicator = IndicatorFactory(activity=activity, name="Officers trained")
    MeasurementFactory(indicator=indicator, measured_on=dt.date(2016, 6, 30), value=Decimal("40"))
    ProgressUpdateFactory(
        activity=activity,
        author=lead_liaison,
        state=ProgressUpdate.State.RETURNED,
        submitted_at=dt.datetime(2016, 7, 1, tzinfo=dt.UTC),
        review_note="Add the attendance figures.",
    )
    FundingFactory(
        activity=activity,
        donor=OrganizationFactory(acronym="EU", kind="donor"),
        amount=Decimal("30000"),
    )
    FundingFactory(
        activity=activity,
        donor=OrganizationFactory(acronym="JP", kind="donor"),
        amount=Decimal("20000"),
        status=FundingCommitment.Status.PLEDGED,
    )
    client.force_login(partner_viewer(activity, username="viewer"))
    body = client.get(url(activity)).content.decode()

    assert "Trainers and venue" in body and "Partner" in body
    assert '<span class="badge badge-overdue">Overdue</span>' in body
    assert '<span class="badge badge-done">Done 20 Feb 2016</span>' in body
    # The indicator chart is an SVG drawn on the server, with a text alternative and a table.
    assert '<svg viewBox="0 0 320 160"' in body and 'role="img"' in body
    assert "Latest value 40 officers trained on 2016-06-30" in body
    assert '<td class="num">40</td>' in body
    assert '<span class="badge badge-state-returned">Returned</span>' in body
    assert "Add the attendance figures." in body
    # Required 100 000, secured 30 000 (the pledge is not secured): a gap of 70 000.
    assert "<dt>Secured</dt><dd>30,000.00 USD" in body
    assert "<dt>Pledged</dt><dd>20,000.00 USD" in body
    assert "<strong>70,000.00 USD</strong>" in body
    assert "<dt>Donors</dt><dd>EU, JP</dd>" in body


def test_the_change_history_says_who_changed_which_field_from_what_to_what(
    client, activity, lead_liaison
):
    services.update_activity(
        actor=lead_liaison,
        activity=activity,
        version=activity.version,
        changes={"title": "Counter-terrorism capacity building", "lifecycle": "finalisation"},
    )
    client.force_login(partner_viewer(activity, username="viewer"))
    body = client.get(url(activity)).content.decode()
    section = body[body.index('id="changes-h"') :]
    assert "lead-liaison" in section
    assert "<del>Counter-terrorism capacity</del>" in section
    assert "<ins>Counter-terrorism capacity building</ins>" in section
    # Choices are shown by their labels.
    assert "<del>Implementation</del>" in section and "<ins>Finalisation</ins>" in section


def test_a_liaison_officer_of_a_participating_organization_sees_the_edit_controls(
    client, activity, lead_liaison
):
    MilestoneFactory(activity=activity)
    IndicatorFactory(activity=activity)
    ProgressUpdateFactory(activity=activity, author=lead_liaison)
    client.force_login(lead_liaison)
    body = client.get(url(activity)).content.decode()
    for control in ("/edit/", "/milestones/new/", "/complete/", "/measurements/new/"):
        assert control in body
    assert "/updates/new/" in body and "/submit/" in body


@pytest.mark.parametrize("role", ["viewer", "liaison_officer"])
def test_others_see_no_edit_controls(client, activity, lead_liaison, role):
    MilestoneFactory(activity=activity)
    IndicatorFactory(activity=activity)
    ProgressUpdateFactory(activity=activity, author=lead_liaison)
    # A liaison officer from an organization that does not take part in the activity.
    client.force_login(make_user(role=role, username="outsider"))
    body = client.get(url(activity)).content.decode()
    assert activity.title in body
    for control in (
        "/edit/",
        "/milestones/new/",
        "/complete/",
        "/measurements/new/",
        "/updates/new/",
        "/submit/",
        "Approval queue",
    ):
        assert control not in body


def test_a_manager_sees_the_edit_controls_and_the_approval_queue(client, activity):
    client.force_login(make_user(role="manager", username="boss"))
    body = client.get(url(activity)).content.decode()
    assert f"/activities/{activity.pk}/edit/" in body
    assert 'href="/approvals/"' in body


def test_an_unknown_activity_is_not_found(client):
    client.force_login(make_user())
    assert client.get("/activities/999999/").status_code == 404


def test_the_full_change_history_page_lists_every_change(client, activity, lead_liaison):
    for n in range(20):
        MilestoneFactory(activity=activity, title=f"Step {n}")
    client.force_login(partner_viewer(activity, username="viewer"))
    detail = client.get(url(activity)).content.decode()
    assert f'href="/activities/{activity.pk}/changes/"' in detail  # more than fit on the page
    body = client.get(f"/activities/{activity.pk}/changes/").content.decode()
    assert all(f"“Step {n}” created" in body for n in range(20))


def _populate(activity, author, n: int) -> None:
    """n milestones, indicators with n values each, n updates and n funding commitments, each
    also changed once so that the change history has rows of every kind."""
    for i in range(n):
        milestone = MilestoneFactory(activity=activity, due_date=dt.date(2016, 1, 1 + i))
        milestone.title = f"{milestone.title} (renamed)"
        milestone.save()
        indicator = IndicatorFactory(activity=activity)
        for day in range(n):
            MeasurementFactory(
                indicator=indicator, measured_on=dt.date(2016, 2, 1 + day), value=Decimal(day)
            )
        update = ProgressUpdateFactory(
            activity=activity, author=author, period_end=dt.date(2016, 3, 1 + i)
        )
        update.narrative = "Rewritten."
        update.save()
        FundingFactory(activity=activity, donor=OrganizationFactory(kind="donor"))
        ParticipationFactory(activity=activity, role="supporting")


def test_the_page_query_count_does_not_grow_with_what_hangs_off_the_activity(
    client, activity, lead_liaison, django_assert_num_queries
):
    """2 or 10 of everything cost the same 33 queries:
    session, user (authentication); the activity with matrix, plan, agreement and thematic area,
    its participations with organizations, topics, SDG targets, priorities, milestones,
    indicators, their measurements, funding with donors (selectors.activity_detail: 9); the
    progress updates with author and reviewer (1); its recipient countries and regions
    (geography.selectors.places_of: 2); the change history: one query per audited model
    (activity, participations, priorities, milestones, indicators, measurements, updates, funding,
    status overrides, publication settings, contributions to results: 11), then the names its
    foreign keys point to (matrices, thematic areas, organizations, indicators, users: 5); the
    profile for the permission check (1) and for the page header (1); the plan's reporting
    periods (1: it has none, so no read of the reports).
    """
    _populate(activity, lead_liaison, 2)
    client.force_login(lead_liaison)
    with django_assert_num_queries(33):
        client.get(url(activity))
    _populate(activity, lead_liaison, 8)
    with django_assert_num_queries(33):
        response = client.get(url(activity))
    assert response.content.decode().count('class="timeline-item') == 10


def test_a_draft_shows_only_to_participating_liaison_officers_and_managers(
    client, activity, lead_liaison
):
    draft = ProgressUpdateFactory(activity=activity, author=lead_liaison, narrative="First go.")
    services.edit_progress_update(  # so the change history shows the draft's text
        actor=lead_liaison, update=draft, version=1, changes={"narrative": "Half-written draft."}
    )
    ProgressUpdateFactory(
        activity=activity,
        author=lead_liaison,
        narrative="Sent for approval.",
        state=ProgressUpdate.State.SUBMITTED,
        submitted_at=dt.datetime(2016, 7, 1, tzinfo=dt.UTC),
    )
    outsider = partner_viewer(activity, role="liaison_officer", username="out")
    for reader, sees_draft in [
        (partner_viewer(activity, username="viewer"), False),
        (outsider, False),
        (lead_liaison, True),
        (make_user("manager", username="boss"), True),
    ]:
        client.force_login(reader)
        page = client.get(url(activity)).content.decode()
        changes = client.get(f"{url(activity)}changes/").content.decode()
        assert "Sent for approval." in page
        assert ("Half-written draft." in page) is sees_draft, reader.username
        assert ("Half-written draft." in changes) is sees_draft, reader.username
