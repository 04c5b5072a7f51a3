"""Forms of the dashboard pages: which plan and date to show, and a manager's run request."""

from __future__ import annotations

from django import forms

from monitoring import rules
from partnership.limits import BoundedDateField, IdField
from partnership.models import JointActionPlan


class ScopeForm(forms.Form):
    """The GET parameters every dashboard page reads. Both optional: the newest monitored plan and
    its latest assessed date are the defaults."""

    plan = IdField(required=False)
    as_of = BoundedDateField(required=False, input_formats=["%Y-%m-%d"])


class HorizonForm(forms.Form):
    """The Activity Matrix page's parameters."""

    HORIZONS = [
        ("", "Current and aspirational"),
        ("current", "Current"),
        ("aspirational", "Aspirational"),
    ]

    plan = IdField(required=False)
    edition = forms.IntegerField(required=False, min_value=1, max_value=32767)
    horizon = forms.ChoiceField(required=False, choices=HORIZONS)


class RunRequestForm(forms.Form):
    """A manual monitoring run of one plan as of a date within the plan's period (a run outside
    it would judge the plan's activities against a year they do not belong to)."""

    plan = IdField(widget=forms.HiddenInput)
    as_of = BoundedDateField(
        label="As of",
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The date the activities are assessed as of, within the plan's period.",
    )

    def __init__(self, *args, plan: JointActionPlan | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        if plan is not None:
            self.fields["as_of"].widget.attrs.update(
                min=plan.period_start.isoformat(), max=plan.period_end.isoformat()
            )

    def clean(self) -> dict:
        data = super().clean()
        as_of, plan = data.get("as_of"), self.plan
        if plan is None:
            raise forms.ValidationError("Choose a plan.")
        problem = as_of and rules.run_date_problem(
            as_of=as_of, period_start=plan.period_start, period_end=plan.period_end
        )
        if problem:
            # The message the API and the command give for the same date.
            self.add_error("as_of", problem)
        return data
