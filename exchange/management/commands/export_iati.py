"""Write a plan's activities as an IATI 2.03 activity file (exchange.iati).

    python manage.py export_iati 1 --output iati.xml
    python manage.py export_iati 1 --output iati.xml --reporting-org UNODC
    python manage.py export_iati 1 --output iati.xml --validate

With --validate, the file is checked against the official XSD (the copy in exchange/iati_schema/,
or the directory given: `--validate SCHEMA_DIR`) and against the rules the XSD cannot express;
the command fails, listing every problem, if it is not valid.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exchange import iati
from partnership.models import JointActionPlan, Organization


class Command(BaseCommand):
    help = "Write a plan's activities as an IATI 2.03 activity file."

    def add_arguments(self, parser):
        parser.add_argument("plan_id", type=int)
        parser.add_argument("--output", "-o", required=True)
        parser.add_argument("--reporting-org", help="The reporting organization's acronym.")
        parser.add_argument(
            "--validate",
            nargs="?",
            const=str(iati.SCHEMA_DIR),
            metavar="SCHEMA_DIR",
            help="Check it against the XSD (by default the copy in exchange/iati_schema/).",
        )

    def handle(self, *args, **options):
        try:
            content = iati.iati_activities(
                plan_id=options["plan_id"], reporting_acronym=options["reporting_org"]
            )
        except JointActionPlan.DoesNotExist as exc:
            raise CommandError(f"No plan with id {options['plan_id']}.") from exc
        except Organization.DoesNotExist as exc:
            raise CommandError(f"No organization “{options['reporting_org']}”.") from exc
        Path(options["output"]).write_bytes(content)
        if options["validate"]:
            problems = iati.schema_errors(content, schema_dir=Path(options["validate"]))
            problems += iati.rule_errors(content)
            if problems:
                listed = "\n".join(f"  - {p}" for p in problems)
                raise CommandError(f"{options['output']} is not valid IATI 2.03:\n{listed}")
        self.stdout.write(f"Wrote {options['output']}.")
