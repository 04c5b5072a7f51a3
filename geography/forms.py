"""The map's and the place pages' GET parameters: the activity list's filters (thematic area,
organization, status, priority year, horizon), named as the list and the API name them, and
what the map is coloured by. The plan and the date are the dashboard's (monitoring.views
resolves them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django_countries import countries

from activities.forms import ActivityFilterForm
from geography import reference_data

COLOUR_COUNT = "count"
COLOUR_WORST = "worst"


class MapFilterForm(ActivityFilterForm):
    # The list's text search, cooperation type and ordering have no meaning on a map; its country
    # and region filters are what the map and the place pages show.
    LEFT_OUT = ("search", "cooperation_type", "ordering", "country", "region")

    colour = forms.ChoiceField(
        label="Colour countries by",
        required=False,
        choices=[
            (COLOUR_COUNT, "Number of activities"),
            (COLOUR_WORST, "Worst status of their activities"),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.LEFT_OUT:
            del self.fields[name]
        self.fields["status"].label = "Status on the date"

    @property
    def colour_by(self) -> str:
        return getattr(self, "cleaned_data", {}).get("colour") or COLOUR_COUNT

    def filter_params(self) -> dict[str, Any]:
        params = super().filter_params()
        params.pop("ordering", None)
        return params


def country_field() -> forms.ChoiceField:
    """The activity list's country filter: every ISO 3166-1 country (no query)."""
    return forms.ChoiceField(
        label="Country", required=False, choices=[("", "Any"), *country_choices()]
    )


def region_field() -> forms.ChoiceField:
    """The activity list's region filter: the M49 regions, read from the shipped data (no
    query, so the list page's query count stays as it was)."""
    return forms.ChoiceField(label="Region", required=False, choices=[("", "Any"), *REGIONS])


def country_choices() -> list[tuple[str, str]]:
    return [(country.code, country.name) for country in countries]


REGIONS = [
    (row["code"], row["name"])
    for row in sorted(reference_data.region_rows(), key=lambda row: row["name"])
]
