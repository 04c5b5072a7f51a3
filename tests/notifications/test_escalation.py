"""A late report escalates, on a frozen clock walked day by day with beat's task run twice a
day: the officers are reminded N days after the due date, the organization's focal point is told
M days later, the managers K days after that (N, M, K = 3, 7, 7 here, from the settings). A
report submitted stops it."""

import datetime as dt

import pytest
import time_machine

from activities import services as activity_services
from activities.models import Event
from notifications import tasks
from notifications.models import Notification

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def quarterly(world, settings):
    settings.NOTIFICATIONS = {
        "REMIND_AFTER_DAYS": 3,
        "FOCAL_POINT_AFTER_DAYS": 7,
        "MANAGER_AFTER_DAYS": 7,
    }
    activity_services.set_reporting_calendar(
        actor=None, plan=world.activity.matrix.plan, frequency="quarterly", due_after_days=15
    )
    return world


def beat_day(day: dt.date, django_capture_on_commit_callbacks) -> None:
    for hour in (0, 12):
        moment = dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            tasks.find_due()


def told_about(kind) -> dict[str, set[str]]:
    """period label → who was told about it in the inbox."""
    rows = Notification.objects.filter(event__kind=kind, channel="inbox").values_list(
        "event__payload__period_label", "recipient__username"
    )
    found: dict[str, set[str]] = {}
    for label, username in rows:
        found.setdefault(label, set()).add(username)
    return found


def walk(start: dt.date, end: dt.date, callbacks) -> dict[dt.date, set[tuple[str, int]]]:
    """day → the (username, level) of Q2's late-report notifications new that day."""
    seen: set[int] = set()
    news = {}
    day = start
    while day <= end:
        beat_day(day, callbacks)
        rows = Notification.objects.filter(
            event__kind=Event.Kind.REPORT_LATE,
            event__payload__period_label="Q2 2016",
            channel="inbox",
        ).exclude(pk__in=seen)
        fresh = {(n.recipient.username, n.event.payload["level"]) for n in rows}
        seen |= set(rows.values_list("pk", flat=True))
        if fresh:
            news[day] = fresh
        day += dt.timedelta(days=1)
    return news


def test_a_late_report_reminds_the_officers_then_the_focal_point_then_the_managers(
    quarterly, django_capture_on_commit_callbacks
):
    # Q2 2016 ends 30 June, due 15 July.
    news = walk(D(2016, 7, 14), D(2016, 8, 15), django_capture_on_commit_callbacks)

    assert news == {
        D(2016, 7, 18): {("officer", 0), ("partner", 0)},  # 3 days late
        D(2016, 7, 25): {("officer", 1), ("partner", 1), ("focal", 1)},  # 7 more days
        D(2016, 8, 1): {  # 7 more days
            ("officer", 2),
            ("partner", 2),
            ("focal", 2),
            ("manager", 2),
            ("manager2", 2),
        },
    }
    reasons = dict(
        Notification.objects.filter(
            event__kind=Event.Kind.REPORT_LATE, event__payload__level=2, channel="inbox"
        ).values_list("recipient__username", "reason")
    )
    assert reasons == {
        "officer": "you are a liaison officer of T-01",
        "partner": "you are a liaison officer of T-01",
        "focal": "you are your organization's focal point for T-01",
        "manager": "you are a manager",
        "manager2": "you are a manager",
    }
    # Told once per step, however often beat ran; before the due date, the officers were told
    # that the report was due.
    assert Event.objects.filter(kind=Event.Kind.REPORT_LATE).count() == 3
    assert told_about(Event.Kind.REPORT_DUE) == {"Q2 2016": {"officer", "partner"}}


def test_a_submitted_report_stops_the_escalation(quarterly, django_capture_on_commit_callbacks):
    walk(D(2016, 7, 14), D(2016, 7, 20), django_capture_on_commit_callbacks)
    with time_machine.travel(dt.datetime(2016, 7, 21, 9, tzinfo=dt.UTC), tick=False):
        activity_services.create_progress_update(
            actor=quarterly.officer,
            activity=quarterly.activity,
            period_end=D(2016, 6, 30),
            percent_complete=50,
            narrative="Late, but here.",
            submit=True,
        )
    late = Event.objects.filter(kind=Event.Kind.REPORT_LATE)
    assert late.count() == 1  # the officers' reminder of 18 July
    walk(D(2016, 7, 21), D(2016, 8, 15), django_capture_on_commit_callbacks)
    assert late.count() == 1
