from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from activities import history
        from activities.signals import activity_facts_changed, event_recorded
        from monitoring.follow_up import on_event_recorded, on_facts_changed
        from monitoring.models import StatusOverride

        activity_facts_changed.connect(on_facts_changed, dispatch_uid="monitoring.on_facts_changed")
        event_recorded.connect(on_event_recorded, dispatch_uid="monitoring.on_event_recorded")
        # Status overrides belong in the activity's audit trail (page and API), which cannot
        # import monitoring: register them with it.
        history.track(
            StatusOverride,
            subject=lambda row, related: f"{row.get_status_display()} from {row.set_on}",
        )
