"""What beat finds due, recorded as events (through activities.services.record_keyed_events):

- a milestone due within the next 7 days, once per milestone and due date;
- a milestone past its due date and not complete, once per milestone and due date.

Only for adopted plans whose period includes today: the time is real, and a plan of 2016
replayed in 2026 has nothing left to remind anyone of. Each finding is keyed, so running the
task twice (or every hour) records each reminder once. Two queries to find, two to record.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from activities.models import Event, Milestone
from activities.services import KeyedEvent, record_keyed_events
from partnership.models import JointActionPlan

DUE_SOON_DAYS = 7


def _plans_in_period(today: dt.date):
    return JointActionPlan.objects.filter(
        state=JointActionPlan.State.ADOPTED, period_start__lte=today, period_end__gte=today
    ).values("id")


def milestone_reminders(today: dt.date) -> list[KeyedEvent]:
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    rows = (
        Milestone.objects.filter(
            completed_on__isnull=True,
            activity__matrix__plan_id__in=_plans_in_period(today),
        )
        .filter(Q(due_date__lt=today) | Q(due_date__gt=today, due_date__lte=soon))
        .order_by("due_date", "id")
        .values_list("id", "activity_id", "title", "due_date")
    )
    found = []
    for milestone_id, activity_id, title, due_date in rows:
        kind = Event.Kind.MILESTONE_OVERDUE if due_date < today else Event.Kind.MILESTONE_DUE_SOON
        found.append(
            KeyedEvent(
                kind=kind,
                activity_id=activity_id,
                key=f"{kind}:{milestone_id}:{due_date.isoformat()}",
                payload={
                    "milestone_id": milestone_id,
                    "title": title,
                    "due_date": due_date.isoformat(),
                },
            )
        )
    return found


def find_due(*, today: dt.date | None = None) -> list[int]:
    """Record every reminder due today; the ids of the events recorded (or still pending)."""
    today = today or timezone.localdate()
    return record_keyed_events(milestone_reminders(today))
