"""Writers take the database's locks in one order — the rows they write, then the activity
list's revision (activities 0004), then the plan's data version, then its assessed-date count
(monitoring 0003, 0005) — so monitoring chunks and edits of the same plan, running at the same
time, queue instead of deadlocking.

Two real connections on PostgreSQL (SQLite has a single writer): one thread assesses the plan's
activities over and over through the engine while another keeps editing one of them and another
activity of the plan. With the
locks taken in opposite orders (the engine writing assessments, so locking the plan's version,
before locking the activities' rows), PostgreSQL finds deadlocks and fails one side."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from activities.models import Activity
from monitoring import engine
from monitoring.models import Assessment
from tests.factories import ActivityFactory, MatrixFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CHUNKS = 40


def _in_thread(work, errors: list) -> threading.Thread:
    def run():
        try:
            work()
        except Exception as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_chunks_and_edits_of_one_plan_at_the_same_time_all_commit():
    matrix = MatrixFactory()
    edited, *others = [ActivityFactory(matrix=matrix) for _ in range(3)]
    ids = [edited.pk, *(a.pk for a in others)]
    outside = ActivityFactory(matrix=matrix)  # same plan, not in the chunks
    chunks_done = threading.Event()
    errors: list[Exception] = []
    edits = []

    def chunks():
        try:
            for day in range(1, CHUNKS + 1):
                engine.assess_activities(ids, as_of=dt.date(2016, 1, 1) + dt.timedelta(days=day))
        finally:
            chunks_done.set()

    def edit():
        horizons = (Activity.Horizon.CURRENT, Activity.Horizon.ASPIRATIONAL)
        while not chunks_done.is_set():
            horizon = horizons[len(edits) % 2]
            for activity in (edited, outside):
                with transaction.atomic():
                    Activity.objects.filter(pk=activity.pk).update(horizon=horizon)
            edits.append(horizon)

    threads = [_in_thread(chunks, errors), _in_thread(edit, errors)]
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(edits) > CHUNKS  # the edits really ran alongside the chunks
    assert Assessment.objects.filter(activity_id__in=ids).count() == CHUNKS * len(ids)
    edited.refresh_from_db()
    outside.refresh_from_db()
    assert edited.horizon == outside.horizon == edits[-1]
    assert edited.status_as_of == dt.date(2016, 1, 1) + dt.timedelta(days=CHUNKS)
