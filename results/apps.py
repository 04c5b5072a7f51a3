from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "results"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from activities import history
        from results.models import Contribution, Result

        # What an activity contributes to the results chain is part of its audit trail (its
        # page and API history), which cannot import this app: register it with it.
        history.track(
            Contribution,
            subject=lambda row, related: (
                f"contribution to output {related.name(Result, row.output_id)}"
            ),
        )
