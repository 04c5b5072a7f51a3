"""Delivering an event tells the right people once, on the channels they chose, and says why."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from activities import services as activity_services
from activities.models import Event
from monitoring import follow_up
from notifications import delivery, services
from notifications.models import Notification, Preference
from tests.factories import ProgressUpdateFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2016, 6, 10, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def told(channel=Notification.Channel.INBOX):
    return dict(
        Notification.objects.filter(channel=channel).values_list("recipient__username", "reason")
    )


def submit(world, django_capture_on_commit_callbacks):
    update = ProgressUpdateFactory(activity=world.activity, author=world.officer)
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.submit_progress_update(actor=world.officer, update=update)
    return update


def test_a_submitted_update_tells_the_managers_at_once_in_the_inbox_and_by_e_mail(
    world, django_capture_on_commit_callbacks
):
    submit(world, django_capture_on_commit_callbacks)

    assert told() == {"manager": "you are a manager", "manager2": "you are a manager"}
    assert set(told(Notification.Channel.EMAIL)) == {"manager", "manager2"}
    # Sent after the delivery committed (tasks run in process here).
    assert sorted(m.to[0] for m in mail.outbox) == ["manager2@example.org", "manager@example.org"]
    assert mail.outbox[0].subject == (
        "Progress update to 2016-06-30 submitted for approval: T-01 Foreign terrorist fighters"
    )
    assert "/approvals/" in mail.outbox[0].body
    assert Event.objects.get(kind=Event.Kind.UPDATE_SUBMITTED).state == Event.State.DELIVERED


def test_delivering_the_same_event_twice_notifies_once(world, django_capture_on_commit_callbacks):
    submit(world, django_capture_on_commit_callbacks)
    event = Event.objects.get(kind=Event.Kind.UPDATE_SUBMITTED)
    rows = Notification.objects.count()

    # Once more through the task's entry (the event is delivered: nothing to do) …
    assert follow_up.deliver_event(event_id=event.pk) is False
    # … and even the delivery itself, forced again, writes no second row.
    with django_capture_on_commit_callbacks(execute=True):
        delivery.deliver(event)
    services.send_immediate_emails()

    assert Notification.objects.count() == rows == 4
    assert len(mail.outbox) == 2


def test_the_author_and_the_officers_hear_of_a_return_but_not_the_manager_who_returned_it(
    world, django_capture_on_commit_callbacks
):
    update = submit(world, django_capture_on_commit_callbacks)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.return_progress_update(
            actor=world.manager, update=update, note="Add the figures."
        )
    assert told() == {
        "officer": "you wrote this update",
        "partner": "you are a liaison officer of T-01",
    }
    row = Notification.objects.filter(recipient=world.officer).first()
    assert row.body.endswith("was returned by manager: Add the figures.")


def test_a_person_who_opted_out_gets_nothing(world, django_capture_on_commit_callbacks):
    services.set_preferences(actor=world.manager, choices={"update_submitted": "off"})
    submit(world, django_capture_on_commit_callbacks)

    assert set(told()) == {"manager2"}
    assert [m.to for m in mail.outbox] == [["manager2@example.org"]]


def test_a_digest_choice_keeps_the_inbox_at_once_and_the_e_mail_for_later(
    world, django_capture_on_commit_callbacks
):
    services.set_preferences(actor=world.manager, choices={"update_submitted": "weekly"})
    submit(world, django_capture_on_commit_callbacks)

    row = Notification.objects.get(recipient=world.manager, channel="email")
    assert (row.cadence, row.state) == ("weekly", "pending")
    assert Notification.objects.filter(recipient=world.manager, channel="inbox").exists()
    assert [m.to for m in mail.outbox] == [["manager2@example.org"]]


def test_someone_without_an_e_mail_address_is_told_in_the_inbox_only(
    world, django_capture_on_commit_callbacks
):
    world.other_manager.email = ""
    world.other_manager.save()
    submit(world, django_capture_on_commit_callbacks)
    assert set(told()) == {"manager", "manager2"}
    assert set(told(Notification.Channel.EMAIL)) == {"manager"}


def test_preferences_refuse_unknown_kinds_and_choices_all_at_once(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.set_preferences(
            actor=world.officer, choices={"facts_changed": "off", "mention": "hourly"}
        )
    assert set(caught.value.message_dict) == {"facts_changed", "mention"}
    assert not Preference.objects.exists()


def test_a_mention_tells_only_the_people_mentioned(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.record_event(
            kind=Event.Kind.MENTION,
            activity_ids=[world.activity.pk],
            actor=world.officer,
            payload={"mentioned_ids": [world.viewer.pk, world.officer.pk]},
            note="@viewer please look",
        )
    # Not the author, even if they mention themselves.
    assert told() == {"viewer": "you were mentioned on T-01"}
