from django.apps import AppConfig
from django.db import transaction


def reassess_changed_activities(sender, activity_ids, reason: str = "", **kwargs) -> None:
    """Answer activities.signals.activity_facts_changed: re-assess those activities as of today,
    once the change is committed (a rolled-back approval must not be assessed).

    `robust`: the change the user made is already committed when this runs, so a broker that is
    down must not turn their request into an error; the daily run catches the activity up.
    """
    ids = sorted({int(activity_id) for activity_id in activity_ids})
    if not ids:
        return
    from monitoring import services  # models are ready only once apps are loaded

    # A named function, not a partial: Django logs a robust callback's failure by __qualname__.
    def reassess() -> None:
        services.request_reassessment(activity_ids=ids, reason=reason)

    transaction.on_commit(reassess, robust=True)


class MonitoringConfig(AppConfig):
    name = "monitoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from activities import history
        from activities.signals import activity_facts_changed
        from monitoring.models import StatusOverride

        activity_facts_changed.connect(
            reassess_changed_activities, dispatch_uid="monitoring.reassess_changed_activities"
        )
        # Status overrides belong in the activity's audit trail (page and API), which cannot
        # import monitoring: register them with it.
        history.track(
            StatusOverride,
            subject=lambda row, related: f"{row.get_status_display()} from {row.set_on}",
        )
