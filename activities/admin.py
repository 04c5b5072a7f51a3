"""Admin of the activities domain. Every save calls the service the pages and the API call, so it
is checked, versioned, recorded under the user and announced to monitoring like any other write;
records with no service for a write are read-only here, and progress updates are submitted and
approved only in the pages and the API (four-eyes rule)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from activities import services
from activities.exceptions import ConflictError, InvalidTransition
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
from partnership.service_admin import (
    HistoryServiceAdmin,
    ReadOnlyHistoryAdmin,
    ReadOnlyInline,
    ServiceAdmin,
    ServiceForm,
    VersionedForm,
    ViewOnly,
    form_changes,
)


class ActivitiesServiceAdmin(HistoryServiceAdmin):
    """The shared `ServiceAdmin` (partnership.service_admin), also showing as form errors the
    activities services' refusals that are not about the input: a stale version, a state that does
    not allow the change."""

    refusals = (ValidationError, ConflictError, InvalidTransition)


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
class ActivityAdmin(ActivitiesServiceAdmin):
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
            **form_changes(form, ["matrix", *ACTIVITY_CHANGES, "is_illustrative"]),
        )

    def change_through_service(self, request, obj, form):
        return services.update_activity(
            actor=request.user,
            activity=obj,
            version=form.cleaned_data["expected_version"],
            changes=form_changes(form, ACTIVITY_CHANGES),
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
class ActivityParticipationAdmin(ActivitiesServiceAdmin):
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
class PriorityDesignationAdmin(ActivitiesServiceAdmin):
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
class MilestoneAdmin(ActivitiesServiceAdmin):
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
            actor=request.user, activity=obj.activity, **form_changes(form, MILESTONE_CHANGES)
        )

    def change_through_service(self, request, obj, form):
        return services.update_milestone(
            actor=request.user,
            milestone=obj,
            version=form.cleaned_data["expected_version"],
            changes=form_changes(form, MILESTONE_CHANGES),
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
class IndicatorAdmin(ActivitiesServiceAdmin):
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
            actor=request.user, activity=obj.activity, **form_changes(form, INDICATOR_FIELDS)
        )


@admin.register(Measurement)
class MeasurementAdmin(ActivitiesServiceAdmin):
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
class ProgressUpdateAdmin(ReadOnlyHistoryAdmin):
    """Written, submitted, approved and returned only through the pages and the API (their
    services check the four-eyes rule and the version, and announce an approval)."""

    list_display = ["activity", "period_end", "percent_complete", "state", "author", "reviewer"]
    list_filter = ["state"]
    search_fields = ["activity__code", "narrative"]
    list_select_related = ["activity", "author", "reviewer"]


@admin.register(FundingCommitment)
class FundingCommitmentAdmin(ReadOnlyHistoryAdmin):
    """Read-only, as everywhere: funding lines come with the demo data, a plan import or the
    synthetic portfolios, and no page or API call writes one. Editing them here would move the
    funding figures and the funding rule without the activity's version, history or a
    re-assessment; when people need to record funding, it takes a service first."""

    list_display = ["activity", "donor", "amount", "currency", "status", "date"]
    list_filter = ["status", "donor"]
    search_fields = ["activity__code", "donor__acronym"]
    list_select_related = ["activity", "donor"]


@admin.register(Topic)
class TopicAdmin(ViewOnly, admin.ModelAdmin):
    """Read-only: topics come with the demo data and plan imports (`services.create_topic`), and
    activities name them through their own service. No page or API call writes one; a topic
    deleted here would change the matrix's overlaps without the activities' history hearing of
    it."""

    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Event)
class EventAdmin(ViewOnly, admin.ModelAdmin):
    """Read-only: services write the outbox and monitoring's tasks deliver it. Operators look
    here for follow-up work still pending or failed (docs/operations.md)."""

    list_display = ["id", "kind", "state", "note", "created_at", "delivered_at"]
    list_filter = ["kind", "state"]
    search_fields = ["note", "error"]
