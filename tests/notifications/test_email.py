"""E-mail through a real SMTP server (aiosmtpd, started by the test on 127.0.0.1): at once, in
daily and weekly digests; beat's tasks run twice send nothing twice; an SMTP outage loses
nothing; a person who opted out receives nothing."""

import datetime as dt

import pytest
import time_machine

from activities import services as activity_services
from activities.models import Event
from notifications import services, tasks
from notifications.models import Digest, Notification
from tests.support.smtp_server import SmtpServer

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2016, 6, 6, 9, tzinfo=dt.UTC)


@pytest.fixture
def smtp(settings):
    with SmtpServer() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        yield server


def at(moment: dt.datetime):
    return time_machine.travel(moment, tick=False)


def mention(world, who, *, note="@someone have a look"):
    """An event that tells exactly `who` (a mention), delivered in process."""
    from django.db import transaction

    with transaction.atomic():
        event = activity_services.record_event(
            kind=Event.Kind.MENTION,
            activity_ids=[world.activity.pk],
            actor=world.officer,
            payload={"mentioned_ids": [who.pk]},
            note=note,
        )
    return event


def test_an_immediate_notification_reaches_the_smtp_server_once(
    world, smtp, django_capture_on_commit_callbacks
):
    with at(MONDAY), django_capture_on_commit_callbacks(execute=True):
        mention(world, world.manager, note="@manager the figures are in")
        tasks.send_emails()  # beat's run after the one queued on commit: nothing left

    [message] = smtp.to("manager@example.org")
    assert message["Subject"] == "officer mentioned you on T-01 Foreign terrorist fighters"
    body = message.get_content()
    assert "@manager the figures are in" in body
    assert "you were mentioned on T-01" in body
    assert "http://127.0.0.1:8000/activities/" in body
    assert len(smtp.messages) == 1
    row = Notification.objects.get(channel="email")
    assert (row.state, row.sent_at) == ("sent", MONDAY)


def test_with_the_smtp_server_down_the_e_mail_waits_and_goes_once_it_is_back(
    world, settings, django_capture_on_commit_callbacks
):
    server = SmtpServer()
    for name, value in server.settings().items():
        setattr(settings, name, value)  # nothing listens on that port yet
    with at(MONDAY), django_capture_on_commit_callbacks(execute=True):
        mention(world, world.manager)
    row = Notification.objects.get(channel="email")
    assert row.state == "pending"
    assert row.attempts == 1
    assert "ConnectionRefusedError" in row.error

    with server, at(MONDAY + dt.timedelta(minutes=1)):
        assert tasks.send_emails() == 1
        assert tasks.send_emails() == 0
    assert len(server.messages) == 1
    row.refresh_from_db()
    assert (row.state, row.error) == ("sent", "")


def test_a_daily_digest_groups_each_day_and_goes_once_the_day_is_over(
    world, smtp, django_capture_on_commit_callbacks
):
    services.set_preferences(actor=world.manager, choices={"mention": "daily"})
    for hours, note in ((0, "first on Monday"), (5, "second on Monday"), (24, "on Tuesday")):
        with (
            at(MONDAY + dt.timedelta(hours=hours)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            mention(world, world.manager, note=note)

    with at(MONDAY + dt.timedelta(days=1, hours=1)):  # Tuesday: Monday is over
        assert tasks.send_digests() == 1
        assert tasks.send_digests() == 0  # beat again: nothing twice
    [monday] = smtp.messages
    assert monday["Subject"] == "Partnership tracker: 2 notifications, day 2016-06-06"
    assert "Your daily digest for 6 June 2016: 2 notifications." in monday.get_content()
    assert "first on Monday" in monday.get_content()
    assert "on Tuesday" not in monday.get_content()

    with at(MONDAY + dt.timedelta(days=2)):  # Wednesday
        assert tasks.send_digests() == 1
        assert tasks.send_digests() == 0
    assert [m["Subject"] for m in smtp.messages][1] == (
        "Partnership tracker: 1 notification, day 2016-06-07"
    )
    assert list(Digest.objects.order_by("period_start").values_list("period_start", "items")) == [
        (dt.date(2016, 6, 6), 2),
        (dt.date(2016, 6, 7), 1),
    ]


def test_a_weekly_digest_groups_the_week_and_goes_once_it_is_over(
    world, smtp, django_capture_on_commit_callbacks
):
    services.set_preferences(actor=world.manager, choices={"mention": "weekly"})
    # Monday, Wednesday and Sunday; then the next Monday, which is the next week's.
    for day, note in ((0, "day 0"), (2, "day 2"), (6, "day 6"), (7, "next week")):
        with at(MONDAY + dt.timedelta(days=day)), django_capture_on_commit_callbacks(execute=True):
            mention(world, world.manager, note=note)

    with at(MONDAY + dt.timedelta(days=6, hours=12)):  # Sunday: the week is not over
        assert tasks.send_digests() == 0
    with at(MONDAY + dt.timedelta(days=7, hours=3)):
        assert tasks.send_digests() == 1
        assert tasks.send_digests() == 0

    [week] = smtp.messages
    assert week["Subject"] == "Partnership tracker: 3 notifications, week of 2016-06-06"
    body = week.get_content()
    assert all(f"day {day}" in body for day in (0, 2, 6))
    assert "next week" not in body
    assert Notification.objects.filter(channel="email", state="pending").count() == 1


def test_a_person_who_opted_out_receives_nothing_at_all(
    world, smtp, django_capture_on_commit_callbacks
):
    services.set_preferences(actor=world.manager, choices={"mention": "off"})
    with at(MONDAY), django_capture_on_commit_callbacks(execute=True):
        mention(world, world.manager)
    with at(MONDAY + dt.timedelta(days=8)):
        tasks.send_emails()
        tasks.send_digests()
    assert smtp.messages == []
    assert not Notification.objects.filter(recipient=world.manager).exists()
