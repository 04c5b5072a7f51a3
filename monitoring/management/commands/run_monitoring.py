"""Assess a plan (or every monitored plan) as of one date or a series of dates.

    run_monitoring --as-of 2016-06-30
    run_monitoring --plan 3 --as-of 2016-01-31 --through 2016-12-31 --every month
    run_monitoring --as-of 2016-06-30 --async      # queue on the broker, print the run id
    run_monitoring --retry 42                      # redo the chunks a failed run did not finish

Synchronous by default: the chunks are assessed in this process, with a progress bar, and a
summary table is printed. Month steps land on month ends (2016-01-31, 2016-02-29, …).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from activities.models import MonitoringStatus
from monitoring import selectors, services
from monitoring.exceptions import BrokerUnavailable
from monitoring.models import MonitoringRun
from partnership.models import JointActionPlan

BAR_WIDTH = 30
STATUS_HEADINGS = {status.value: str(status.label) for status in MonitoringStatus}


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_date(day: date, every: str) -> date:
    if every == "day":
        return day + timedelta(days=1)
    if every == "week":
        return day + timedelta(days=7)
    # month: the end of the following month, whatever day we are on
    return month_end(month_end(day) + timedelta(days=1))


def dates_between(first: date, last: date, every: str) -> list[date]:
    dates, day = [], first
    while day <= last:
        dates.append(day)
        day = next_date(day, every)
    return dates


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} must be a date as YYYY-MM-DD, not {value!r}.") from None


class Command(BaseCommand):
    help = "Assess activities as of a date (or each date of a series) and print a summary."

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, help="Plan id (default: every monitored plan).")
        parser.add_argument("--as-of", help="Assess as of this date, YYYY-MM-DD.")
        parser.add_argument("--through", help="Repeat until this date, YYYY-MM-DD.")
        parser.add_argument("--every", choices=["month", "week", "day"], default="month")
        parser.add_argument(
            "--async",
            dest="run_async",
            action="store_true",
            help="Queue the run(s) on the broker and print their ids instead of waiting.",
        )
        parser.add_argument("--retry", type=int, metavar="RUN_ID", help="Retry a failed run.")

    def handle(self, *args, **options):
        try:
            return self._handle(**options)
        except BrokerUnavailable as exc:
            raise CommandError(str(exc)) from None

    def _handle(self, **options):
        if options["retry"] is not None:
            return self._retry(options["retry"], options["run_async"])
        if not options["as_of"]:
            raise CommandError("--as-of is required (or --retry RUN_ID).")
        first = _date(options["as_of"], "--as-of")
        last = _date(options["through"], "--through") if options["through"] else first
        if last < first:
            raise CommandError("--through must not be before --as-of.")
        plan_id = options["plan"]
        if plan_id is not None and not JointActionPlan.objects.filter(pk=plan_id).exists():
            raise CommandError(f"There is no plan {plan_id}.")

        dates = dates_between(first, last, options["every"])
        # Every date is checked before any run is made: a series half done is worse than none.
        for as_of in dates:
            problem = selectors.run_date_problem(plan_id=plan_id, as_of=as_of)
            if problem is not None:
                raise CommandError(problem)
        if options["run_async"]:
            for as_of in dates:
                run = services.request_run(
                    plan_id=plan_id, as_of=as_of, trigger=MonitoringRun.Trigger.MANUAL
                )
                self.stdout.write(f"Queued run {run.pk} as of {as_of.isoformat()}.")
            return

        runs = []
        for as_of in dates:
            run = services.request_run(
                plan_id=plan_id, as_of=as_of, trigger=MonitoringRun.Trigger.MANUAL, enqueue=False
            )
            runs.append(self._execute(run.pk, as_of.isoformat()))
        self._summary(runs)
        failed = [run for run in runs if run.state == MonitoringRun.State.FAILED]
        if failed:
            raise CommandError(
                "; ".join(f"run {run.pk} as of {run.as_of} failed: {run.error}" for run in failed)
            )

    def _retry(self, run_id: int, run_async: bool) -> None:
        try:
            run = services.retry_run(run_id=run_id, enqueue=run_async)
        except MonitoringRun.DoesNotExist:
            raise CommandError(f"There is no run {run_id}.") from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if run_async:
            self.stdout.write(f"Queued run {run.pk} again.")
            return
        run = self._execute(run.pk, run.as_of.isoformat())
        self._summary([run])
        if run.state == MonitoringRun.State.FAILED:
            raise CommandError(f"run {run.pk} failed again: {run.error}")

    def _execute(self, run_id: int, label: str) -> MonitoringRun:
        # A terminal gets a bar redrawn in place (written to the real stream: a wrapper, as when
        # load_demo passes its own stdout, would end every redraw with a newline); a log file
        # gets the finished bar only.
        stream = self.stdout
        while isinstance(stream, OutputWrapper):
            stream = stream._out
        interactive = stream.isatty() if hasattr(stream, "isatty") else False

        def bar(done: int, total: int) -> str:
            filled = BAR_WIDTH if total == 0 else BAR_WIDTH * done // total
            return f"{label} [{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done}/{total} chunks"

        def progress(done: int, total: int) -> None:
            if interactive:
                stream.write("\r" + bar(done, total))
                stream.flush()
            elif done == total:
                self.stdout.write(bar(done, total))

        run = services.execute_run(run_id=run_id, on_progress=progress)
        if interactive:
            stream.write("\n")
        return run

    def _summary(self, runs: list[MonitoringRun]) -> None:
        headings = ["Run", "As of", "Plan", "Activities", *STATUS_HEADINGS.values()]
        headings += ["Seconds", "State"]
        rows = [
            [
                str(run.pk),
                run.as_of.isoformat(),
                (run.plan.title if run.plan_id else "all plans")[:40],
                str(run.activities_assessed),
                *(str(run.counts[status]) for status in STATUS_HEADINGS),
                f"{run.seconds:.2f}" if run.seconds is not None else "",
                run.state,
            ]
            for run in runs
        ]
        widths = [max(len(row[i]) for row in [headings, *rows]) for i in range(len(headings))]
        line = "  ".join(f"{{:<{width}}}" for width in widths)
        self.stdout.write(line.format(*headings).rstrip())
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in rows:
            self.stdout.write(line.format(*row).rstrip())
