"""Give the 2016 demo activities their recipient countries and regions (geography.demo).

Called by `load_demo` by name (activities does not import geography). Safe to run again: places
already as listed change nothing, not even the activity's version.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from activities.demo import data
from activities.models import Activity
from geography import services
from geography.demo import DEMO_PLACES


class Command(BaseCommand):
    help = "Set the recipient countries and regions of the 2016 demo activities (idempotent)."

    def handle(self, *args, **options):
        activities = Activity.objects.filter(
            matrix__plan__title=data.PLAN["title"], code__in=DEMO_PLACES
        ).order_by("code")
        changed = 0
        for activity in activities:
            countries, regions = DEMO_PLACES[activity.code]
            updated = services.set_places(
                actor=None, activity=activity, version=None, countries=countries, regions=regions
            )
            changed += updated.version != activity.version
        self.stdout.write(f"Places: {changed} of {len(activities)} demo activities changed.")
