"""Load the results chain of the 2016 demo (objectives, outcomes, outputs, contributions,
indicators) onto the demo plan; `load_demo` calls it by name before replaying the monitoring."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from results import demo


class Command(BaseCommand):
    help = "Load the 2016 demo's results chain (idempotent: creates only what is missing)."

    def handle(self, *args, **options):
        created = demo.load()
        if any(created.values()):
            listed = ", ".join(f"{name} {n}" for name, n in created.items() if n)
            self.stdout.write(f"Results chain created: {listed}.")
        else:
            self.stdout.write("Results chain already up to date: nothing changed.")
