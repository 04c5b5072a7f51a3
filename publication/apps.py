from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "publication"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from activities import history
        from publication.models import Disclosure

        # Who made what public belongs in the activity's audit trail (page and API), which
        # cannot import this app: register the disclosure settings with it.
        history.track(Disclosure, subject=lambda row, related: "publication settings")
