"""Write one Joint Action Plan with everything under it as JSON (activities.plan_export).

python manage.py export_plan 1                       # to standard output
python manage.py export_plan 1 --output plan.json    # to a file
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from activities.plan_export import export_plan
from partnership.models import JointActionPlan


class Command(BaseCommand):
    help = "Export one plan, its agreements, matrices and activities with all they hold, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int, help="The id of the Joint Action Plan.")
        parser.add_argument("--output", "-o", help="Write to this file instead of stdout.")

    def handle(self, *args, **options):
        try:
            document = export_plan(plan_id=options["plan_id"])
        except JointActionPlan.DoesNotExist as exc:
            raise CommandError(f"No plan with id {options['plan_id']}.") from exc
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            activities = sum(len(m["activities"]) for m in document["matrices"])
            self.stderr.write(
                f"Exported “{document['plan']['title']}” ({activities} activities) to "
                f"{options['output']}."
            )
        else:
            self.stdout.write(text, ending="")
