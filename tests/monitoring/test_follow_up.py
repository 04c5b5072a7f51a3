"""Follow-up work is recorded with the change and delivered once, whatever message is lost.

Run in process (tasks eager): a "lost" message is one that was never published. The real
broker and worker, killed and restarted, are in tests/trust/test_nothing_lost.py.
"""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.db import OperationalError, transaction

from activities import services as activity_services
from activities.models import Event
from monitoring import follow_up, services, tasks
from monitoring.models import Assessment, MonitoringChunk, MonitoringRun
from partnership.models import Profile
from tests.factories import ActivityFactory, MatrixFactory, MilestoneFactory, make_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2016, 8, 15, 10, tzinfo=dt.UTC)
AS_OF = dt.date(2016, 8, 15)


def later(seconds: float):
    return time_machine.travel(NOW + dt.timedelta(seconds=seconds), tick=False)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def manager():
    return make_user(Profile.Role.MANAGER, password=None)


class LostBroker:
    """Every best-effort publish refused, as with Redis down, until `restore()`."""

    def __init__(self) -> None:
        self._patch = mock.patch.object(services, "publish", return_value=False)
        self.publish = self._patch.start()
        self.active = True

    def restore(self) -> None:
        if self.active:
            self._patch.stop()
            self.active = False


@pytest.fixture
def broker_lost():
    lost = LostBroker()
    yield lost
    lost.restore()


def complete_a_milestone(activity) -> None:
    milestone = MilestoneFactory(activity=activity, due_date=dt.date(2016, 9, 30))
    activity_services.complete_milestone(
        actor=None, milestone=milestone, version=milestone.version, completed_on=AS_OF
    )


def test_a_change_records_an_event_and_delivers_it_after_commit(
    django_capture_on_commit_callbacks,
):
    first, second = ActivityFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = activity_services.announce_facts_changed(
            [second.pk, first.pk, first.pk], reason="update approved"
        )
        # Recorded in the change's transaction, delivered only once it commits.
        assert Event.objects.get().state == Event.State.PENDING
        assert not MonitoringRun.objects.exists()

    event.refresh_from_db()
    assert (event.kind, event.activity_ids, event.note, event.state) == (
        "facts_changed",
        sorted([first.pk, second.pk]),
        "update approved",
        "delivered",
    )
    assert event.delivered_at == NOW
    # One run per plan (the two activities belong to two plans), each recording its plan.
    runs = MonitoringRun.objects.order_by("plan_id")
    assert [run.plan_id for run in runs] == sorted([first.matrix.plan_id, second.matrix.plan_id])
    assert {(r.trigger, r.as_of, r.note, r.state) for r in runs} == {
        ("change", AS_OF, "update approved", "finished")
    }
    assert set(Assessment.objects.values_list("activity_id", "as_of")) == {
        (first.pk, AS_OF),
        (second.pk, AS_OF),
    }


def test_a_completed_milestone_and_an_override_each_record_their_event(
    django_capture_on_commit_callbacks, manager
):
    activity = ActivityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        complete_a_milestone(activity)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_status_override(
            activity_id=activity.pk, status="on_track", reason="Checked by phone", set_by=manager
        )

    facts = Event.objects.filter(kind=Event.Kind.FACTS_CHANGED)
    assert list(facts.values_list("note", "activity_ids", "state")) == [
        ("milestone_completed", [activity.pk], "delivered"),
        ("status override set", [activity.pk], "delivered"),
    ]
    # The override is also news for people (notifications), delivered as well.
    assert Event.objects.get(kind=Event.Kind.OVERRIDE_SET).state == "delivered"
    assert MonitoringRun.objects.filter(trigger="change", state="finished").count() == 2


def test_a_rolled_back_change_records_and_delivers_nothing(django_capture_on_commit_callbacks):
    activity = ActivityFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        activity_services.announce_facts_changed([activity.pk], reason="x")
        raise RuntimeError("the approval failed")

    assert callbacks == []
    assert not Event.objects.exists()
    assert not MonitoringRun.objects.exists()


def test_announcing_no_activities_records_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert activity_services.announce_facts_changed([], reason="nothing") is None
    assert callbacks == []
    assert not Event.objects.exists()


