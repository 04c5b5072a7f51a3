"""Every service that changes something people should hear about records an event, in the
change's own transaction: one kind at a time. A change that rolls back records nothing."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from activities import services as activity_services
from activities.models import Event
from monitoring import engine
from monitoring import services as monitoring_services
from notifications import reminders
from tests.factories import (
    ApprovedUpdateFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
    StatusOverrideFactory,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2016, 6, 10, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def events(kind):
    return list(Event.objects.filter(kind=kind).values_list("activity_ids", "payload", "actor"))


def test_submitting_an_update_records_update_submitted(world):
    update = ProgressUpdateFactory(activity=world.activity, author=world.officer)
    activity_services.submit_progress_update(actor=world.officer, update=update)
    assert events(Event.Kind.UPDATE_SUBMITTED) == [
        (
            [world.activity.pk],
            {"update_id": update.pk, "author_id": world.officer.pk, "period_end": "2016-06-30"},
            world.officer.pk,
        )
    ]


def test_creating_a_submitted_update_records_it_but_a_draft_does_not(world):
    kwargs = {"actor": world.officer, "activity": world.activity, "percent_complete": 40}
    activity_services.create_progress_update(
        period_end=dt.date(2016, 3, 31), narrative="Draft", **kwargs
    )
    assert events(Event.Kind.UPDATE_SUBMITTED) == []
    activity_services.create_progress_update(
        period_end=dt.date(2016, 6, 30), narrative="Sent", submit=True, **kwargs
    )
    assert len(events(Event.Kind.UPDATE_SUBMITTED)) == 1


def test_approving_and_returning_record_their_events(world):
    first = ProgressUpdateFactory(activity=world.activity, author=world.officer)
    second = ProgressUpdateFactory(
        activity=world.activity, author=world.officer, period_end=dt.date(2016, 3, 31)
    )
    for update in (first, second):
        activity_services.submit_progress_update(actor=world.officer, update=update)
    activity_services.approve_progress_update(actor=world.manager, update=first)
    activity_services.return_progress_update(
        actor=world.manager, update=second, note="Add the figures."
    )
    assert [p["update_id"] for _, p, _ in events(Event.Kind.UPDATE_APPROVED)] == [first.pk]
    returned = Event.objects.get(kind=Event.Kind.UPDATE_RETURNED)
    assert (returned.payload["update_id"], returned.note, returned.actor) == (
        second.pk,
        "Add the figures.",
        world.manager,
    )
    # The approval is also a fact for monitoring, as before.
    assert Event.objects.filter(kind=Event.Kind.FACTS_CHANGED, note="update_approved").exists()


def test_setting_an_override_records_override_set(world):
    monitoring_services.set_status_override(
        activity_id=world.activity.pk,
        status="at_risk",
        reason="Security situation",
        set_by=world.manager,
        expires_on=dt.date(2016, 7, 1),
    )
    event = Event.objects.get(kind=Event.Kind.OVERRIDE_SET)
    assert event.payload["status"] == "at_risk"
    assert event.payload["expires_on"] == "2016-07-01"
    assert event.note == "Security situation"


def only_a_milestone_due_on_31_may(activity) -> None:
    """An activity whose only problem is a milestone due on 31 May: at risk from June, off track
    from July (30 days overdue); its reported progress keeps up and it needs no funding."""
    activity.budget_required = 0
    activity.save()
    ApprovedUpdateFactory(
        activity=activity,
        period_end=dt.date(2016, 5, 31),
        percent_complete=60,
        reviewed_at=dt.datetime(2016, 6, 1, tzinfo=dt.UTC),
    )
    MilestoneFactory(activity=activity, due_date=dt.date(2016, 5, 31))


def test_the_engine_records_a_status_that_turned_at_risk_then_off_track_once(world):
    only_a_milestone_due_on_31_may(world.activity)
    activity_id = world.activity.pk

    engine.assess_activities([activity_id], as_of=dt.date(2016, 6, 10))  # 10 days overdue
    engine.assess_activities([activity_id], as_of=dt.date(2016, 6, 10))  # the same date again
    engine.assess_activities([activity_id], as_of=dt.date(2016, 6, 20))  # still at risk
    engine.assess_activities([activity_id], as_of=dt.date(2016, 8, 31))  # 92 days: off track

    turned = Event.objects.filter(kind__startswith="status_").order_by("id")
    assert [(e.kind, e.payload["as_of"], e.payload["previous"]) for e in turned] == [
        ("status_at_risk", "2016-06-10", ""),
        ("status_off_track", "2016-08-31", "at_risk"),
    ]
    assert all(e.actor is None for e in turned)


def test_an_older_assessment_records_no_turn(world):
    only_a_milestone_due_on_31_may(world.activity)
    engine.assess_activities([world.activity.pk], as_of=dt.date(2016, 8, 31))  # off track
    engine.assess_activities([world.activity.pk], as_of=dt.date(2016, 6, 10))  # older: at risk
    assert list(Event.objects.filter(kind__startswith="status_").values_list("kind")) == [
        ("status_off_track",)
    ]


def test_beat_records_milestones_due_in_7_days_and_overdue_once(world):
    soon = MilestoneFactory(
        activity=world.activity, title="Workshop", due_date=dt.date(2016, 6, 17)
    )
    late = MilestoneFactory(activity=world.activity, title="Report", due_date=dt.date(2016, 6, 1))
    MilestoneFactory(activity=world.activity, title="Later", due_date=dt.date(2016, 6, 18))
    MilestoneFactory(
        activity=world.activity,
        title="Done",
        due_date=dt.date(2016, 6, 1),
        completed_on=dt.date(2016, 6, 1),
    )
    today = dt.date(2016, 6, 10)

    first = reminders.find_due(today=today)
    second = reminders.find_due(today=today)

    found = Event.objects.filter(kind__startswith="milestone_").order_by("kind")
    assert [(e.kind, e.payload["milestone_id"]) for e in found] == [
        ("milestone_due_soon", soon.pk),
        ("milestone_overdue", late.pk),
    ]
    assert len(first) == 2
    # The second run records nothing new (its ids are the same events, delivered since).
    assert Event.objects.filter(kind__startswith="milestone_").count() == 2
    assert set(second) <= set(first)


def test_no_reminders_outside_the_plan_period(world):
    MilestoneFactory(activity=world.activity, due_date=dt.date(2016, 6, 1))
    assert reminders.find_due(today=dt.date(2026, 12, 7)) == []
    assert not Event.objects.filter(kind__startswith="milestone_").exists()


def test_a_change_that_rolls_back_records_no_event(world):
    update = ProgressUpdateFactory(activity=world.activity, author=world.officer)
    with pytest.raises(RuntimeError), transaction.atomic():
        activity_services.submit_progress_update(actor=world.officer, update=update)
        raise RuntimeError("the request failed after the write")
    assert not Event.objects.exists()


def test_beat_records_an_override_that_expired_once(world):
    expired = StatusOverrideFactory(
        activity=world.activity, set_on=dt.date(2016, 5, 1), expires_on=dt.date(2016, 6, 9)
    )
    StatusOverrideFactory(  # expires later
        activity=world.activity, set_on=dt.date(2016, 5, 1), expires_on=dt.date(2016, 7, 1)
    )
    StatusOverrideFactory(  # expired long ago: not news
        activity=world.activity, set_on=dt.date(2016, 1, 1), expires_on=dt.date(2016, 2, 1)
    )
    first = monitoring_services.record_expired_overrides(today=dt.date(2016, 6, 10))
    again = monitoring_services.record_expired_overrides(today=dt.date(2016, 6, 11))
    events = Event.objects.filter(kind=Event.Kind.OVERRIDE_EXPIRED)
    assert [(e.payload["override_id"], e.payload["expires_on"]) for e in events] == [
        (expired.pk, "2016-06-09")
    ]
    assert len(first) == 1
    assert set(again) <= set(first)
