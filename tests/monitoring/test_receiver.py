"""A change of an activity's facts re-assesses it once the change is committed."""

import datetime as dt
import logging
from unittest import mock

import pytest
import time_machine
from django.db import transaction

from activities.signals import activity_facts_changed
from monitoring.models import Assessment, MonitoringRun
from tests.factories import ActivityFactory, ApprovedUpdateFactory

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2016, 8, 15, 10, tzinfo=dt.UTC)


@time_machine.travel(TODAY, tick=False)
def test_a_change_signal_reassesses_the_activities_after_commit(
    django_capture_on_commit_callbacks,
):
    first, second = ActivityFactory.create_batch(2)

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        ApprovedUpdateFactory(activity=first, period_end=dt.date(2016, 7, 31))
        activity_facts_changed.send(
            sender=None, activity_ids=[first.pk, second.pk], reason="update approved"
        )
        # Nothing before the commit: a rolled-back approval must not be assessed.
        assert not MonitoringRun.objects.exists()

    assert len(callbacks) >= 1
    # One run per plan (the two activities belong to two plans), each recording its plan.
    runs = MonitoringRun.objects.order_by("plan_id")
    assert [run.plan_id for run in runs] == sorted([first.matrix.plan_id, second.matrix.plan_id])
    for run in runs:
        assert (run.trigger, run.as_of, run.note, run.state, run.activities_assessed) == (
            "change",
            dt.date(2016, 8, 15),
            "update approved",
            "finished",
            1,
        )
    assert set(Assessment.objects.values_list("activity_id", "as_of")) == {
        (first.pk, dt.date(2016, 8, 15)),
        (second.pk, dt.date(2016, 8, 15)),
    }
    first.refresh_from_db()
    assert first.status_as_of == dt.date(2016, 8, 15)
    assert first.status


def test_a_rolled_back_change_reassesses_nothing(django_capture_on_commit_callbacks):
    activity = ActivityFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        activity_facts_changed.send(sender=None, activity_ids=[activity.pk], reason="x")
        raise RuntimeError("the approval failed")

    assert callbacks == []
    assert not MonitoringRun.objects.exists()


def test_an_empty_change_queues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        activity_facts_changed.send(sender=None, activity_ids=[], reason="nothing")
    assert callbacks == []


def test_a_broker_failure_after_commit_is_logged_not_raised(
    django_capture_on_commit_callbacks, caplog
):
    activity = ActivityFactory()
    with (
        mock.patch(
            "monitoring.services.request_reassessment", side_effect=ConnectionError("broker")
        ),
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        activity_facts_changed.send(sender=None, activity_ids=[activity.pk], reason="x")

    assert "broker" in caplog.text
