from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from activities.models import (
    Activity,
    ActivityParticipation,
    FundingCommitment,
    Indicator,
    Measurement,
    Milestone,
    PriorityDesignation,
    ProgressUpdate,
    Topic,
)


class ParticipationInline(admin.TabularInline):
    model = ActivityParticipation
    extra = 0
    autocomplete_fields = ["organization"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "due_date", "completed_on", "weight"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["name", "unit", "baseline", "baseline_date", "target", "target_date", "direction"]
    show_change_link = True


class PriorityInline(admin.TabularInline):
    model = PriorityDesignation
    extra = 0


class FundingInline(admin.TabularInline):
    model = FundingCommitment
    extra = 0
    autocomplete_fields = ["donor"]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
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
    readonly_fields = ["status", "status_as_of", "status_reasons", "version"]
    filter_horizontal = ["topics", "sdg_targets", "liaison_officers"]
    inlines = [ParticipationInline, PriorityInline, MilestoneInline, IndicatorInline, FundingInline]


@admin.register(ActivityParticipation)
class ActivityParticipationAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "organization", "role"]
    list_filter = ["role", "organization"]
    search_fields = ["activity__code", "activity__title", "organization__acronym"]
    list_select_related = ["activity", "organization"]
    autocomplete_fields = ["activity", "organization"]


@admin.register(PriorityDesignation)
class PriorityDesignationAdmin(SimpleHistoryAdmin):
    list_display = ["year", "rank", "activity"]
    list_filter = ["year"]
    search_fields = ["activity__code", "activity__title"]
    list_select_related = ["activity"]
    autocomplete_fields = ["activity"]


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["title", "activity", "due_date", "completed_on", "weight"]
    list_filter = ["due_date"]
    search_fields = ["title", "activity__code"]
    list_select_related = ["activity"]
    autocomplete_fields = ["activity"]
    date_hierarchy = "due_date"


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0
    fields = ["measured_on", "value", "note"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "activity", "unit", "baseline", "target", "direction"]
    list_filter = ["direction"]
    search_fields = ["name", "activity__code"]
    list_select_related = ["activity"]
    autocomplete_fields = ["activity"]
    inlines = [MeasurementInline]


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "measured_on", "value"]
    search_fields = ["indicator__name", "indicator__activity__code"]
    list_select_related = ["indicator"]
    autocomplete_fields = ["indicator", "recorded_by"]
    date_hierarchy = "measured_on"


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "period_end", "percent_complete", "state", "author", "reviewer"]
    list_filter = ["state"]
    search_fields = ["activity__code", "narrative"]
    list_select_related = ["activity", "author", "reviewer"]
    autocomplete_fields = ["activity", "author", "reviewer"]
    readonly_fields = ["version"]


@admin.register(FundingCommitment)
class FundingCommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "donor", "amount", "currency", "status", "date"]
    list_filter = ["status", "donor"]
    search_fields = ["activity__code", "donor__acronym"]
    list_select_related = ["activity", "donor"]
    autocomplete_fields = ["activity", "donor"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
