"""The results page's parameters."""

from __future__ import annotations

from django import forms

from activities.models import MonitoringStatus
from partnership.limits import BoundedDateField
from results.models import Level


class ChainFilterForm(forms.Form):
    as_of = BoundedDateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        label="As of",
        help_text="A date between two roll-ups shows the earlier one.",
    )
    level = forms.ChoiceField(
        required=False,
        label="Down to",
        choices=[
            ("", "Outputs (all levels)"),
            (Level.OBJECTIVE, "Objectives"),
            (Level.OUTCOME, "Outcomes"),
        ],
    )
    status = forms.ChoiceField(
        required=False, label="Status", choices=[("", "Any status"), *MonitoringStatus.choices]
    )
