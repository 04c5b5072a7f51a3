"""What beat finds due, recorded as events (through activities.services.record_keyed_events):

- a milestone due within the next 7 days, once per milestone and due date;
- a milestone past its due date and not complete, once per milestone and due date;
- a report whose submission window is open and that nobody has submitted, once per activity and
  period;
- a report late, once per activity, period and escalation level: the officers when it is N days
  late, the organization's focal points M days after that, the managers K days after that
  (settings.NOTIFICATIONS; notifications.rules.escalation_level).

Milestones only of adopted plans whose period includes today, reports only of periods due in the
last few weeks: the time is real, and a plan of 2016 replayed in 2026 has nothing left to remind
anyone of. Each finding is keyed, so running the task twice (or every hour) records each
reminder once. A fixed number of queries whatever the number of activities.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from activities import periods
from activities.models import Activity, Event, Milestone, ReportingPeriod
from activities.period_selectors import first_submissions
from activities.services import KeyedEvent, record_keyed_events
from notifications import rules
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


def escalation_policy() -> rules.Escalation:
    configured = settings.NOTIFICATIONS
    return rules.Escalation(
        remind_after=configured["REMIND_AFTER_DAYS"],
        focal_point_after=configured["FOCAL_POINT_AFTER_DAYS"],
        manager_after=configured["MANAGER_AFTER_DAYS"],
    )


def report_reminders(today: dt.date, policy: rules.Escalation) -> list[KeyedEvent]:
    # Past the manager's step, a report late is not news any more: each step was told once.
    lookback = policy.remind_after + policy.focal_point_after + policy.manager_after + 7
    due = list(
        ReportingPeriod.objects.filter(
            calendar__plan__state=JointActionPlan.State.ADOPTED,
            opens_on__lte=today,
            due_on__gte=today - dt.timedelta(days=lookback),
        )
        .select_related("calendar")
        .order_by("starts_on", "id")
    )
    if not due:
        return []
    plan_ids = {period.calendar.plan_id for period in due}
    activities = list(
        Activity.objects.filter(matrix__plan_id__in=plan_ids)
        .order_by("id")
        .values_list("id", "matrix__plan_id", "start_date", "end_date")
    )
    submitted = {}
    for plan_id in sorted(plan_ids):
        submitted.update(first_submissions(plan_id=plan_id))
    found = []
    for period in due:
        for activity_id, plan_id, start, end in activities:
            if plan_id != period.calendar.plan_id or (activity_id, period.pk) in submitted:
                continue
            if not periods.reports_on(
                activity_start=start,
                activity_end=end,
                starts_on=period.starts_on,
                ends_on=period.ends_on,
            ):
                continue
            if event := _report_event(activity_id, period, today, policy):
                found.append(event)
    return found


def _report_event(
    activity_id: int, period: ReportingPeriod, today: dt.date, policy: rules.Escalation
) -> KeyedEvent | None:
    payload = {
        "period_id": period.pk,
        "period_label": period.label,
        "due_on": period.due_on.isoformat(),
    }
    if today <= period.due_on:
        kind = Event.Kind.REPORT_DUE
        return KeyedEvent(
            kind=kind,
            activity_id=activity_id,
            key=f"{kind}:{activity_id}:{period.pk}",
            payload=payload,
        )
    days_late = (today - period.due_on).days
    level = rules.escalation_level(days_late, policy)
    if level is None:
        return None
    kind = Event.Kind.REPORT_LATE
    return KeyedEvent(
        kind=kind,
        activity_id=activity_id,
        key=f"{kind}:{activity_id}:{period.pk}:{level}",
        payload=payload | {"days_late": days_late, "level": level},
    )


def find_due(*, today: dt.date | None = None) -> list[int]:
    """Record every reminder due today; the ids of the events recorded (or still pending)."""
    today = today or timezone.localdate()
    found = milestone_reminders(today) + report_reminders(today, escalation_policy())
    return record_keyed_events(found)
