"""Write a plan's Activity Matrix workbook, the upload template (exchange.workbook).

python manage.py export_matrix 1 --output matrix.xlsx
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exchange.selectors import plan_rows
from exchange.workbook import write_workbook
from partnership.models import JointActionPlan


class Command(BaseCommand):
    help = "Write a plan's Activity Matrix as an XLSX workbook that is also the upload template."

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int)
        parser.add_argument("--output", "-o", required=True, help="The .xlsx file to write.")

    def handle(self, *args, **options):
        try:
            rows = plan_rows(plan_id=options["plan_id"])
        except JointActionPlan.DoesNotExist as exc:
            raise CommandError(f"No plan with id {options['plan_id']}.") from exc
        Path(options["output"]).write_bytes(write_workbook(rows))
        self.stdout.write(
            f"Wrote {len(rows.rows.get('activities', {}))} activities to {options['output']}."
        )
