"""The form of a plan's reporting calendar page: monthly or quarterly periods over the plan's
period, or custom ones typed one a line. It checks the shape of the input and asks the pure
rules (`activities.periods.calendar_errors`); `activities.services.set_reporting_calendar`
checks everything again and writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms

from activities import periods
from activities.forms import RuleCheckedForm
from activities.models import ReportingCalendar
from partnership.limits import NOTE_MAX
from partnership.models import JointActionPlan

CUSTOM_HELP = (
    "Only for a custom calendar: one period a line, as label; first day; last day; window "
    "opens; report due — dates as YYYY-MM-DD, e.g. “H1 2016; 2016-01-01; 2016-06-30; "
    "2016-06-15; 2016-07-15”."
)


def periods_as_text(rows: list[periods.PeriodSpec]) -> str:
    """Periods as the custom field shows them: the inverse of `parse_periods`."""
    return "\n".join(
        "; ".join(
            [p.label, *(d.isoformat() for d in (p.starts_on, p.ends_on, p.opens_on, p.due_on))]
        )
        for p in rows
    )


def parse_periods(text: str) -> tuple[list[periods.PeriodSpec], list[str]]:
    """The periods typed one a line, and a message for every line that is not one (all of them,
    not only the first)."""
    found: list[periods.PeriodSpec] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        if len(parts) != 5 or not parts[0]:
            problems.append(f"Line {number}: give a label and four dates, separated by semicolons.")
            continue
        try:
            dates = [dt.date.fromisoformat(part) for part in parts[1:]]
        except ValueError:
            problems.append(f"Line {number}: dates are written YYYY-MM-DD.")
            continue
        if len(parts[0]) > 60:
            problems.append(f"Line {number}: a label has at most 60 characters.")
            continue
        found.append(periods.PeriodSpec(parts[0], *dates))
    return found, problems


class ReportingCalendarForm(RuleCheckedForm):
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    frequency = forms.ChoiceField(
        choices=ReportingCalendar.Frequency.choices, widget=forms.RadioSelect
    )
    due_after_days = forms.IntegerField(
        label="Report due, days after the period ends",
        min_value=0,
        max_value=365,
        initial=15,
        help_text="Monthly and quarterly calendars.",
    )
    opens_before_days = forms.IntegerField(
        label="Window opens, days before the period ends",
        min_value=0,
        max_value=365,
        initial=0,
        help_text="Monthly and quarterly calendars.",
    )
    custom_periods = forms.CharField(
        label="Custom periods",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=CUSTOM_HELP,
    )

    def __init__(self, *args: Any, plan: JointActionPlan, **kwargs: Any) -> None:
        self.plan = plan
        self.custom_specs: list[periods.PeriodSpec] = []  # parsed by rule_errors
        super().__init__(*args, **kwargs)

    def rule_errors(self, values: dict[str, Any]) -> Mapping[str, list[str]]:
        if values.get("frequency") != ReportingCalendar.Frequency.CUSTOM:
            return {}
        specs, problems = parse_periods(values.get("custom_periods") or "")
        if not specs and not problems:
            problems = ["A custom calendar needs at least one period."]
        problems += periods.calendar_errors(
            specs, plan_start=self.plan.period_start, plan_end=self.plan.period_end
        )
        self.custom_specs = specs
        return {"custom_periods": problems} if problems else {}

    def fields_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        custom = data["frequency"] == ReportingCalendar.Frequency.CUSTOM
        return {
            "frequency": data["frequency"],
            "due_after_days": data["due_after_days"],
            "opens_before_days": data["opens_before_days"],
            "custom_periods": self.custom_specs if custom else (),
            "expected": data["fingerprint"],
        }
