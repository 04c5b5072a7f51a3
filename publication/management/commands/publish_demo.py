"""Set the 2016 demo's sensitivity tiers and public texts, and publish its snapshots.

    python manage.py publish_demo        # after load_demo (which calls it by name)

Safe to run again (publication.demo). Skipped, with a message, when the demo plan is not there.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from partnership.models import JointActionPlan
from publication.demo import apply_settings, publish_demo

DEMO_PLAN_TITLE = "INTERPOL–UNODC Joint Action Plan"


class Command(BaseCommand):
    help = "Set the demo's tiers and public texts and publish its snapshots (idempotent)."

    def handle(self, *args, **options):
        plan = JointActionPlan.objects.filter(title=DEMO_PLAN_TITLE).order_by("id").first()
        if plan is None:
            self.stdout.write("No demo plan: run load_demo first. Nothing published.")
            return
        settings = apply_settings(plan_id=plan.pk)
        made = publish_demo(plan_id=plan.pk)
        self.stdout.write(f"Publication settings of {settings} demo activities applied.")
        for snapshot in made:
            state = "withdrawn" if snapshot.is_withdrawn else "published"
            self.stdout.write(
                f"Snapshot as of {snapshot.as_of:%Y-%m-%d} {state} "
                f"({snapshot.activity_count} public activities): /public/snapshots/{snapshot.pk}/"
            )
        if not made:
            self.stdout.write("Demo snapshots already published: nothing changed.")
