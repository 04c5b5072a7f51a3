"""The write services of the activities domain: validation, permissions, optimistic concurrency,
state transitions, and the facts-changed signal sent after commit."""

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError

from activities import selectors, services
from activities.exceptions import (
    ConflictError,
    FourEyesViolation,
    InvalidTransition,
    NotAllowed,
)
from activities.models import (
    Activity,
    ActivityParticipation,
    Event,
    Measurement,
    Milestone,
    ProgressUpdate,
)
from activities.services import ParticipationSpec
from partnership.models import Profile
from tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    MatrixFactory,
    MilestoneFactory,
    OrganizationFactory,
    ParticipationFactory,
    ProgressUpdateFactory,
    TopicFactory,
    make_user,
    sdg_target,
    thematic_area,
)

pytestmark = pytest.mark.django_db

LEAD = ActivityParticipation.Role.LEAD
PARTNER = ActivityParticipation.Role.PARTNER


@pytest.fixture
def interpol():
    return OrganizationFactory(acronym="INTERPOL")


@pytest.fixture
def unodc():
    return OrganizationFactory(acronym="UNODC")


@pytest.fixture
def activity(interpol):
    activity = ActivityFactory(code="T-01")
    ParticipationFactory(activity=activity, organization=interpol, role=LEAD)
    return activity


@pytest.fixture
def liaison(interpol):
    return make_user(Profile.Role.LIAISON_OFFICER, organization=interpol)


@pytest.fixture
def outsider(unodc):
    return make_user(Profile.Role.LIAISON_OFFICER, organization=unodc)


@pytest.fixture
def manager():
    return make_user(Profile.Role.MANAGER)


@pytest.fixture
def facts_signal():
    """The signal object the services send, replaced by a mock we can inspect."""
    with mock.patch.object(services, "activity_facts_changed") as signal:
        yield signal


# --- create_activity ------------------------------------------------------------------------------


def test_create_activity_writes_activity_topics_targets_and_participations(manager, interpol):
    unodc = OrganizationFactory(acronym="UNODC")
    topic = TopicFactory(code="drugs")
    activity = services.create_activity(
        actor=manager,
        matrix=MatrixFactory(),
        code="D-01",
        title="Airport drug interdiction",
        thematic_area=thematic_area("trafficking-organized-crime"),
        cooperation_type=Activity.CooperationType.JOINT,
        horizon=Activity.Horizon.CURRENT,
        start_date=dt.date(2016, 1, 1),
        end_date=dt.date(2016, 12, 31),
        budget_required=Decimal("250000"),
        topics=[topic],
        sdg_targets=[sdg_target("16.4")],
        participations=[
            ParticipationSpec(organization=interpol, role=LEAD, contribution="Databases"),
            ParticipationSpec(organization=unodc, role=PARTNER),
        ],
    )
    activity.refresh_from_db()
    assert activity.version == 1
    assert list(activity.topics.values_list("code", flat=True)) == ["drugs"]
    assert list(activity.sdg_targets.values_list("code", flat=True)) == ["16.4"]
    roles = dict(activity.participations.values_list("organization__acronym", "role"))
    assert roles == {"INTERPOL": "lead", "UNODC": "partner"}
    assert activity.history.first().history_user == manager


def _create_kwargs(**overrides):
    kwargs = {
        "matrix": MatrixFactory(),
        "code": "X-01",
        "title": "Something",
        "thematic_area": thematic_area(),
        "cooperation_type": "joint",
        "horizon": "current",
        "participations": [],
    }
    kwargs.update(overrides)
    return kwargs


def test_create_activity_reports_field_errors_and_writes_nothing(manager, interpol):
    with pytest.raises(ValidationError) as caught:
        services.create_activity(
            actor=manager,
            **_create_kwargs(
                start_date=dt.date(2016, 6, 1),
                end_date=dt.date(2016, 1, 1),
                currency="US",
                participations=[ParticipationSpec(organization=interpol, role=PARTNER)],
            ),
        )
    errors = caught.value.message_dict
    assert errors["end_date"] == ["The end date must be after the start date, 1 Jun 2016."]
    assert errors["currency"] == ["Use a three-letter ISO 4217 currency code, e.g. USD."]
    assert errors["participations"] == ["An activity needs exactly one lead organization."]
    assert not Activity.objects.exists()


