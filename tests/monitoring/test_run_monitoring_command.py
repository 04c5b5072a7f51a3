"""`manage.py run_monitoring`: synchronous runs with a summary, date series, async, retry."""

import datetime as dt
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from monitoring.management.commands.run_monitoring import dates_between
from monitoring.models import Assessment, MonitoringRun
from partnership.models import JointActionPlan
from tests.factories import ActivityFactory, MatrixFactory, MilestoneFactory, PlanFactory

pytestmark = pytest.mark.django_db

MONTH_ENDS_2016 = [
    dt.date(2016, 1, 31),
    dt.date(2016, 2, 29),
    dt.date(2016, 3, 31),
    dt.date(2016, 4, 30),
    dt.date(2016, 5, 31),
    dt.date(2016, 6, 30),
    dt.date(2016, 7, 31),
    dt.date(2016, 8, 31),
    dt.date(2016, 9, 30),
    dt.date(2016, 10, 31),
    dt.date(2016, 11, 30),
    dt.date(2016, 12, 31),
]


def run(*args: str) -> str:
    out = StringIO()
    call_command("run_monitoring", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def plan():
    matrix = MatrixFactory()
    late = ActivityFactory(matrix=matrix)
    MilestoneFactory(activity=late, due_date=dt.date(2016, 6, 1))
    ActivityFactory(matrix=matrix, start_date=dt.date(2016, 10, 1), end_date=dt.date(2017, 6, 30))
    return matrix.plan


def test_a_synchronous_run_prints_a_summary_table(plan, chunk_size):
    chunk_size(1)
    output = run("--plan", str(plan.pk), "--as-of", "2016-06-30")

    run_ = MonitoringRun.objects.get()
    assert run_.state == "finished"
    assert run_.trigger == "manual"
    lines = output.splitlines()
    assert "[##############################] 2/2 chunks" in lines[0]
    assert lines[1].split() == [
        "Run", "As", "of", "Plan", "Activities", "Not", "started", "On", "track", "At", "risk",
        "Off", "track", "Completed", "Suspended", "Seconds", "State",
    ]  # fmt: skip
    row = lines[3].split()
    assert row[:2] == [str(run_.pk), "2016-06-30"]
    assert row[-1] == "finished"
    # one not started (starts in October), one behind (no report since January)
    assert row[-8:-2] == ["1", "0", "0", "1", "0", "0"]
    assert Assessment.objects.filter(as_of=dt.date(2016, 6, 30)).count() == 2


def test_a_year_replayed_month_by_month_lands_on_the_twelve_month_ends(plan):
    output = run(
        "--plan", str(plan.pk), "--as-of", "2016-01-31", "--through", "2016-12-31",
        "--every", "month",
    )  # fmt: skip

    runs = MonitoringRun.objects.order_by("as_of")
    assert [r.as_of for r in runs] == MONTH_ENDS_2016
    assert all(r.state == "finished" for r in runs)
    activity = plan.matrices.get().activities.first()
    assert (
        list(
            Assessment.objects.filter(activity=activity)
            .order_by("as_of")
            .values_list("as_of", flat=True)
        )
        == MONTH_ENDS_2016
    )
    summary_rows = [line for line in output.splitlines() if line.split()[1:2] == ["2016-02-29"]]
    assert len(summary_rows) == 1


def test_the_load_demo_call_covers_every_monitored_plan_without_a_plan_id(plan):
    draft = MatrixFactory(plan=PlanFactory(state=JointActionPlan.State.DRAFT))
    ActivityFactory(matrix=draft)

    call_command(
        "run_monitoring", "--as-of", "2016-01-31", "--through", "2016-12-31", "--every", "month",
        stdout=StringIO(),
    )  # fmt: skip

    assert MonitoringRun.objects.count() == 12
    assert set(MonitoringRun.objects.values_list("plan", flat=True)) == {None}
    # Two activities of the adopted plan, twelve dates; nothing for the draft plan.
    assert Assessment.objects.count() == 24
    assert not Assessment.objects.filter(activity__matrix=draft).exists()


def test_date_series_by_month_week_and_day():
    assert dates_between(dt.date(2016, 1, 31), dt.date(2016, 12, 31), "month") == MONTH_ENDS_2016
    # From mid-month, later steps still land on month ends.
    assert dates_between(dt.date(2016, 1, 15), dt.date(2016, 3, 31), "month") == [
        dt.date(2016, 1, 15),
        dt.date(2016, 2, 29),
        dt.date(2016, 3, 31),
    ]
    assert dates_between(dt.date(2016, 2, 27), dt.date(2016, 3, 1), "day") == [
        dt.date(2016, 2, 27),
        dt.date(2016, 2, 28),
        dt.date(2016, 2, 29),
        dt.date(2016, 3, 1),
    ]
    assert dates_between(dt.date(2016, 1, 1), dt.date(2016, 1, 20), "week") == [
        dt.date(2016, 1, 1),
        dt.date(2016, 1, 8),
        dt.date(2016, 1, 15),
    ]


def test_async_queues_on_the_broker_and_prints_the_run_ids(
    plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        output = run("--plan", str(plan.pk), "--as-of", "2016-03-31", "--async")

    run_ = MonitoringRun.objects.get()
    assert output.strip() == f"Queued run {run_.pk} as of 2016-03-31."
    # The run's start; then the events of the statuses the run found turned (people hear of
    # them), queued once its chunk commits.
    names = [getattr(call, "func", call).__name__ for call in queued]
    assert names[0] == "_enqueue_start"
    assert set(names[1:]) <= {"send_events_recorded"}
    run_.refresh_from_db()
    assert run_.state == "finished"  # the eager "broker" ran it at once


def test_a_failing_run_is_reported_and_can_be_retried(plan):
    with (
        mock.patch("monitoring.rules.assess", side_effect=ArithmeticError("boom")),
        pytest.raises(CommandError, match=r"failed: Chunk 0 .* ArithmeticError: boom"),
    ):
        run("--plan", str(plan.pk), "--as-of", "2016-06-30")
    failed = MonitoringRun.objects.get()
    assert failed.state == "failed"

    output = run("--retry", str(failed.pk))

    failed.refresh_from_db()
    assert failed.state == "finished"
    assert failed.activities_assessed == 2
    assert "finished" in output.splitlines()[-1]
    with pytest.raises(CommandError, match="Only a failed run can be retried"):
        run("--retry", str(failed.pk))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "--as-of is required"),
        (["--as-of", "2016-13-01"], "--as-of must be a date"),
        (["--as-of", "2016-06-30", "--through", "2016-01-31"], "must not be before"),
        (["--as-of", "2016-06-30", "--plan", "999999"], "There is no plan 999999"),
        (["--retry", "999999"], "There is no run 999999"),
    ],
)
def test_bad_arguments_are_refused_with_a_message(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
