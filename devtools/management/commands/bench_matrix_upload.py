"""Benchmark of the Activity Matrix spreadsheet round trip (exchange): download, dry run and
apply of an upload, on one synthetic plan per size. Prints figures (docs/benchmarks.md).

    DATABASE_URL=postgres://…/bench make bench          # runs it after bench_pages
    DJANGO_SETTINGS_MODULE=devtools.settings python manage.py bench_matrix_upload --sizes 10000

For each size: a synthetic plan of that many activities (devtools.synthetic: per activity 5
milestones, 3 indicators, 2 funding lines, 1–3 participations); then, timed: the download
(`write_workbook` of `plan_rows`), the dry run of the file as downloaded (every row unchanged),
the dry run of the file with every activity's title edited (one service call per activity,
rolled back), and the apply of that file (written, committed). Synthetic portfolios are deleted
before and (unless --keep) after. Use a scratch database and an otherwise idle machine.
"""

from __future__ import annotations

import io
import os
import platform
import time

from django.core.management.base import BaseCommand, CommandError
from openpyxl import load_workbook

from devtools.synthetic import delete_synthetic_portfolios, generate_portfolio
from exchange.report import MissingRows
from exchange.selectors import plan_rows
from exchange.services import run_upload
from exchange.workbook import write_workbook


def _timed(work):
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def _titles_edited(content: bytes) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["activities"]
    column = [c.value for c in sheet[1]].index("title") + 1
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row=row, column=column)
        cell.value = f"{cell.value} (edited)"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class Command(BaseCommand):
    help = "Benchmark download, dry run and apply of an Activity Matrix upload (prints figures)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes", default="10000", help="Activities per plan, e.g. 1000,10000."
        )
        parser.add_argument("--keep", action="store_true", help="Keep the synthetic plans.")

    def handle(self, *args, **options):
        try:
            sizes = [int(s) for s in options["sizes"].split(",") if s.strip()]
        except ValueError:
            raise CommandError("--sizes takes comma-separated numbers.") from None
        load = " ".join(f"{v:.2f}" for v in os.getloadavg())
        self.stdout.write(
            f"Machine: {os.cpu_count()} CPUs, {platform.platform()}, Python "
            f"{platform.python_version()}; load average before: {load}"
        )
        delete_synthetic_portfolios()
        try:
            for size in sizes:
                self._bench(size)
        finally:
            if not options["keep"]:
                delete_synthetic_portfolios()

    def _bench(self, size: int) -> None:
        summary = generate_portfolio(activities=size, partnerships=1, plans_per_partnership=1)
        plan_id = summary.plan_ids[0]
        rows = (
            size
            + summary.participations
            + summary.milestones
            + summary.indicators
            + summary.funding_lines
        )
        self.stdout.write(f"\n{size} activities, {rows} rows in the workbook")
        content, seconds = _timed(lambda: write_workbook(plan_rows(plan_id=plan_id)))
        self.stdout.write(f"  download: {seconds:.1f} s, {len(content) / 2**20:.1f} MiB")

        def upload(data: bytes, apply: bool):
            return run_upload(
                actor=None,
                plan_id=plan_id,
                content=data,
                missing_rows=MissingRows.KEEP,
                apply=apply,
            )

        report, seconds = _timed(lambda: upload(content, False))
        self.stdout.write(
            f"  dry run, unchanged: {seconds:.1f} s ({report.change_count} changes, "
            f"{len(report.problems)} errors)"
        )
        edited = _titles_edited(content)
        report, seconds = _timed(lambda: upload(edited, False))
        self.stdout.write(
            f"  dry run, {report.change_count} titles edited: {seconds:.1f} s "
            f"({len(report.problems)} errors, {len(report.conflicts)} conflicts)"
        )
        report, seconds = _timed(lambda: upload(edited, True))
        self.stdout.write(
            f"  apply, {report.change_count} titles edited: {seconds:.1f} s "
            f"(applied: {report.applied})"
        )