def test_create_activity_refuses_two_leads_or_duplicates(manager, interpol, unodc):
    specs = [
        ParticipationSpec(organization=interpol, role=LEAD),
        ParticipationSpec(organization=unodc, role=LEAD),
        ParticipationSpec(organization=unodc, role=PARTNER),
    ]
    with pytest.raises(ValidationError) as caught:
        services.create_activity(actor=manager, **_create_kwargs(participations=specs))
    messages = caught.value.message_dict["participations"]
    assert "An activity needs exactly one lead organization (got 2: INTERPOL, UNODC)." in messages
    assert "UNODC is listed more than once." in messages


def test_create_activity_refuses_a_duplicate_code_in_the_matrix(manager, interpol, activity):
    with pytest.raises(ValidationError):
        services.create_activity(
            actor=manager,
            **_create_kwargs(
                matrix=activity.matrix,
                code=activity.code,
                participations=[ParticipationSpec(organization=interpol, role=LEAD)],
            ),
        )


def test_liaison_officer_creates_only_activities_of_their_own_organization(liaison, interpol):
    other = OrganizationFactory(acronym="WCO")
    with pytest.raises(NotAllowed):
        services.create_activity(
            actor=liaison,
            **_create_kwargs(participations=[ParticipationSpec(organization=other, role=LEAD)]),
        )
    created = services.create_activity(
        actor=liaison,
        **_create_kwargs(participations=[ParticipationSpec(organization=interpol, role=LEAD)]),
    )
    assert created.pk


def test_viewer_creates_nothing(interpol):
    viewer = make_user(Profile.Role.VIEWER)
    with pytest.raises(NotAllowed):
        services.create_activity(
            actor=viewer,
            **_create_kwargs(participations=[ParticipationSpec(organization=interpol, role=LEAD)]),
        )


# --- update_activity and optimistic concurrency ---------------------------------------------------


def test_update_activity_applies_changes_and_bumps_the_version(activity, liaison):
    updated = services.update_activity(
        actor=liaison, activity=activity, version=1, changes={"title": "New title"}
    )
    assert updated.version == 2
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("New title", 2)
    assert activity.history.first().history_user == liaison


def test_a_stale_version_is_refused_and_changes_nothing(activity, liaison, manager):
    services.update_activity(actor=manager, activity=activity, version=1, changes={"title": "A"})
    with pytest.raises(ConflictError) as caught:
        services.update_activity(
            actor=liaison, activity=activity, version=1, changes={"title": "B"}
        )
    assert caught.value.current_version == 2
    assert "changed by someone else" in str(caught.value)
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("A", 2)


def test_invalid_changes_leave_the_version_untouched(activity, manager):
    with pytest.raises(ValidationError):
        services.update_activity(
            actor=manager, activity=activity, version=1, changes={"end_date": dt.date(2015, 1, 1)}
        )
    activity.refresh_from_db()
    assert activity.version == 1
    assert activity.end_date == dt.date(2016, 12, 31)


def test_liaison_of_a_non_participating_organization_cannot_update(activity, outsider):
    with pytest.raises(NotAllowed):
        services.update_activity(
            actor=outsider, activity=activity, version=1, changes={"title": "Mine now"}
        )
    activity.refresh_from_db()
    assert activity.version == 1


def test_set_participations_moves_the_lead_and_keeps_exactly_one(activity, manager, unodc):
    interpol = activity.participations.get().organization
    services.set_participations(
        actor=manager,
        activity=activity,
        version=1,
        participations=[
            ParticipationSpec(organization=interpol, role=PARTNER),
            ParticipationSpec(organization=unodc, role=LEAD, contribution="Justice"),
        ],
    )
    roles = dict(activity.participations.values_list("organization__acronym", "role"))
    assert roles == {"INTERPOL": "partner", "UNODC": "lead"}
    activity.refresh_from_db()
    assert activity.version == 2


def test_set_participations_removes_organizations_no_longer_listed(activity, manager, unodc):
    services.set_participations(
        actor=manager,
        activity=activity,
        version=1,
        participations=[ParticipationSpec(organization=unodc, role=LEAD)],
    )
    assert list(activity.participations.values_list("organization__acronym", flat=True)) == [
        "UNODC"
    ]


def test_set_participations_without_a_lead_is_refused(activity, manager, unodc):
    with pytest.raises(ValidationError):
        services.set_participations(
            actor=manager,
            activity=activity,
            version=1,
            participations=[ParticipationSpec(organization=unodc, role=PARTNER)],
        )
    assert activity.participations.get().role == LEAD


# --- milestones -----------------------------------------------------------------------------------


