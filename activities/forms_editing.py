"""The forms that edit the rest of an activity in the browser (issue 16): creating one, its
participations, topics and SDG targets, funding, editing and deleting milestones, taking back
one's own update, and a year's priorities. As in `activities.forms`, they check the shape of the
input and ask the pure rules; the services (activities.services) check everything again and
write. Every form that edits a record carries the version it was opened at."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from activities import rules, services
from activities.forms import DateInput, FormTokenField, MilestoneForm, RuleCheckedForm, VersionField
from activities.models import Activity, ActivityParticipation, FundingCommitment, Topic
from partnership.limits import LONG_TEXT_MAX, NOTE_MAX, BoundedDateField
from partnership.models import ActivityMatrix, Organization, SDGTarget, ThematicArea


class ActivityCreateForm(RuleCheckedForm):
    token = FormTokenField()
    matrix = forms.ModelChoiceField(
        label="Activity Matrix",
        queryset=ActivityMatrix.objects.select_related("plan").order_by(
            "-plan__period_start", "plan__title", "-edition"
        ),
        empty_label=None,
    )
    code = forms.CharField(max_length=30, help_text="Unique in the matrix, e.g. TOC-10.")
    title = forms.CharField(max_length=300)
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=LONG_TEXT_MAX
    )
    lead = forms.ModelChoiceField(
        label="Lead organization", queryset=Organization.objects.order_by("acronym")
    )
    thematic_area = forms.ModelChoiceField(
        queryset=ThematicArea.objects.order_by("order"), empty_label=None
    )
    cooperation_type = forms.ChoiceField(choices=Activity.CooperationType.choices)
    horizon = forms.ChoiceField(choices=Activity.Horizon.choices)
    lifecycle = forms.ChoiceField(
        label="Stage", choices=Activity.Lifecycle.choices, initial=Activity.Lifecycle.PIPELINE
    )
    start_date = BoundedDateField(required=False, widget=DateInput())
    end_date = BoundedDateField(required=False, widget=DateInput())
    budget_required = forms.DecimalField(
        label="Budget required", min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    currency = forms.CharField(
        max_length=3, min_length=3, initial="USD", help_text="Three-letter ISO 4217 code."
    )

    FIELDS = (
        "matrix",
        "code",
        "title",
        "description",
        "thematic_area",
        "cooperation_type",
        "horizon",
        "lifecycle",
        "start_date",
        "end_date",
        "budget_required",
        "currency",
    )

    def __init__(self, *args: Any, lead_choices=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if lead_choices is not None:
            # A liaison officer creates activities their own organization leads.
            self.fields["lead"].queryset = lead_choices
            self.fields["lead"].empty_label = None
            self.fields["lead"].help_text = "Your organization leads the activities you create."

    def rule_errors(self, values: dict[str, Any]) -> Mapping[str, list[str]]:
        return rules.activity_errors(values)

    def fields_for_service(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in self.FIELDS}
        values["participations"] = [
            services.ParticipationSpec(
                organization=self.cleaned_data["lead"], role=ActivityParticipation.Role.LEAD
            )
        ]
        return values


# --- participations -------------------------------------------------------------------------------


class ParticipationRowForm(forms.Form):
    # Choices set by the formset, read once for all its rows (a ModelChoiceField per row would
    # run its query once per row).
    organization = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    role = forms.ChoiceField(choices=ActivityParticipation.Role.choices)
    contribution = forms.CharField(
        required=False, max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, organization_choices=(), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", "—"), *organization_choices]


class BaseParticipationFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.organizations = {o.pk: o for o in Organization.objects.order_by("acronym")}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        # Every row is read, also one left as it was: a row skipped as "unchanged" would read as
        # removed. Blank rows are valid (no field is required) and name nothing.
        choices = [(pk, str(org)) for pk, org in self.organizations.items()]
        return {
            **super().get_form_kwargs(index),
            "empty_permitted": False,
            "organization_choices": choices,
        }

    def specs(self) -> list[services.ParticipationSpec]:
        """The rows that name an organization (an empty row is no participation)."""
        return [
            services.ParticipationSpec(
                organization=self.organizations[row.cleaned_data["organization"]],
                role=row.cleaned_data["role"],
                contribution=row.cleaned_data.get("contribution", ""),
            )
            for row in self.forms
            if getattr(row, "cleaned_data", None) and row.cleaned_data.get("organization")
        ]

    def clean(self) -> None:
        if any(row.errors for row in self.forms):
            return
        # The service's own rule (exactly one lead, each organization once), asked up front.
        if problems := services.participation_errors(self.specs()):
            raise ValidationError(problems)


ParticipationFormSet = forms.formset_factory(
    ParticipationRowForm, formset=BaseParticipationFormSet, extra=2, max_num=30, validate_max=True
)


class VersionForm(forms.Form):
    """The version a page that edits several rows of the activity was opened at."""

    version = VersionField()


# --- topics and SDG targets -----------------------------------------------------------------------


class LinksForm(forms.Form):
    version = VersionField()
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sdg_targets = forms.ModelMultipleChoiceField(
        label="SDG targets",
        queryset=SDGTarget.objects.order_by("goal", "code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sdg_targets"].label_from_instance = lambda t: f"{t.code} {t.title}"


# --- funding --------------------------------------------------------------------------------------


class FundingForm(RuleCheckedForm):
    """A commitment, added (with a one-time token) or edited. `version` is the activity's."""

    version = VersionField()
    token = FormTokenField(required=False)
    donor = forms.ModelChoiceField(queryset=Organization.objects.order_by("acronym"))
    amount = forms.DecimalField(max_digits=14, decimal_places=2)
    currency = forms.CharField(max_length=3, min_length=3, initial="USD")
    status = forms.ChoiceField(choices=FundingCommitment.Status.choices)
    date = BoundedDateField(widget=DateInput())

    FIELDS = ("donor", "amount", "currency", "status", "date")

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["token"].required = True
        else:
            del self.fields["token"]

    def rule_errors(self, values: dict[str, Any]) -> Mapping[str, list[str]]:
        return rules.funding_errors(values)

    def fields_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