def test_a_change_whose_message_is_lost_stands_and_is_delivered_by_the_sweeper(
    broker_lost, django_capture_on_commit_callbacks
):
    activity = ActivityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        complete_a_milestone(activity)

    event = Event.objects.get()
    assert event.state == Event.State.PENDING
    assert activity.milestones.get().completed_on == AS_OF  # the change stands
    assert not MonitoringRun.objects.exists()

    broker_lost.restore()
    with later(30), django_capture_on_commit_callbacks(execute=True):
        assert follow_up.sweep().events_queued == 0  # not yet overdue: maybe still in flight
    with later(61), django_capture_on_commit_callbacks(execute=True):
        outcome = follow_up.sweep()

    assert outcome.events_queued == 1
    event.refresh_from_db()
    assert event.state == Event.State.DELIVERED
    run = MonitoringRun.objects.get()
    assert (run.trigger, run.state, run.activities_assessed) == ("change", "finished", 1)


def test_an_event_delivered_twice_does_its_work_once(
    broker_lost, django_capture_on_commit_callbacks
):
    activity = ActivityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        event = activity_services.announce_facts_changed([activity.pk], reason="x")
    broker_lost.restore()

    with django_capture_on_commit_callbacks(execute=True):
        assert follow_up.deliver_event(event_id=event.pk) is True
    with django_capture_on_commit_callbacks(execute=True):
        assert follow_up.deliver_event(event_id=event.pk) is False

    assert MonitoringRun.objects.count() == 1
    assert Assessment.objects.count() == 1


def test_an_event_that_fails_for_good_is_marked_failed_and_an_outage_leaves_it_pending(
    broker_lost,
):
    activity = ActivityFactory()
    broken = activity_services.announce_facts_changed([activity.pk], reason="x")
    outage = activity_services.announce_facts_changed([activity.pk], reason="y")

    with mock.patch.object(services, "request_reassessment", side_effect=KeyError("plan")):
        tasks.deliver_event.apply(args=(broken.pk,))
    with mock.patch.object(services, "request_reassessment", side_effect=OperationalError("db")):
        tasks.deliver_event.apply(args=(outage.pk,))

    broken.refresh_from_db()
    outage.refresh_from_db()
    assert (broken.state, broken.error) == ("failed", "KeyError: 'plan'")
    assert (outage.state, outage.error) == ("pending", "")


def _reminders(activity, count: int) -> list[int]:
    return activity_services.record_keyed_events(
        [
            activity_services.KeyedEvent(
                kind=Event.Kind.MILESTONE_DUE_SOON,
                activity_id=activity.pk,
                key=f"due-soon:{n}",
                payload={},
            )
            for n in range(count)
        ]
    )


def test_events_recorded_together_are_queued_in_messages_of_a_hundred(
    django_capture_on_commit_callbacks,
):
    activity = ActivityFactory()
    with (
        mock.patch.object(services, "publish", return_value=True) as publish,
        django_capture_on_commit_callbacks(execute=True),
    ):
        ids = _reminders(activity, 250)

    assert [call.args[0] for call in publish.call_args_list] == [tasks.deliver_events] * 3
    assert [call.args[1] for call in publish.call_args_list] == [ids[:100], ids[100:200], ids[200:]]


def _second_fails_with(ids: list[int], error: Exception):
    """Delivery as usual, but for the second event, whose delivery raises `error`."""
    real = follow_up.delivery.deliver

    def deliver(event):
        if event.pk == ids[1]:
            raise error
        real(event)

    return mock.patch.object(follow_up.delivery, "deliver", side_effect=deliver)


def test_a_batch_delivers_each_event_once_and_one_that_fails_for_good_stops_no_other(
    broker_lost,
):
    ids = _reminders(ActivityFactory(), 3)
    with _second_fails_with(ids, KeyError("recipient")):
        assert tasks.deliver_events.apply(args=(ids,)).get() == 2
    assert tasks.deliver_events.apply(args=(ids,)).get() == 0  # again: nothing twice

    states = dict(Event.objects.filter(pk__in=ids).values_list("pk", "state"))
    assert states == {ids[0]: "delivered", ids[1]: "failed", ids[2]: "delivered"}
    assert Event.objects.get(pk=ids[1]).error == "KeyError: 'recipient'"


def test_an_outage_in_a_batch_leaves_the_rest_pending_for_a_retry(broker_lost):
    ids = _reminders(ActivityFactory(), 3)
    with _second_fails_with(ids, OperationalError("db")):
        tasks.deliver_events.apply(args=(ids,))

    states = dict(Event.objects.filter(pk__in=ids).values_list("pk", "state"))
    assert states == {ids[0]: "delivered", ids[1]: "pending", ids[2]: "pending"}


