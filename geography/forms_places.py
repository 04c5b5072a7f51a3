"""The page form that edits an activity's recipient countries and regions: one formset of
countries and one of regions, each row a code with an optional share, and the version the page
was opened at. The rows check the shape of the input (a known code, a number); geography.rules,
through geography.services.set_places, check the rest, every problem at once."""

from __future__ import annotations

from typing import Any

from django import forms

from geography.forms import REGIONS, country_choices
from geography.rules import Place
from geography.selectors import Places

SHARE_HELP = (
    "Shares are in percent and optional: give one for every place or for none; together they "
    "make 100."
)


class PlaceRowForm(forms.Form):
    code = forms.ChoiceField(required=False)
    share = forms.DecimalField(
        required=False, min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    is_illustrative = forms.BooleanField(label="Illustrative", required=False)

    def __init__(self, *args: Any, code_choices=(), code_label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [("", "—"), *code_choices]
        self.fields["code"].label = code_label
        self.fields["share"].label = "Share (%)"


class BasePlaceFormSet(forms.BaseFormSet):
    code_choices: list[tuple[str, str]] = []
    code_label = ""

    def get_form_kwargs(self, index):
        # Every row is read (a row left as it was would otherwise read as removed); a blank
        # row is valid and names no place.
        return {
            **super().get_form_kwargs(index),
            "empty_permitted": False,
            "code_choices": self.code_choices,
            "code_label": self.code_label,
        }

    def places(self) -> list[Place]:
        """The rows that name a place, as the service takes them."""
        return [
            Place(
                row.cleaned_data["code"],
                row.cleaned_data["share"],
                row.cleaned_data["is_illustrative"],
            )
            for row in self.forms
            if getattr(row, "cleaned_data", None) and row.cleaned_data.get("code")
        ]


class BaseCountryFormSet(BasePlaceFormSet):
    code_choices = country_choices()
    code_label = "Country"


class BaseRegionFormSet(BasePlaceFormSet):
    code_choices = [(code, f"{name} ({code})") for code, name in REGIONS]
    code_label = "Region"


CountryFormSet = forms.formset_factory(
    PlaceRowForm, formset=BaseCountryFormSet, extra=3, max_num=250, validate_max=True
)
RegionFormSet = forms.formset_factory(
    PlaceRowForm, formset=BaseRegionFormSet, extra=2, max_num=50, validate_max=True
)
COUNTRIES, REGIONS_PREFIX = "c", "r"


def initial_rows(places: Places) -> tuple[list[dict], list[dict]]:
    def rows(items):
        return [
            {"code": p.code, "share": p.share, "is_illustrative": p.is_illustrative} for p in items
        ]

    return rows(places.countries), rows(places.regions)
