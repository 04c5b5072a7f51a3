"""Admin of the monitoring records: runs and assessments are read-only (only the engine writes
them); overrides are set and ended through their services, so the activity is re-assessed, and
never rewritten or deleted (the audit trail keeps what was set)."""

from django.contrib import admin, messages

from monitoring import services
from monitoring.exceptions import BrokerUnavailable
from monitoring.models import Assessment, MonitoringChunk, MonitoringRun, StatusOverride
from partnership.service_admin import HistoryServiceAdmin, ServiceForm, ViewOnly


class ReadOnlyAdmin(ViewOnly, admin.ModelAdmin):
    """Runs and assessments: only the engine writes them."""


class ChunkInline(admin.TabularInline):
    model = MonitoringChunk
    extra = 0
    fields = ["index", "state", "attempts", "activities_assessed", "error", "finished_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MonitoringRun)
class MonitoringRunAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "as_of",
        "plan",
        "trigger",
        "state",
        "chunks_done",
        "chunks_total",
        "activities_assessed",
        "duration",
        "created_at",
    ]
    list_filter = ["state", "trigger", "plan"]
    list_select_related = ["plan"]
    date_hierarchy = "as_of"
    inlines = [ChunkInline]
    actions = ["retry"]

    @admin.action(description="Retry the selected failed runs")
    def retry(self, request, queryset):
        for run in queryset.filter(state=MonitoringRun.State.FAILED):
            try:
                services.retry_run(run_id=run.pk)
            except BrokerUnavailable as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return
            self.message_user(request, f"Run {run.pk} queued again.", messages.SUCCESS)


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["activity", "as_of", "status", "overridden", "run"]
    list_filter = ["status", "overridden", "as_of"]
    search_fields = ["activity__code", "activity__title"]
    list_select_related = ["activity"]
    date_hierarchy = "as_of"


class StatusOverrideForm(ServiceForm):
    class Meta:
        model = StatusOverride
        fields = ["activity", "status", "reason", "set_on", "expires_on"]  # set_by: the user


@admin.register(StatusOverride)
class StatusOverrideAdmin(HistoryServiceAdmin):
    form = StatusOverrideForm
    add_form = StatusOverrideForm
    list_display = ["activity", "status", "set_by", "set_on", "expires_on"]
    list_filter = ["status"]
    search_fields = ["activity__code", "activity__title", "reason"]
    list_select_related = ["activity", "set_by"]
    autocomplete_fields = ["activity"]
    actions = ["end_today"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # an override is ended (action below), not rewritten

    def create_through_service(self, request, obj, form):
        return services.set_status_override(
            activity_id=obj.activity_id,
            status=obj.status,
            reason=obj.reason,
            set_by=request.user,
            set_on=obj.set_on,
            expires_on=obj.expires_on,
        )

    @admin.action(description="End the selected overrides today")
    def end_today(self, request, queryset):
        for override in queryset:
            services.end_status_override(override_id=override.pk)
        self.message_user(request, f"{queryset.count()} override(s) ended.", messages.SUCCESS)