def test_add_milestone(activity, liaison, facts_signal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        milestone = services.add_milestone(
            actor=liaison, activity=activity, title="Workshop", due_date=dt.date(2016, 9, 1)
        )
    assert milestone.pk and milestone.version == 1
    # A new milestone can already be overdue: monitoring hears of it.
    facts_signal.send.assert_called_once_with(
        sender=Event, event_id=mock.ANY, activity_ids=[activity.pk], reason="milestone_added"
    )


def test_add_milestone_refuses_zero_weight(activity, liaison):
    with pytest.raises(ValidationError) as caught:
        services.add_milestone(
            actor=liaison, activity=activity, title="W", due_date=dt.date(2016, 9, 1), weight=0
        )
    assert caught.value.message_dict == {"weight": ["The weight must be at least 1."]}


@time_machine.travel(dt.date(2016, 7, 4))
def test_completing_a_milestone_announces_the_change_after_commit(
    activity, liaison, facts_signal, django_capture_on_commit_callbacks
):
    milestone = MilestoneFactory(activity=activity)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        done = services.complete_milestone(actor=liaison, milestone=milestone, version=1)
    assert done.completed_on == dt.date(2016, 7, 4)
    assert done.version == 2
    facts_signal.send.assert_not_called()  # not before commit
    for callback in callbacks:
        callback()
    facts_signal.send.assert_called_once_with(
        sender=Event, event_id=mock.ANY, activity_ids=[activity.pk], reason="milestone_completed"
    )


def test_completing_a_milestone_from_a_stale_version_is_refused(activity, liaison, facts_signal):
    milestone = MilestoneFactory(activity=activity)
    services.update_milestone(
        actor=liaison, milestone=milestone, version=1, changes={"title": "Renamed"}
    )
    with pytest.raises(ConflictError):
        services.complete_milestone(actor=liaison, milestone=milestone, version=1)
    milestone.refresh_from_db()
    assert milestone.completed_on is None


def test_outsider_cannot_add_or_change_milestones(activity, outsider):
    milestone = MilestoneFactory(activity=activity)
    with pytest.raises(NotAllowed):
        services.add_milestone(
            actor=outsider, activity=activity, title="X", due_date=dt.date(2016, 9, 1)
        )
    with pytest.raises(NotAllowed):
        services.complete_milestone(actor=outsider, milestone=milestone, version=1)
    assert Milestone.objects.filter(activity=activity).count() == 1


# --- indicators and measurements ------------------------------------------------------------------


def test_add_indicator_checks_direction_and_dates(activity, liaison):
    with pytest.raises(ValidationError) as caught:
        services.add_indicator(
            actor=liaison,
            activity=activity,
            name="Officers trained",
            unit="officers",
            baseline=Decimal("10"),
            baseline_date=dt.date(2016, 6, 1),
            target=Decimal("5"),
            target_date=dt.date(2016, 1, 1),
            direction="increase",
        )
    assert set(caught.value.message_dict) == {"target", "target_date"}
    indicator = services.add_indicator(
        actor=liaison,
        activity=activity,
        name="Seizures",
        unit="cases",
        baseline=Decimal("10"),
        baseline_date=dt.date(2016, 1, 1),
        target=Decimal("2"),
        target_date=dt.date(2016, 12, 31),
        direction="decrease",
    )
    assert indicator.pk


def test_record_measurement_once_a_day_and_announce_it(
    activity, liaison, facts_signal, django_capture_on_commit_callbacks
):
    indicator = IndicatorFactory(activity=activity)
    with django_capture_on_commit_callbacks(execute=True):
        measurement = services.record_measurement(
            actor=liaison, indicator=indicator, measured_on=dt.date(2016, 3, 31), value=Decimal(20)
        )
    assert measurement.recorded_by == liaison
    facts_signal.send.assert_called_once_with(
        sender=Event, event_id=mock.ANY, activity_ids=[activity.pk], reason="measurement_recorded"
    )
    with pytest.raises(ValidationError) as caught:
        services.record_measurement(
            actor=liaison, indicator=indicator, measured_on=dt.date(2016, 3, 31), value=Decimal(1)
        )
    assert "measured_on" in caught.value.message_dict
    assert Measurement.objects.count() == 1


# --- progress updates -----------------------------------------------------------------------------


def _update_kwargs(**overrides):
    kwargs = {"period_end": dt.date(2016, 6, 30), "percent_complete": 40, "narrative": "Done."}
    kwargs.update(overrides)
    return kwargs


def test_progress_update_as_draft_then_submitted(activity, liaison):
    update = services.create_progress_update(actor=liaison, activity=activity, **_update_kwargs())
    assert (update.state, update.author, update.submitted_at) == ("draft", liaison, None)
    submitted = services.submit_progress_update(actor=liaison, update=update)
    assert submitted.state == "submitted" and submitted.submitted_at is not None


def test_progress_update_submitted_at_once(activity, liaison):
    update = services.create_progress_update(
        actor=liaison, activity=activity, submit=True, **_update_kwargs()
    )
    assert update.state == "submitted"


def test_progress_update_percent_out_of_range_is_a_field_error(activity, liaison):
    with pytest.raises(ValidationError) as caught:
        services.create_progress_update(
            actor=liaison, activity=activity, **_update_kwargs(percent_complete=101)
        )
    assert "percent_complete" in caught.value.message_dict
    assert not ProgressUpdate.objects.exists()


def test_manager_approves_a_submitted_update_and_monitoring_is_told(
    activity, liaison, manager, facts_signal, django_capture_on_commit_callbacks
):
    update = ProgressUpdateFactory(
        activity=activity, author=liaison, state="submitted", submitted_at=dt.datetime.now(dt.UTC)
    )
    with django_capture_on_commit_callbacks(execute=True):
        approved = services.approve_progress_update(actor=manager, update=update)
    assert (approved.state, approved.reviewer) == ("approved", manager)
    assert approved.reviewed_at is not None
    facts_signal.send.assert_called_once_with(
        sender=Event, event_id=mock.ANY, activity_ids=[activity.pk], reason="update_approved"
    )


def test_approval_rolled_back_sends_nothing(
    activity, liaison, manager, facts_signal, django_capture_on_commit_callbacks
):
    update = ProgressUpdateFactory(
        activity=activity, author=liaison, state="submitted", submitted_at=dt.datetime.now(dt.UTC)
    )
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ConflictError),
    ):
        services.approve_progress_update(actor=manager, update=update, version=7)
    assert callbacks == []
    facts_signal.send.assert_not_called()


