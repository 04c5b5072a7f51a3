"""The plan's monitoring runs: the dashboard's runs panel, a run's page and its progress."""

from __future__ import annotations

from monitoring.models import MonitoringRun


def plan_runs(*, plan_id: int, limit: int = 5) -> list[MonitoringRun]:
    """The plan's latest runs with who asked (one query)."""
    return list(
        MonitoringRun.objects.filter(plan_id=plan_id)
        .select_related("requested_by")
        .order_by("-created_at", "-id")[:limit]
    )


def run_or_none(*, run_id: int, related: bool = True) -> MonitoringRun | None:
    """One run, with its plan and requester joined unless `related` is False (one query)."""
    runs = MonitoringRun.objects.filter(pk=run_id)
    if related:
        runs = runs.select_related("plan", "requested_by")
    return runs.first()
