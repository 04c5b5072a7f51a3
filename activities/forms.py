"""The forms of the activity pages. They check the shape of the input; the services check the
rules (permissions, dates in order, one value a day, …) and their errors are put back on these
forms beside the fields (see `partnership.forms.add_service_errors`).

So that a person sees every error at once, the forms that edit a record also ask the pure rules of
`activities.rules` (the ones the service applies) about the fields that passed: Django runs
`clean()` beside field errors, where the service would not be called at all."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django import forms

from activities import breakdowns, rules
from activities.models import Activity, Indicator, MonitoringStatus
from activities.page_selectors import FilterChoices
from partnership.limits import LONG_TEXT_MAX, NOTE_MAX, RISKS_MAX, BoundedDateField
from partnership.models import ThematicArea


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class AccessibleForm(forms.Form):
    """Each field points to its help and, once in error, to its message (aria-describedby), so a
    screen reader reads them when the field gets focus. Ids follow
    templates/includes/form_fields.html."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._describe_fields()

    def full_clean(self) -> None:
        super().full_clean()
        self._describe_fields()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        self._describe_fields()

    def _describe_fields(self) -> None:
        errors = getattr(self, "_errors", None) or {}
        for name, field in self.fields.items():
            auto_id = self[name].auto_id
            ids = []
            if name in errors:
                ids.append(f"{auto_id}_error")
            if field.help_text:
                ids.append(f"{auto_id}_help")
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                field.widget.attrs.pop("aria-describedby", None)


class RuleCheckedForm(AccessibleForm):
    """A form whose `clean()` adds what the pure rules say about the fields that passed, beside
    those fields (or at the top), unless the field already has an error of its own."""

    def rule_errors(self, values: dict[str, Any]) -> Mapping[str, list[str]]:
        return {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for field, messages in self.rule_errors(dict(cleaned)).items():
            if field in self.errors:
                continue
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)
        return cleaned


class FormTokenField(forms.UUIDField):
    """The create form's one-time token (activities.services.submit_once): a fresh one with every
    page, spent by the first save, so the Back button and Save again create nothing twice."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {
                "required": "This form was not opened from its page; reload it and save again.",
                "invalid": "This form was not opened from its page; reload it and save again.",
            },
        )
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)


# --- the activity list ----------------------------------------------------------------------------

ORDERINGS = [
    ("code", "Code (A–Z)"),
    ("-code", "Code (Z–A)"),
    ("title", "Title (A–Z)"),
    ("-title", "Title (Z–A)"),
    ("status", "Status (A–Z)"),
    ("-status", "Status (Z–A)"),
    ("start_date", "Start date (earliest first)"),
    ("-start_date", "Start date (latest first)"),
    ("end_date", "End date (earliest first)"),
    ("-end_date", "End date (latest first)"),
    ("thematic_area", "Thematic area"),
    ("-updated_at", "Recently changed"),
]
ANY = [("", "Any")]

# Fields other apps add to the list's filters, each beside a filter of the same name that they
# add to activities.filters.ActivityFilter (geography's `country` and `region`): name → a
# function that makes the field. Registered from their AppConfig.ready(); see add_filter_fields.
EXTRA_FILTER_FIELDS: dict[str, Callable[[], forms.Field]] = {}


def add_filter_fields(fields: Mapping[str, Callable[[], forms.Field]]) -> None:
    """Offer more filters on the list page (after the others, before the ordering)."""
    EXTRA_FILTER_FIELDS.update(fields)


class ActivityFilterForm(AccessibleForm):
    """The list's filters. Parameter names are the API's (activities.filters.ActivityFilter), so
    a filtered page and an API query read the same."""

    search = forms.CharField(
        label="Text",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    thematic_area = forms.ChoiceField(label="Thematic area", required=False)
    organization = forms.ChoiceField(label="Organization", required=False)
    cooperation_type = forms.ChoiceField(
        label="Cooperation", required=False, choices=ANY + Activity.CooperationType.choices
    )
    horizon = forms.ChoiceField(
        label="Horizon", required=False, choices=ANY + Activity.Horizon.choices
    )
    priority_year = forms.TypedChoiceField(
        label="Priority in", required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(
        label="Monitoring status", required=False, choices=ANY + MonitoringStatus.choices
    )
    ordering = forms.ChoiceField(label="Sort by", required=False, choices=ORDERINGS)

    def __init__(self, data: Mapping[str, Any] | None, *, choices: FilterChoices) -> None:
        super().__init__(data)
        self.fields["thematic_area"].choices = ANY + choices.thematic_areas
        self.fields["organization"].choices = ANY + choices.organizations
        self.fields["priority_year"].choices = ANY + [(y, str(y)) for y in choices.priority_years]
        ordering = self.fields.pop("ordering")
        for name, make_field in EXTRA_FILTER_FIELDS.items():
            self.fields[name] = make_field()
        self.fields["ordering"] = ordering

    def filter_params(self) -> dict[str, Any]:
        """The valid filters as ActivityFilter parameters; a filter with an invalid value is left
        out (and its error shown beside it)."""
        cleaned = getattr(self, "cleaned_data", {})
        params: dict[str, Any] = {}
        for name in (
            "search",
            "thematic_area",
            "organization",
            "cooperation_type",
            "horizon",
            "priority_year",
            *EXTRA_FILTER_FIELDS,
        ):
            value = cleaned.get(name)
            if value not in (None, ""):
                params[name] = value
        if cleaned.get("status"):
            params["status"] = [cleaned["status"]]
        params["ordering"] = cleaned.get("ordering") or "code"
        return params


class SearchForm(AccessibleForm):
    q = forms.CharField(
        label="Search",
        min_length=2,
        max_length=200,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"min_length": "Type at least 2 characters to search."},
    )


# --- editing --------------------------------------------------------------------------------------


class VersionField(forms.IntegerField):
    """The version of the record the user opened: the service refuses the edit if it moved on."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "error_messages",
            {"required": "The form lost track of the version you opened; reload the page."},
        )
        super().__init__(**kwargs)


