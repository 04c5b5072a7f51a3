"""Load the 2016 INTERPOL–UNODC demo data set and its results chain, then replay its monitoring
month by month (which rolls the chain up too).

    python manage.py load_demo                    # load (or restore), then replay 2016
    DEMO_PASSWORD=… python manage.py load_demo    # also (re)set the demo users' password
    python manage.py load_demo --no-monitoring    # load only

Safe to run again: a second run changes nothing (see activities.demo.loader).
"""

from __future__ import annotations

import os

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

from activities.demo.loader import LoadReport, load_demo

REPLAY = ("--as-of", "2016-01-31", "--through", "2016-12-31", "--every", "month")


class Command(BaseCommand):
    help = "Load the 2016 demo data set (idempotent) and replay the monitoring of 2016."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-monitoring",
            action="store_true",
            help="Do not replay the monitoring of 2016 after loading.",
        )

    def handle(self, *args, **options):
        report = load_demo(password=os.environ.get("DEMO_PASSWORD") or None)
        self._changes(report)
        # Where the activities happen: geography's records, by name (this app does not import
        # it), before the replay as the rest of the demo's facts.
        call_command("load_demo_places", stdout=self.stdout, stderr=self.stderr)
        # The results chain above the activities (objectives, outcomes, outputs) is the results
        # app's, loaded by name like the monitoring replay, so this app imports neither.
        call_command("load_results_demo", stdout=self.stdout, stderr=self.stderr)
        if not options["no_monitoring"]:
            self.stdout.write("Replaying the monitoring of 2016, month by month:")
            call_command("run_monitoring", *REPLAY, stdout=self.stdout, stderr=self.stderr)
            # The public portal's snapshots need the assessed dates; called by name, as
            # run_monitoring is, so this app imports neither.
            if apps.is_installed("publication"):
                call_command("publish_demo", stdout=self.stdout, stderr=self.stderr)
        # The notifications app's part of the demo, by name (this app does not import it).
        call_command("load_demo_conversation", stdout=self.stdout, stderr=self.stderr)
        self._logins(report)

    def _changes(self, report: LoadReport) -> None:
        if not report.changed_anything:
            self.stdout.write("Demo data already up to date: nothing changed.")
            return
        for label, counts in (("Created", report.created), ("Updated", report.updated)):
            if counts:
                listed = ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))
                self.stdout.write(f"{label}: {listed}.")

    def _logins(self, report: LoadReport) -> None:
        rows = [("username", "role", "organization", "password")]
        for login in report.logins:
            if report.password_source == "env":
                secret = "DEMO_PASSWORD"
            elif login.generated_password:
                secret = login.generated_password
            else:
                secret = "(unchanged)"
            rows.append((login.username, login.role, login.organization or "—", secret))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins"))
        for row in rows:
            self.stdout.write(
                "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
            )
        if report.password_source == "generated":
            self.stdout.write(
                self.style.WARNING(
                    "Generated passwords are shown this once; note them now. "
                    "To choose one instead: DEMO_PASSWORD=… make run"
                )
            )
        elif report.password_source == "kept":
            self.stdout.write(
                "Existing passwords were kept. To reset them: DEMO_PASSWORD=… make run "
                "(or DEMO_PASSWORD=… python manage.py load_demo)."
            )
