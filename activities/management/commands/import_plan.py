"""Import a plan written by export_plan (activities.plan_import): all of it or nothing.

    python manage.py import_plan plan.json
    python manage.py import_plan plan.json --as admin    # record the import under this user
                                                         # (a manager or administrator)

A plan already in the database (same partnership, title and start) is refused. Run
`python manage.py run_monitoring --plan <new id>` afterwards to rebuild its status history.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from activities.exceptions import NotAllowed
from activities.plan_import import import_plan


class Command(BaseCommand):
    help = "Import one plan exported by export_plan into this database (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON file written by export_plan.")
        parser.add_argument(
            "--as",
            dest="username",
            help="The user the audit history names as author of the imported records.",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        actor = None
        if options["username"]:
            actor = get_user_model().objects.filter(username=options["username"]).first()
            if actor is None:
                raise CommandError(f"No user “{options['username']}”.")
        try:
            plan = import_plan(document=document, actor=actor)
        except ValidationError as exc:
            # One line per problem: an operator fixes the file from this list.
            problems = exc.messages
            if len(problems) == 1:
                raise CommandError(problems[0]) from exc
            listed = "\n".join(f"  - {message}" for message in problems)
            raise CommandError(
                f"Nothing was imported: {len(problems)} problems.\n{listed}"
            ) from exc
        except NotAllowed as exc:
            raise CommandError(str(exc)) from exc
        activities = sum(len(m["activities"]) for m in document["matrices"])
        self.stdout.write(
            f"Imported “{plan.title}” as plan {plan.pk} with {activities} activities."
        )