def test_only_managers_approve_and_never_their_own_update(activity, liaison, manager):
    update = ProgressUpdateFactory(
        activity=activity, author=liaison, state="submitted", submitted_at=dt.datetime.now(dt.UTC)
    )
    with pytest.raises(NotAllowed):
        services.approve_progress_update(actor=liaison, update=update)
    own = ProgressUpdateFactory(
        activity=activity, author=manager, state="submitted", submitted_at=dt.datetime.now(dt.UTC)
    )
    with pytest.raises(NotAllowed):
        services.approve_progress_update(actor=manager, update=own)
    assert ProgressUpdate.objects.filter(state="approved").count() == 0


def test_a_draft_cannot_be_approved(activity, liaison, manager):
    update = ProgressUpdateFactory(activity=activity, author=liaison)
    with pytest.raises(InvalidTransition):
        services.approve_progress_update(actor=manager, update=update)
    update.refresh_from_db()
    assert (update.state, update.version) == ("draft", 1)


def test_return_needs_a_note_and_the_update_can_be_reworked_and_resubmitted(
    activity, liaison, manager
):
    update = services.create_progress_update(
        actor=liaison, activity=activity, submit=True, **_update_kwargs()
    )
    with pytest.raises(ValidationError) as caught:
        services.return_progress_update(actor=manager, update=update, note="  ")
    assert "note" in caught.value.message_dict
    returned = services.return_progress_update(
        actor=manager, update=update, note="Add the seizure figures."
    )
    assert (returned.state, returned.review_note) == ("returned", "Add the seizure figures.")
    edited = services.edit_progress_update(
        actor=liaison,
        update=returned,
        version=returned.version,
        changes={"narrative": "With figures: 12 seizures."},
    )
    resubmitted = services.submit_progress_update(actor=liaison, update=edited)
    assert resubmitted.state == "submitted"


def test_approved_updates_are_not_edited(activity, liaison, manager):
    update = services.create_progress_update(
        actor=liaison, activity=activity, submit=True, **_update_kwargs()
    )
    approved = services.approve_progress_update(actor=manager, update=update)
    with pytest.raises(InvalidTransition):
        services.edit_progress_update(
            actor=liaison, update=approved, version=approved.version, changes={"narrative": "x"}
        )


# --- the four-eyes rule ---------------------------------------------------------------------------