class ActivityForm(RuleCheckedForm):
    version = VersionField()
    title = forms.CharField(max_length=300)
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 5}), max_length=LONG_TEXT_MAX
    )
    thematic_area = forms.ModelChoiceField(
        queryset=ThematicArea.objects.order_by("order"), empty_label=None
    )
    cooperation_type = forms.ChoiceField(choices=Activity.CooperationType.choices)
    horizon = forms.ChoiceField(choices=Activity.Horizon.choices)
    lifecycle = forms.ChoiceField(label="Stage", choices=Activity.Lifecycle.choices)
    start_date = BoundedDateField(required=False, widget=DateInput())
    end_date = BoundedDateField(required=False, widget=DateInput())
    budget_required = forms.DecimalField(
        label="Budget required", min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.CharField(
        max_length=3, min_length=3, help_text="Three-letter ISO 4217 code, e.g. USD or EUR."
    )

    CHANGE_FIELDS = (
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

    @classmethod
    def initial_for(cls, activity: Activity) -> dict[str, Any]:
        initial = {name: getattr(activity, name) for name in cls.CHANGE_FIELDS}
        initial["thematic_area"] = activity.thematic_area_id
        initial["version"] = activity.version
        return initial

    def rule_errors(self, values: dict[str, Any]) -> Mapping[str, list[str]]:
        return rules.activity_errors(values)

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.CHANGE_FIELDS}


class MilestoneForm(RuleCheckedForm):
    token = FormTokenField()
    title = forms.CharField(max_length=300)
    due_date = BoundedDateField(label="Due date", widget=DateInput())
    weight = forms.IntegerField(
        min_value=1,
        max_value=100,
        initial=1,
        help_text="How much this milestone counts towards the activity's progress (1 = normal).",
    )
    # Offered (shown as a checkbox) only once a due date outside the activity's period is typed.
    outside_period_confirmed = forms.BooleanField(
        label="Yes, this milestone is due outside the activity's period",
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        self.activity = activity
        super().__init__(*args, **kwargs)

    def rule_errors(self, values: dict[str, Any]) -> Mapping[str, list[str]]:
        start, end = self.activity.start_date, self.activity.end_date
        if rules.milestone_needs_confirmation(
            due_date=values.get("due_date"), activity_start=start, activity_end=end
        ):
            self.fields["outside_period_confirmed"].widget = forms.CheckboxInput()
            self._describe_fields()
        return rules.milestone_errors(values, activity_start=start, activity_end=end)

    def fields_for_service(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("title", "due_date", "weight", "outside_period_confirmed")
        }


class MilestoneCompleteForm(AccessibleForm):
    version = VersionField()
    completed_on = BoundedDateField(
        label="Completed on", required=False, widget=DateInput(), help_text="Today if left empty."
    )


class MeasurementForm(RuleCheckedForm):
    token = FormTokenField()
    measured_on = BoundedDateField(label="Measured on", widget=DateInput())
    value = forms.DecimalField(max_digits=14, decimal_places=2)
    note = forms.CharField(max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        indicator: Indicator,
        dimensions: Sequence[breakdowns.DimensionRef] = (),
        **kwargs: Any,
    ) -> None:
        self.indicator = indicator
        super().__init__(*args, **kwargs)
        self.fields["value"].help_text = Indicator.Kind(indicator.kind).label
        # One optional field per category of the indicator's dimensions: the value by category.
        self.category_fields: dict[str, int] = {}
        for dimension in dimensions:
            for category in dimension.categories:
                name = f"category_{category.id}"
                self.fields[name] = forms.DecimalField(
                    label=f"{dimension.name}: {category.name}",
                    max_digits=14,
                    decimal_places=2,
                    required=False,
                    help_text="Leave empty if not reported.",
                )
                self.category_fields[name] = category.id

    def rule_errors(self, values: dict[str, Any]) -> Mapping[str, list[str]]:
        return rules.measurement_errors(values, kind=self.indicator.kind)

    def fields_for_service(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in ("measured_on", "value", "note")}
        values["breakdown"] = {
            category_id: self.cleaned_data[name]
            for name, category_id in self.category_fields.items()
            if self.cleaned_data.get(name) is not None
        }
        return values


class ProgressUpdateForm(RuleCheckedForm):
    """Saved as a draft or submitted, by which of the two buttons (name="action") was pressed."""

    SUBMIT = "submit"

    version = VersionField(required=False)  # only when editing an update that exists
    token = FormTokenField(required=False)  # required when writing a new one (see `creating`)
    period_end = BoundedDateField(
        label="Period ends", widget=DateInput(), help_text="The last day this update reports on."
    )
    percent_complete = forms.IntegerField(
        label="Percent complete",
        min_value=0,
        max_value=100,
        help_text="How much of the whole activity is done, 0–100.",
    )
    narrative = forms.CharField(
        label="What happened", widget=forms.Textarea(attrs={"rows": 6}), max_length=LONG_TEXT_MAX
    )
    risks = forms.CharField(
        label="Risks and issues",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=RISKS_MAX,
    )

    def __init__(self, *args: Any, activity: Activity, creating: bool = False, **kwargs: Any):
        self.activity = activity
        super().__init__(*args, **kwargs)
        if creating:
            self.fields["token"].required = True
        else:
            del self.fields["token"]

    def rule_errors(self, values: dict[str, Any]) -> Mapping[str, list[str]]:
        return rules.update_errors(
            values,
            activity_start=self.activity.start_date,
            activity_end=self.activity.end_date,
        )

    def fields_for_service(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("period_end", "percent_complete", "narrative", "risks")
        }


class SubmitUpdateForm(AccessibleForm):
    version = VersionField()


class ApproveForm(AccessibleForm):
    version = VersionField()
    note = forms.CharField(label="Note (optional)", required=False, max_length=NOTE_MAX)


class ReturnForm(AccessibleForm):
    version = VersionField()
    note = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX,
        error_messages={"required": "Say what needs to change before returning the update."},
    )


class EvidenceForm(AccessibleForm):
    """A file for a progress update or a measurement; on an approved update, only as a
    correction of one of its files."""

    file = forms.FileField(
        label="File",
        allow_empty_file=True,  # the service says why an empty file is refused
        help_text="PDF, image, office document or CSV; the type is read from the content.",
    )
    supersedes = forms.TypedChoiceField(
        label="Corrects (supersedes)", required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(self, *args: Any, replaceable: Sequence[tuple[int, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        if replaceable:
            self.fields["supersedes"].choices = [("", "—"), *replaceable]
        else:
            del self.fields["supersedes"]
