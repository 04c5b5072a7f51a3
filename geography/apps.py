from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "geography"
    verbose_name = "Geography"

    def ready(self) -> None:
        # The activity list's `country` and `region` filters are this app's (it owns the place
        # records); activities offers the hook, so it never imports geography.
        from activities.filters import add_filters
        from geography.filters import PLACE_FILTERS

        add_filters(PLACE_FILTERS)
