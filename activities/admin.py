"""Admin of the activities domain. Every save calls the service the pages and the API call, so it
is checked, versioned, recorded under the user and announced to monitoring like any other write;
records with no service for a write are read-only here, and progress updates are submitted and
approved only in the pages and the API (four-eyes rule)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import construct_instance
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from activities import services
from activities.exceptions import ConflictError, InvalidTransition
from activities.forms import add_service_errors
from activities.models import (
    Activity,
    ActivityParticipation,
    Event,
    FundingCommitment,
    Indicator,
    Measurement,
    Milestone,
    PriorityDesignation,
    ProgressUpdate,
    Topic,
)
from activities.services import ParticipationSpec
from partnership.models import Organization
from partnership.view_only_admin import ViewOnly

# --- the machinery shared by every admin below ----------------------------------------------------


class ServiceRefused(Exception):
    """A service refused the admin's write (invalid input, a stale version, a state that does not
    allow it). Raised out of `save_model` so that the admin's transaction rolls back."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(error)
        self.error = error


def _refusal(exc: Exception) -> ValidationError:
    return exc if isinstance(exc, ValidationError) else ValidationError(str(exc))


class NoRevert:
    """django-simple-history's "revert" form saves an old version with a plain `save()` (even on
    admins without change permission): refused, so that history is only read here."""

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("Reverting from the history would bypass the services.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdmin(ViewOnly, NoRevert, SimpleHistoryAdmin):
    """Shown with its history; written only through the services."""


class ReadOnlyInline(ViewOnly, admin.TabularInline):
    """Shown for reference, changed in the child's own admin (which calls the services)."""

    extra = 0
    can_delete = False
    show_change_link = True


class ServiceForm(forms.ModelForm):
    """Checks the shape of the input only, as the pages' forms do: the model's own checks
    (constraints, uniqueness) are the service's `full_clean()`, whose messages name the rule."""

    def _post_clean(self) -> None:
        try:
            self.instance = construct_instance(
                self, self.instance, self._meta.fields, self._meta.exclude
            )
        except ValidationError as exc:
            self._update_errors(exc)


class ServiceAdmin(NoRevert, SimpleHistoryAdmin):
    """`save_model` calls `create_through_service` / `change_through_service` and
    `delete_model` calls `delete_through_service`; the service writes the relations too, so
    `save_related` writes nothing.

    A service's refusal rolls the admin's transaction back and the form is shown again, with the
    error beside the field it names (or at the top), as the pages do; never a 500. Only the
    permissions granted below are open: no delete, unless a subclass routes it to a service.
    """

    form = ServiceForm
    add_form: type[forms.ModelForm] = ServiceForm
    add_fields: list[str] | None = None
    change_fields: list[str] | None = None

    # -- hooks for subclasses
    def create_through_service(self, request: HttpRequest, obj: Any, form: Any) -> models.Model:
        raise NotImplementedError

    def change_through_service(self, request: HttpRequest, obj: Any, form: Any) -> models.Model:
        raise NotImplementedError

    def delete_through_service(self, request: HttpRequest, obj: Any) -> None:
        raise NotImplementedError

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    # -- forms
    def get_fields(self, request, obj=None):
        fields = self.change_fields if obj is not None else self.add_fields
        return fields if fields is not None else super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        form_class = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, "_service_refusal", None)
        if refused is None:
            return form_class

        class RefusedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                add_service_errors(self, refused)
                return cleaned

        return RefusedForm

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # nothing to show before it exists

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            # The first attempt's transaction has rolled back (and with it whatever it would have
            # announced); show the same input again with the service's error on the form.
            request._service_refusal = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceRefused as refused:
            for message in refused.error.messages:
                self.message_user(request, message, messages.ERROR)
            opts = self.model._meta
            return redirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
            )

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete would bypass the services
        return actions

    # -- writes
    def save_model(self, request, obj, form, change) -> None:
        try:
            if change:
                saved = self.change_through_service(request, obj, form)
            else:
                saved = self.create_through_service(request, obj, form)
        except (ValidationError, ConflictError, InvalidTransition) as exc:
            raise ServiceRefused(_refusal(exc)) from exc
        # The admin goes on with `obj` (log entry, message, redirect): give it what was saved.
        obj.pk = saved.pk
        obj._state.adding = False
        if hasattr(saved, "version"):
            obj.version = saved.version

    def save_related(self, request, form, formsets, change) -> None:
        """The service wrote the relations; the inlines are read-only."""

    def construct_change_message(self, request, form, formsets, add=False):
        return super().construct_change_message(request, form, [], add)  # inlines: unsaved

    def delete_model(self, request, obj) -> None:
        try:
            self.delete_through_service(request, obj)
        except (ValidationError, ConflictError, InvalidTransition) as exc:
            raise ServiceRefused(_refusal(exc)) from exc


