"""Benchmark of the monitoring engine on PostgreSQL with real Celery workers. Prints figures.

    DATABASE_URL=postgres://…/bench REDIS_URL=redis://…/5 \
        make bench-monitoring BENCH_SIZES=1000,10000,100000

For each size: a synthetic plan of that many activities is generated, then one run as of
--as-of is timed with 1 and with 2 worker processes (a real `celery -A config worker
--concurrency=N`), from the request to the run's "finished". Then queries per chunk at two
chunk sizes, and the engine against a naive one-activity-at-a-time ORM loop on --naive
activities. Synthetic portfolios are deleted before and (unless --keep) after. Use a scratch
database: the figures are only meaningful on an otherwise idle machine.
"""

from __future__ import annotations

import os
import platform
import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from activities.models import Activity
from devtools.naive_engine import assess_naively
from devtools.synthetic import (
    PREFIX,
    delete_synthetic_portfolios,
    generate_portfolio,
    generate_results_chain,
)
from monitoring import engine, services
from monitoring.models import Assessment, MonitoringRun
from partnership.models import JointActionPlan
from tests.support.celery_worker import CeleryWorker, worker_command


def _ints(value: str) -> list[int]:
    try:
        return [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise CommandError(f"Expected comma-separated numbers, not {value!r}.") from None


def _forget_assessments(activity_ids: list[int]) -> None:
    """Start each timing from a portfolio never assessed: inserts, not updates."""
    Assessment.objects.filter(activity_id__in=activity_ids).delete()
    Activity.objects.filter(id__in=activity_ids).update(
        status="", status_as_of=None, status_reasons=[]
    )


class Command(BaseCommand):
    help = "Benchmark monitoring runs on PostgreSQL with 1 and 2 Celery workers (prints figures)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="1000,10000", help="Activities per plan.")
        parser.add_argument("--workers", default="1,2", help="Worker process counts to time.")
        parser.add_argument("--chunk-sizes", default="100,1000", help="Two chunk sizes.")
        parser.add_argument(
            "--naive", type=int, default=1000, help="Activities for the naive loop."
        )
        parser.add_argument("--as-of", default="2016-09-30")
        parser.add_argument("--timeout", type=float, default=900, help="Seconds per run at most.")
        parser.add_argument("--keep", action="store_true", help="Keep the synthetic portfolios.")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Reuse a kept synthetic plan of the right size instead of generating one.",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL.")
        if not settings.REDIS_URL:
            raise CommandError("The benchmark needs the Redis broker: set REDIS_URL.")
        as_of = date.fromisoformat(options["as_of"])
        sizes, workers = _ints(options["sizes"]), _ints(options["workers"])
        self.stdout.write(
            f"Machine: {platform.node()}, {os.cpu_count()} CPUs, {platform.platform()}, "
            f"Python {platform.python_version()}, "
            f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}; "
            f"chunk size {services.chunk_size()}; as of {as_of}."
        )
        self.stdout.write(f"Worker command: {' '.join(worker_command(workers[0]))}")
        if not options["reuse"]:
            removed = delete_synthetic_portfolios()
            if removed:
                self.stdout.write(f"Deleted {removed} earlier synthetic partnership(s).")

        rows, first_ids = [], None
        for size in sizes:
            plan_id = self._plan_of(size) if options["reuse"] else None
            if plan_id is None:
                summary = generate_portfolio(
                    activities=size, partnerships=1, plans_per_partnership=1
                )
                plan_id = summary.plan_ids[0]
                # A results chain over the plan: each run ends by rolling it up, so the figures
                # include the roll-up (issue 20), as bench_pages' plans do.
                contributions = generate_results_chain(plan_id=plan_id)
                _analyze()
                made = (
                    f"generated {summary.rows:,} rows in {summary.seconds:.1f} s, "
                    f"a results chain of {contributions:,} contributions"
                )
            else:
                made = "reused"
            ids = list(
                Activity.objects.filter(matrix__plan_id=plan_id)
                .order_by("id")
                .values_list("id", flat=True)
            )
            first_ids = first_ids or ids
            self.stdout.write(f"\n{size:,} activities: {made} (plan {plan_id}).")
            for count in workers:
                _forget_assessments(ids)
                seconds, run = self._timed_run(plan_id, as_of, count, options["timeout"])
                # Statistics with the assessments in place: taken before, they describe an empty
                # table, and the planner then loops over "one row" for the statements that
                # follow (the clean-up DELETE ran for minutes at 100,000).
                _analyze()
                rate = run.activities_assessed / seconds if seconds else 0
                self.stdout.write(
                    f"  {count} worker process(es): {seconds:.2f} s wall, run duration "
                    f"{run.seconds:.2f} s, {run.chunks_total} chunks, "
                    f"{run.activities_assessed:,} assessed ({rate:,.0f}/s), {run.state}"
                )
                rows.append((size, count, seconds, run))

        self.stdout.write("")
        self._queries_per_chunk(first_ids, as_of, _ints(options["chunk_sizes"]))
        self._naive_ratio(first_ids[: options["naive"]], as_of)

        self.stdout.write("\nSummary (seconds per run, from request to finished):")
        self.stdout.write(f"  {'activities':>10}  {'workers':>7}  {'seconds':>8}  {'per s':>8}")
        for size, count, seconds, run in rows:
            rate = run.activities_assessed / seconds if seconds else 0
            self.stdout.write(f"  {size:>10,}  {count:>7}  {seconds:>8.2f}  {rate:>8,.0f}")
        if not options["keep"]:
            delete_synthetic_portfolios()

    def _plan_of(self, size: int) -> int | None:
        return (
            JointActionPlan.objects.filter(title__startswith=PREFIX)
            .annotate(activities=Count("matrices__activities"))
            .filter(activities=size)
            .values_list("pk", flat=True)
            .first()
        )

    def _timed_run(self, plan_id: int, as_of, concurrency: int, timeout: float):
        with CeleryWorker(concurrency=concurrency):
            started = time.perf_counter()
            run = services.request_run(
                plan_id=plan_id, as_of=as_of, trigger=MonitoringRun.Trigger.MANUAL, note="bench"
            )
            while True:
                run.refresh_from_db()
                if not run.is_open:
                    break
                if time.perf_counter() - started > timeout:
                    raise CommandError(f"Run {run.pk} did not finish within {timeout} s.")
                time.sleep(0.05)
            seconds = time.perf_counter() - started
        if run.state != MonitoringRun.State.FINISHED:
            raise CommandError(f"Run {run.pk} failed: {run.error}")
        return seconds, run

    def _queries_per_chunk(self, ids: list[int], as_of, chunk_sizes: list[int]) -> None:
        counts = []
        for size in chunk_sizes:
            chunk = ids[:size]
            with CaptureQueriesContext(connection) as queries:
                engine.assess_activities(chunk, as_of=as_of)
            # Without BEGIN/COMMIT/SAVEPOINT: the statements that do the work.
            work = [q for q in queries.captured_queries if q["sql"].split()[0] not in _TX]
            counts.append(len(work))
            self.stdout.write(f"Queries per chunk of {len(chunk):,} activities: {len(work)}")
        same = len(set(counts)) == 1
        self.stdout.write(f"  constant as the chunk grows: {'yes' if same else 'NO'}")

    def _naive_ratio(self, ids: list[int], as_of) -> None:
        _forget_assessments(ids)
        with _QueryCounter() as naive_queries:
            started = time.perf_counter()
            assess_naively(ids, as_of=as_of)
            naive = time.perf_counter() - started
        _forget_assessments(ids)
        size = services.chunk_size()
        with _QueryCounter() as engine_queries:
            started = time.perf_counter()
            for first in range(0, len(ids), size):
                engine.assess_activities(ids[first : first + size], as_of=as_of)
            fast = time.perf_counter() - started
        self.stdout.write(
            f"Naive ORM loop on {len(ids):,} activities: {naive:.2f} s "
            f"({naive_queries.count:,} queries); engine in one process: "
            f"{fast:.2f} s ({engine_queries.count:,} queries); "
            f"engine is {naive / fast:.1f}x faster."
        )


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class _QueryCounter:
    """Counts the statements sent to the database (without keeping them, unlike
    CaptureQueriesContext, which stops at 9,000)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc_info):
        self._wrapper.__exit__(*exc_info)


_TX = {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"}
