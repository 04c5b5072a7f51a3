"""The baseline of the monitoring benchmark (`manage.py bench_monitoring`): `assess_naively`
assesses one activity at a time through the ORM, the way a first version would be written, so
that the engine's figures have something to be compared with."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from activities.models import Activity, ProgressUpdate
from monitoring import rules
from monitoring.facts import (
    ActivityFacts,
    FundingFact,
    IndicatorFact,
    MeasurementFact,
    MilestoneFact,
    OverrideFact,
    UpdateFact,
)
from monitoring.models import Assessment
from monitoring.policy import Policy


def _facts_through_orm(activity: Activity) -> ActivityFacts:
    approved = activity.updates.filter(state=ProgressUpdate.State.APPROVED)
    return ActivityFacts(
        activity_id=activity.pk,
        code=activity.code,
        title=activity.title,
        lifecycle=activity.lifecycle,
        start_date=activity.start_date,
        end_date=activity.end_date,
        budget_required=activity.budget_required,
        milestones=tuple(
            MilestoneFact(m.title, m.due_date, m.completed_on, m.weight)
            for m in activity.milestones.all()
        ),
        indicators=tuple(
            IndicatorFact(
                name=i.name,
                unit=i.unit,
                baseline=i.baseline,
                baseline_date=i.baseline_date,
                target=i.target,
                target_date=i.target_date,
                direction=i.direction,
                measurements=tuple(
                    MeasurementFact(m.measured_on, m.value) for m in i.measurements.all()
                ),
            )
            for i in activity.indicators.all()
        ),
        approved_updates=tuple(
            UpdateFact(u.period_end, u.percent_complete, timezone.localdate(u.reviewed_at))
            for u in approved
        ),
        funding=tuple(FundingFact(f.amount, f.status, f.date) for f in activity.funding.all()),
        overrides=tuple(
            OverrideFact(o.status, o.reason, o.set_on, o.expires_on, o.set_by.username)
            for o in activity.status_overrides.all()
        ),
    )


def assess_naively(activity_ids: Iterable[int], *, as_of: date) -> int:
    """The baseline: for each activity, load it and its facts through the ORM, assess it, and
    write its assessment and current status with one statement each. Same results as the engine,
    a dozen queries per activity. Returns how many were assessed."""
    policy = Policy.from_settings()
    assessed = 0
    for activity_id in activity_ids:
        with transaction.atomic():
            activity = Activity.objects.get(pk=activity_id)
            result = rules.assess(_facts_through_orm(activity), as_of, policy)
            Assessment.objects.update_or_create(
                activity=activity,
                as_of=as_of,
                defaults={
                    "status": result.status,
                    "reasons": result.reasons_as_dicts(),
                    "expected_progress": result.expected_progress,
                    "reported_progress": result.reported_progress,
                    "funding_coverage": result.funding_coverage,
                    "overridden": result.overridden,
                },
            )
            Activity.objects.filter(
                Q(status_as_of__isnull=True) | Q(status_as_of__lte=as_of), pk=activity_id
            ).update(
                status=result.status, status_as_of=as_of, status_reasons=result.reasons_as_dicts()
            )
        assessed += 1
    return assessed