class VersionedForm(ServiceForm):
    """A change form that carries, hidden, the version the record had when the page was loaded:
    the service refuses the save if someone changed the record since (optimistic concurrency)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.version_of(self.instance)

    def version_of(self, instance: models.Model) -> int:
        return instance.version


def _changes(form: forms.ModelForm, names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


# --- activities -----------------------------------------------------------------------------------


class ParticipationInline(ReadOnlyInline):
    model = ActivityParticipation
    fields = ["organization", "role", "contribution"]


class MilestoneInline(ReadOnlyInline):
    model = Milestone
    fields = ["title", "due_date", "completed_on", "weight"]


class IndicatorInline(ReadOnlyInline):
    model = Indicator
    fields = ["name", "unit", "baseline", "baseline_date", "target", "target_date", "direction"]


class PriorityInline(ReadOnlyInline):
    model = PriorityDesignation
    fields = ["year", "rank", "rationale"]


class FundingInline(ReadOnlyInline):
    model = FundingCommitment
    fields = ["donor", "amount", "currency", "status", "date"]


ACTIVITY_CHANGES = (*services.ACTIVITY_FIELDS, "topics", "sdg_targets")


class ActivityChangeForm(VersionedForm):
    class Meta:
        model = Activity
        fields = list(ACTIVITY_CHANGES)


class ActivityAddForm(ServiceForm):
    lead_organization = forms.ModelChoiceField(queryset=Organization.objects.all())
    partners = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.all(),
        required=False,
        help_text="Partner organizations; change roles later in the participations admin.",
    )

    class Meta:
        model = Activity
        fields = ["matrix", *ACTIVITY_CHANGES, "is_illustrative"]


@admin.register(Activity)
class ActivityAdmin(ServiceAdmin):
    form = ActivityChangeForm
    add_form = ActivityAddForm
    list_display = [
        "code",
        "title",
        "thematic_area",
        "cooperation_type",
        "horizon",
        "lifecycle",
        "status",
        "status_as_of",
    ]
    list_filter = ["thematic_area", "cooperation_type", "horizon", "lifecycle", "status", "matrix"]
    search_fields = ["code", "title", "description"]
    list_select_related = ["thematic_area", "matrix"]
    # No service moves an activity to another matrix or names its liaison officers.
    readonly_fields = [
        "matrix",
        "is_illustrative",
        "liaison_officers",
        "status",
        "status_as_of",
        "status_reasons",
        "version",
    ]
    add_fields = [
        "matrix",
        *ACTIVITY_CHANGES,
        "is_illustrative",
        "lead_organization",
        "partners",
    ]
    change_fields = [*ACTIVITY_CHANGES, "expected_version", *readonly_fields]
    filter_horizontal = ["topics", "sdg_targets"]
    inlines = [ParticipationInline, PriorityInline, MilestoneInline, IndicatorInline, FundingInline]

    def create_through_service(self, request, obj, form):
        data = form.cleaned_data
        participations = [
            ParticipationSpec(organization=data["lead_organization"], role="lead"),
            *(ParticipationSpec(organization=org, role="partner") for org in data["partners"]),
        ]
        return services.create_activity(
            actor=request.user,
            participations=participations,
            **_changes(form, ["matrix", *ACTIVITY_CHANGES, "is_illustrative"]),
        )

    def change_through_service(self, request, obj, form):
        return services.update_activity(
            actor=request.user,
            activity=obj,
            version=form.cleaned_data["expected_version"],
            changes=_changes(form, ACTIVITY_CHANGES),
        )


# --- participations -------------------------------------------------------------------------------


def _participation_specs(activity: Activity) -> list[ParticipationSpec]:
    return [
        ParticipationSpec(organization=p.organization, role=p.role, contribution=p.contribution)
        for p in activity.participations.select_related("organization")
    ]


class ParticipationChangeForm(VersionedForm):
    class Meta:
        model = ActivityParticipation
        fields = ["role", "contribution"]

    def version_of(self, instance):
        return instance.activity.version  # participations are part of the activity's record


@admin.register(ActivityParticipation)
class ActivityParticipationAdmin(ServiceAdmin):
    """Each add, change or delete rewrites the activity's whole list through `set_participations`
    (exactly one lead), so handing the lead to another organization takes the participations page
    or the API, which change several rows at once."""

    form = ParticipationChangeForm
    list_display = ["activity", "organization", "role"]
    list_filter = ["role", "organization"]
    search_fields = ["activity__code", "activity__title", "organization__acronym"]
    list_select_related = ["activity", "organization"]
    autocomplete_fields = ["activity", "organization"]
    readonly_fields = ["activity", "organization"]
    add_fields = ["activity", "organization", "role", "contribution"]
    change_fields = ["activity", "organization", "role", "contribution", "expected_version"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return super(ServiceAdmin, self).has_delete_permission(request, obj)

    def create_through_service(self, request, obj, form):
        activity = Activity.objects.get(pk=obj.activity_id)
        specs = _participation_specs(activity)
        specs.append(
            ParticipationSpec(
                organization=obj.organization, role=obj.role, contribution=obj.contribution
            )
        )
        written = services.set_participations(
            actor=request.user, activity=activity, version=activity.version, participations=specs
        )
        return next(p for p in written if p.organization_id == obj.organization_id)

    def change_through_service(self, request, obj, form):
        activity = obj.activity
        specs = [
            ParticipationSpec(
                organization=obj.organization, role=obj.role, contribution=obj.contribution
            )
            if spec.organization.pk == obj.organization_id
            else spec
            for spec in _participation_specs(activity)
        ]
        services.set_participations(
            actor=request.user,
            activity=activity,
            version=form.cleaned_data["expected_version"],
            participations=specs,
        )
        return obj

    def delete_through_service(self, request, obj):
        activity = Activity.objects.get(pk=obj.activity_id)
        specs = [
            s for s in _participation_specs(activity) if s.organization.pk != obj.organization_id
        ]
        services.set_participations(
            actor=request.user, activity=activity, version=activity.version, participations=specs
        )


# --- priorities, milestones, indicators, measurements ---------------------------------------------


@admin.register(PriorityDesignation)
class PriorityDesignationAdmin(ServiceAdmin):
    """Designated here or in the API; no service changes or withdraws a designation, so that is
    not offered."""

    list_display = ["year", "rank", "activity"]
    list_filter = ["year"]
    search_fields = ["activity__code", "activity__title"]
    list_select_related = ["activity"]
    autocomplete_fields = ["activity"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def create_through_service(self, request, obj, form):
        return services.designate_priority(
            actor=request.user,
            activity=obj.activity,
            year=obj.year,
            rank=obj.rank,
            rationale=obj.rationale,
        )


MILESTONE_CHANGES = ("title", "due_date", "weight", "completed_on", "outside_period_confirmed")


class MilestoneChangeForm(VersionedForm):
    class Meta:
        model = Milestone
        fields = list(MILESTONE_CHANGES)


@admin.register(Milestone)
class MilestoneAdmin(ServiceAdmin):
    form = MilestoneChangeForm
    list_display = ["title", "activity", "due_date", "completed_on", "weight"]
    list_filter = ["due_date"]
    search_fields = ["title", "activity__code"]
    list_select_related = ["activity"]
    autocomplete_fields = ["activity"]
    date_hierarchy = "due_date"
    readonly_fields = ["activity", "version"]
    add_fields = ["activity", *MILESTONE_CHANGES]
    change_fields = ["activity", *MILESTONE_CHANGES, "expected_version", "version"]

    def create_through_service(self, request, obj, form):
        return services.add_milestone(
            actor=request.user, activity=obj.activity, **_changes(form, MILESTONE_CHANGES)
        )

    def change_through_service(self, request, obj, form):
        return services.update_milestone(
            actor=request.user,
            milestone=obj,
            version=form.cleaned_data["expected_version"],
            changes=_changes(form, MILESTONE_CHANGES),
        )


class MeasurementInline(ReadOnlyInline):
    model = Measurement
    fields = ["measured_on", "value", "note", "recorded_by"]


INDICATOR_FIELDS = (
    "name",
    "unit",
    "kind",
    "baseline",
    "baseline_date",
    "target",
    "target_date",
    "direction",
)


@admin.register(Indicator)
class IndicatorAdmin(ServiceAdmin):
    """Added here; no service edits an indicator, so an existing one is shown read-only."""

    list_display = ["name", "activity", "unit", "kind", "baseline", "target", "direction"]
    list_filter = ["direction", "kind"]
    search_fields = ["name", "activity__code"]
    list_select_related = ["activity"]
    autocomplete_fields = ["activity"]
    add_fields = ["activity", *INDICATOR_FIELDS]
    inlines = [MeasurementInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def create_through_service(self, request, obj, form):
        return services.add_indicator(
            actor=request.user, activity=obj.activity, **_changes(form, INDICATOR_FIELDS)
        )


@admin.register(Measurement)
class MeasurementAdmin(ServiceAdmin):
    """Recorded here (by the signed-in user); a recorded value is not edited."""

    list_display = ["indicator", "measured_on", "value", "recorded_by"]
    search_fields = ["indicator__name", "indicator__activity__code"]
    list_select_related = ["indicator", "recorded_by"]
    autocomplete_fields = ["indicator"]
    date_hierarchy = "measured_on"
    add_fields = ["indicator", "measured_on", "value", "note"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def create_through_service(self, request, obj, form):
        return services.record_measurement(
            actor=request.user,
            indicator=obj.indicator,
            measured_on=obj.measured_on,
            value=obj.value,
            note=obj.note,
        )


# --- read-only: no service writes these from the admin --------------------------------------------


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdmin):
    """Written, submitted, approved and returned only through the pages and the API (their
    services check the four-eyes rule and the version, and announce an approval)."""

    list_display = ["activity", "period_end", "percent_complete", "state", "author", "reviewer"]
    list_filter = ["state"]
    search_fields = ["activity__code", "narrative"]
    list_select_related = ["activity", "author", "reviewer"]


@admin.register(FundingCommitment)
class FundingCommitmentAdmin(ReadOnlyAdmin):
    list_display = ["activity", "donor", "amount", "currency", "status", "date"]
    list_filter = ["status", "donor"]
    search_fields = ["activity__code", "donor__acronym"]
    list_select_related = ["activity", "donor"]


@admin.register(Topic)
class TopicAdmin(ViewOnly, admin.ModelAdmin):
    """No service writes topics yet; a topic deleted here would change the matrix's
    overlaps without monitoring or the history hearing of it."""

    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Event)
class EventAdmin(ViewOnly, admin.ModelAdmin):
    """Read-only: services write the outbox and monitoring's tasks deliver it. Operators look
    here for follow-up work still pending or failed (docs/operations.md)."""

    list_display = ["id", "kind", "state", "note", "created_at", "delivered_at"]
    list_filter = ["kind", "state"]
    search_fields = ["note", "error"]