# --- milestones -----------------------------------------------------------------------------------


class MilestoneEditForm(MilestoneForm):
    """MilestoneForm for a milestone that exists: its version instead of a one-time token, and its
    completion date."""

    version = VersionField()
    completed_on = BoundedDateField(label="Completed on", required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["token"]

    def fields_for_service(self) -> dict[str, Any]:
        return {**super().fields_for_service(), "completed_on": self.cleaned_data["completed_on"]}


# --- priorities -----------------------------------------------------------------------------------


class PriorityRowForm(forms.Form):
    """A priority of the year: kept (with its rank) or removed; or, in an empty row, a new one
    named by its activity's code."""

    activity = forms.IntegerField(widget=forms.HiddenInput, required=False)
    code = forms.CharField(label="Activity code", max_length=30, required=False)
    rank = forms.IntegerField(min_value=1, max_value=999, required=False)
    rationale = forms.CharField(
        required=False, max_length=NOTE_MAX, widget=forms.TextInput(attrs={"size": 40})
    )
    remove = forms.BooleanField(required=False, label="Remove")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        named = cleaned.get("activity") or cleaned.get("code")
        if named and not cleaned.get("remove") and cleaned.get("rank") is None:
            self.add_error("rank", "Give the rank.")
        return cleaned


class BasePriorityFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        # Every row is read, also one left as it was: a row skipped as "unchanged" would read as
        # removed. Blank rows are valid (no field is required) and name nothing.
        return {**super().get_form_kwargs(index), "empty_permitted": False}

    def clean(self) -> None:
        if any(row.errors for row in self.forms):
            return
        ranks = [
            row.cleaned_data["rank"]
            for row in self.forms
            if (row.cleaned_data.get("activity") or row.cleaned_data.get("code"))
            and not row.cleaned_data.get("remove")
        ]
        if problems := rules.ranking_errors(ranks):
            raise ValidationError(problems)


PriorityFormSet = forms.formset_factory(
    PriorityRowForm, formset=BasePriorityFormSet, extra=3, max_num=60, validate_max=True
)


class FingerprintForm(forms.Form):
    """The year's priorities as the page showed them (services.priority_fingerprint)."""

    fingerprint = forms.CharField(
        widget=forms.HiddenInput,
        required=False,
        max_length=20_000,
    )
