"""The demo's quarterly reporting calendar, with a few reports late and the quarters without a
quarterly report missing (read as of the end of 2016), and its conversation with a mention."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from activities import period_selectors
from activities.models import ProgressUpdate, ReportingPeriod
from partnership.models import JointActionPlan

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_quarterly_calendar_with_a_few_late_reports(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--no-monitoring", stdout=StringIO())
    plan = JointActionPlan.objects.get(title="INTERPOL–UNODC Joint Action Plan")
    periods = ReportingPeriod.objects.filter(calendar__plan=plan).order_by("starts_on")
    assert [p.label for p in periods[:4]] == ["Q1 2016", "Q2 2016", "Q3 2016", "Q4 2016"]
    assert periods[0].due_on == dt.date(2016, 4, 7)
    # Quarterly reports are the quarter-end updates; the monthly ones report on no period.
    assert ProgressUpdate.objects.filter(period__isnull=False).count() > 30
    assert ProgressUpdate.objects.filter(period__isnull=True, period_end__month=5).exists()

    late = period_selectors.late_reports(
        viewer=None, plan_id=plan.pk, today=dt.date(2016, 12, 31), limit=1000
    ).rows
    submitted_late = [r for r in late if r.state.state == "submitted_late"]
    assert sorted((r.period.label, r.state.days_late) for r in submitted_late) == [
        ("Q2 2016", 3),
        ("Q3 2016", 3),
        ("Q3 2016", 4),
    ]
    assert any(r.state.state == "missing" for r in late)

    # The conversation on a joint priority, with a mention across the organizations.
    from notifications.models import Comment, Notification

    assert Comment.objects.count() == 2
    assert Notification.objects.filter(
        recipient__username="liaison-unodc", channel="inbox", event__kind="mention"
    ).exists()

    # A second load changes nothing (the calendar is kept, the periods stay linked, the
    # conversation is there).
    out = StringIO()
    call_command("load_demo", "--no-monitoring", stdout=out)
    assert "nothing changed" in out.getvalue()
    assert "Conversation on FCJ-01 already there." in out.getvalue()
    assert Comment.objects.count() == 2
