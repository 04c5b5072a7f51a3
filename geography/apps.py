from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "geography"
    verbose_name = "Geography"

    def ready(self) -> None:
        # The activity list's `country` and `region` filters, in the API and on the page, are this
        # app's (it owns the place records); activities offers the hooks, so it never imports
        # geography.
        from activities.api.serializers import add_detail_fields
        from activities.filters import add_filters
        from activities.forms import add_filter_fields
        from geography.api import DETAIL_FIELDS
        from geography.exports import EXPORT_COLUMNS
        from geography.filters import PLACE_FILTERS
        from geography.forms import country_field, region_field
        from monitoring.exports import add_columns

        add_filters(PLACE_FILTERS)
        add_filter_fields({"country": country_field, "region": region_field})
        # The activity export's "Countries" and "Regions" columns, likewise.
        add_columns(EXPORT_COLUMNS, group="places")
        # And the activity detail's `countries` and `regions` (API and schema).
        add_detail_fields(DETAIL_FIELDS, group="places")
