"""The results page's parameters, and the forms that edit the chain (managers): they check the
shape of the input, and `results.services` check everything again and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from activities.forms import AccessibleForm, VersionField
from activities.models import Activity, MonitoringStatus
from partnership.limits import LONG_TEXT_MAX, BoundedDateField
from partnership.models import JointActionPlan, SDGTarget
from results import rules, selectors
from results.models import Level, Result


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


# --- editing the chain (managers) -----------------------------------------------------------------


class ResultForm(AccessibleForm):
    """An objective, outcome or output: its place (the parent, of the level above) and its words.
    The parent's choices are the plan's results of that level (one query); the service checks
    the place and the code again."""

    version = VersionField()
    level = forms.ChoiceField(choices=Level.choices, widget=forms.HiddenInput)
    parent = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    code = forms.CharField(max_length=30, help_text="Unique in the plan, e.g. 1.2.3.")
    title = forms.CharField(max_length=300)
    description = forms.CharField(
        required=False, max_length=LONG_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    order = forms.IntegerField(
        min_value=0, max_value=32767, initial=0, help_text="Lower numbers come first."
    )
    sdg_targets = forms.ModelMultipleChoiceField(
        label="SDG targets",
        queryset=SDGTarget.objects.order_by("goal", "id"),
        required=False,
        help_text="Its own; those of the results and activities below it roll up to it.",
    )

    def __init__(
        self, *args: Any, plan: JointActionPlan, level: str, editing: bool = False, **kwargs: Any
    ) -> None:
        # The fields are fitted to the level before AccessibleForm binds them (the labels and
        # help a bound field shows are read when it is first bound).
        forms.Form.__init__(self, *args, **kwargs)
        self.plan = plan
        if not editing:
            del self.fields["version"]
        parent_level = rules.PARENT_LEVEL.get(level)
        if parent_level is None:
            del self.fields["parent"]
        else:
            self.fields["parent"].required = True
            self.fields["parent"].label = Level(parent_level).label
            self.fields["parent"].choices = [
                ("", "—"),
                *Result.objects.filter(plan=plan, level=parent_level)
                .order_by("order", "code")
                .values_list("id", "code"),
            ]
        self._describe_fields()

    def clean_parent(self) -> Result | None:
        parent_id = self.cleaned_data.get("parent")
        return None if parent_id is None else Result.objects.get(pk=parent_id)

    def fields_for_service(self) -> dict[str, Any]:
        names = ("code", "title", "description", "order")
        values = {name: self.cleaned_data[name] for name in names}
        if "parent" in self.fields:
            values["parent"] = self.cleaned_data["parent"]
        return values


class ContributionForm(AccessibleForm):
    """An activity of the plan, named by its code, contributing to an output: a share or words."""

    code = forms.CharField(label="Activity code", max_length=30)
    share = forms.DecimalField(
        label="Share (%)",
        required=False,
        min_value=Decimal("0.01"),
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text="The part of the activity that serves this output; an activity's shares "
        "across outputs add up to at most 100 %.",
    )
    description = forms.CharField(
        label="Contribution in words",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, plan: JointActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean_code(self) -> Activity:
        code = self.cleaned_data["code"].strip()
        activity = selectors.plan_activity(plan_id=self.plan.pk, code=code)
        if activity is None:
            raise forms.ValidationError(f"This plan's Activity Matrix has no activity {code}.")
        return activity

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if "share" in cleaned and cleaned.get("share") is None and not cleaned.get("description"):
            self.add_error(
                "share", "Give the activity's share of the output, or describe its contribution."
            )
        return cleaned


class ContributionEditForm(ContributionForm):
    """A contribution that exists: its version, share and words (its activity stays)."""

    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["code"]
