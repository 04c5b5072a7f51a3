"""The managers' and liaison officers' forms: tiers and public texts, publish, withdraw. They check
the shape of the input; the services check the rules and their errors come back beside the
fields (`partnership.forms.add_service_errors`)."""

from __future__ import annotations

from typing import Any

from django import forms

from activities.forms import AccessibleForm
from partnership.limits import LONG_TEXT_MAX, NOTE_MAX, BoundedDateField
from publication import rules
from publication.models import Disclosure


class DisclosureForm(AccessibleForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    tier = forms.ChoiceField(
        label="Activity",
        choices=Disclosure.Tier.choices,
        help_text="Only a public activity is published; its fields are never more open than it.",
    )
    public_summary = forms.CharField(
        label="Public summary",
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the public reads about this activity, written for them.",
    )
    public_status_reason = forms.CharField(
        label="Public status reason",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why it stands where it does, in words fit for the public. The monitoring "
        "reasons are never published.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in rules.FIELD_GROUPS.items():
            self.fields[f"{name}_tier"] = forms.ChoiceField(
                label=label, choices=Disclosure.Tier.choices
            )
        groups = [f"{name}_tier" for name in rules.FIELD_GROUPS]
        self.order_fields(["version", "tier", *groups, "public_summary", "public_status_reason"])
        self._describe_fields()

    @staticmethod
    def initial_for(row: Disclosure) -> dict[str, Any]:
        return {
            "version": row.version,
            "tier": row.tier,
            "public_summary": row.public_summary,
            "public_status_reason": row.public_status_reason,
            **{f"{name}_tier": tier for name, tier in row.field_tiers.items()},
        }

    def field_tiers(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"{name}_tier"] for name in rules.FIELD_GROUPS}


class PublishForm(AccessibleForm):
    plan = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    as_of = BoundedDateField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to publish while the checklist shows problems: say why.",
    )


class WithdrawForm(AccessibleForm):
    reason = forms.CharField(
        label="Reason",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the snapshot; the public sees only that it was withdrawn.",
    )