def test_the_sweeper_starts_a_run_whose_start_was_lost(
    broker_lost, chunk_size, django_capture_on_commit_callbacks
):
    chunk_size(2)
    matrix = MatrixFactory()
    ActivityFactory.create_batch(3, matrix=matrix)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.request_run(plan_id=matrix.plan_id, as_of=AS_OF, trigger="schedule")
    assert broker_lost.publish.call_count == 1  # the start, refused
    run.refresh_from_db()
    assert run.state == MonitoringRun.State.QUEUED  # recorded all the same
    broker_lost.restore()

    with later(61), django_capture_on_commit_callbacks(execute=True):
        outcome = follow_up.sweep()

    assert (outcome.runs_queued, outcome.events_queued, outcome.chunks_queued) == (1, 0, 0)
    run.refresh_from_db()
    assert (run.state, run.chunks_done, run.activities_assessed) == ("finished", 2, 3)


def test_the_sweeper_queues_the_lost_chunks_of_a_stalled_run_only(chunk_size):
    chunk_size(2)
    matrix = MatrixFactory()
    ActivityFactory.create_batch(5, matrix=matrix)
    run = services.request_run(
        plan_id=matrix.plan_id, as_of=AS_OF, trigger="schedule", enqueue=False
    )
    chunk_ids = services.split_run(run_id=run.pk)
    services.process_chunk(chunk_id=chunk_ids[0])  # then the messages of the others were lost

    with later(59):
        assert follow_up.sweep().chunks_queued == 0  # a chunk started within the minute
    with later(61):
        outcome = follow_up.sweep()

    assert outcome.chunks_queued == 2
    run.refresh_from_db()
    assert (run.state, run.chunks_done, run.activities_assessed) == ("finished", 3, 5)


def test_a_running_chunk_is_left_to_its_worker_until_its_lease_expires(chunk_size):
    chunk_size(10)
    matrix = MatrixFactory()
    ActivityFactory.create_batch(3, matrix=matrix)
    run = services.request_run(
        plan_id=matrix.plan_id, as_of=AS_OF, trigger="schedule", enqueue=False
    )
    [chunk_id] = services.split_run(run_id=run.pk)
    # A worker claims the chunk and dies: the chunk stays "running", its message unacknowledged.
    services._claim(chunk_id)
    lease = services.chunk_time_limit()

    with later(lease - 1):
        assert services.process_chunk(chunk_id=chunk_id) is False  # a redelivery: not yet
        assert follow_up.sweep().chunks_queued == 0
    with later(lease + 1):
        outcome = follow_up.sweep()

    assert outcome.chunks_queued == 1
    chunk = MonitoringChunk.objects.get(pk=chunk_id)
    assert (chunk.state, chunk.attempts) == ("done", 2)
    run.refresh_from_db()
    assert (run.state, run.activities_assessed) == ("finished", 3)


def test_a_start_delivered_twice_queues_the_chunks_once(chunk_size):
    chunk_size(2)
    matrix = MatrixFactory()
    ActivityFactory.create_batch(3, matrix=matrix)
    run = services.request_run(
        plan_id=matrix.plan_id, as_of=AS_OF, trigger="schedule", enqueue=False
    )
    assert len(services.split_run(run_id=run.pk)) == 2
    assert services.split_run(run_id=run.pk) == []


def test_the_sweep_stops_at_a_broker_that_is_down_and_leaves_the_work_pending(broker_lost):
    activity = ActivityFactory()
    for reason in ("a", "b"):
        activity_services.announce_facts_changed([activity.pk], reason=reason)

    with later(61):
        outcome = follow_up.sweep()

    assert outcome.broker_down is True
    assert outcome.events_queued == 0
    assert broker_lost.publish.call_count == 1  # it gave up at the first refusal
    assert set(Event.objects.values_list("state", flat=True)) == {"pending"}


def test_the_sweep_fails_runs_past_their_deadline(settings):
    matrix = MatrixFactory()
    run = services.request_run(
        plan_id=matrix.plan_id, as_of=AS_OF, trigger="schedule", enqueue=False
    )
    deadline = services.run_deadline_seconds()

    with later(deadline + 1), mock.patch.object(services, "publish", return_value=True):
        outcome = follow_up.sweep()

    assert outcome.stale_runs_failed == 1
    run.refresh_from_db()
    assert run.state == MonitoringRun.State.FAILED
    assert run.error.startswith("Stale: still queued at its deadline")