def _version(user_id, **content):
    fields = {
        "activity_id": 1,
        "period_end": dt.date(2016, 6, 30),
        "percent_complete": 10,
        "narrative": "Started.",
        "risks": "",
    }
    return {**fields, **content, "history_user_id": user_id}


def test_content_contributors_are_the_creator_and_whoever_changed_the_content():
    versions = [
        _version(1),  # created by 1
        _version(2),  # a save that changed no content (submitted): 2 is no contributor
        _version(3, percent_complete=100),  # 3 changed the figure
        _version(None, narrative="Fixed by a command."),  # no person
        _version(4, risks="None."),
    ]
    assert selectors.content_contributors(versions) == {1, 3, 4}
    assert selectors.content_contributors([]) == set()


def _returned_then_edited_by(manager, activity, liaison):
    """A liaison officer's update that `manager` returns, edits (10 % → 100 %) and resubmits."""
    update = services.create_progress_update(
        actor=liaison, activity=activity, submit=True, **_update_kwargs(percent_complete=10)
    )
    returned = services.return_progress_update(actor=manager, update=update, note="Too low?")
    edited = services.edit_progress_update(
        actor=manager,
        update=returned,
        version=returned.version,
        changes={"percent_complete": 100, "narrative": "All done."},
    )
    return services.submit_progress_update(actor=manager, update=edited, version=edited.version)


def test_a_manager_who_changed_an_update_cannot_approve_it_but_another_can(
    activity, liaison, manager, facts_signal
):
    resubmitted = _returned_then_edited_by(manager, activity, liaison)
    assert selectors.update_contributors(update_ids=[resubmitted.pk]) == {
        resubmitted.pk: {liaison.pk, manager.pk}
    }
    with pytest.raises(FourEyesViolation, match="another manager must approve it"):
        services.approve_progress_update(
            actor=manager, update=resubmitted, version=resubmitted.version
        )
    resubmitted.refresh_from_db()
    assert (resubmitted.state, resubmitted.reviewer) == ("submitted", manager)  # from the return
    facts_signal.send.assert_not_called()

    other = make_user(Profile.Role.MANAGER)
    approved = services.approve_progress_update(
        actor=other, update=resubmitted, version=resubmitted.version
    )
    assert (approved.state, approved.reviewer, approved.percent_complete) == (
        "approved",
        other,
        100,
    )


def test_returning_and_resubmitting_without_a_change_keeps_the_reviewer_eligible(
    activity, liaison, manager
):
    """Only content counts: a return note, a submission or an edit that changes nothing does not
    make the manager a contributor."""
    update = services.create_progress_update(
        actor=liaison, activity=activity, submit=True, **_update_kwargs()
    )
    returned = services.return_progress_update(actor=manager, update=update, note="Sure?")
    same = services.edit_progress_update(
        actor=manager, update=returned, version=returned.version, changes={"narrative": "Done."}
    )
    resubmitted = services.submit_progress_update(actor=manager, update=same)
    approved = services.approve_progress_update(actor=manager, update=resubmitted)
    assert approved.state == "approved"


def test_a_manager_who_edited_the_draft_cannot_approve_it(activity, liaison, manager):
    draft = services.create_progress_update(actor=liaison, activity=activity, **_update_kwargs())
    edited = services.edit_progress_update(
        actor=manager, update=draft, version=draft.version, changes={"risks": "Funding gap."}
    )
    submitted = services.submit_progress_update(actor=liaison, update=edited)
    with pytest.raises(FourEyesViolation):
        services.approve_progress_update(actor=manager, update=submitted)


def test_designate_priority_is_for_managers(activity, manager, liaison):
    with pytest.raises(NotAllowed):
        services.designate_priority(actor=liaison, activity=activity, year=2016, rank=1)
    priority = services.designate_priority(actor=manager, activity=activity, year=2016, rank=1)
    assert priority.pk


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_from_one_version_let_exactly_one_win(activity, manager, liaison):
    """Two people save edits made from version 1 at the same moment, in two connections: the
    conditional version bump lets one through and refuses the other, whatever the interleaving."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def edit(user, title):
        try:
            barrier.wait(timeout=10)
            services.update_activity(
                actor=user, activity=activity, version=1, changes={"title": title}
            )
            outcomes.append(title)
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=(manager, "Manager's")),
        threading.Thread(target=edit, args=(liaison, "Liaison's")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(outcomes) == 2 and outcomes.count("conflict") == 1
    activity.refresh_from_db()
    assert activity.version == 2
    assert activity.title in outcomes
