"""Upload an Activity Matrix workbook into its plan (exchange.services.run_upload).

    python manage.py import_matrix 1 matrix.xlsx --missing keep            # dry run: the report
    python manage.py import_matrix 1 matrix.xlsx --missing remove --apply  # write it
    python manage.py import_matrix 1 matrix.xlsx --missing keep --json     # the report as JSON

`--missing` has no default: say what happens to the plan's records the file does not list.
With --apply, the file is written only if its dry run has no error and no conflict; otherwise
nothing is written and the command fails with the report.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from activities.exceptions import NotAllowed
from exchange.report import MissingRows, as_text
from exchange.services import run_upload
from partnership.models import JointActionPlan


class Command(BaseCommand):
    help = "Dry-run (or, with --apply, write) an Activity Matrix workbook into its plan."

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int)
        parser.add_argument("file", help="An .xlsx file made from export_matrix's template.")
        parser.add_argument(
            "--missing",
            required=True,
            choices=[m.value for m in MissingRows],
            help="Records of the plan missing from the file: keep them or remove them.",
        )
        parser.add_argument("--apply", action="store_true", help="Write it (default: dry run).")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
        parser.add_argument(
            "--as", dest="username", help="The manager the audit history names (default: none)."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        actor = None
        if options["username"]:
            actor = get_user_model().objects.filter(username=options["username"]).first()
            if actor is None:
                raise CommandError(f"No user “{options['username']}”.")
        try:
            report = run_upload(
                actor=actor,
                plan_id=options["plan_id"],
                content=content,
                missing_rows=MissingRows(options["missing"]),
                apply=options["apply"],
            )
        except JointActionPlan.DoesNotExist as exc:
            raise CommandError(f"No plan with id {options['plan_id']}.") from exc
        except NotAllowed as exc:
            raise CommandError(str(exc)) from exc
        text = json.dumps(report.as_dict(), indent=2) if options["json"] else as_text(report)
        if options["apply"] and not report.applied:
            raise CommandError(f"Nothing was written.\n{text}")
        self.stdout.write(text)
        if report.applied:
            self.stdout.write(f"Applied {report.change_count} change(s).")
        elif not options["apply"]:
            self.stdout.write(f"Dry run: {report.change_count} change(s), nothing written.")
