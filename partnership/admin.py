"""Admin of the framework records. Every add, change and delete calls the framework services
(partnership.services), as `import_plan` does: checked with `full_clean()`, recorded under the
user, and a delete of a record still in use is refused with a message."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin

from partnership import services
from partnership.models import (
    AccountUnlock,
    ActivityMatrix,
    Agreement,
    JointActionPlan,
    Organization,
    Partnership,
    Profile,
    SDGTarget,
    ThematicArea,
)
from partnership.service_admin import HistoryServiceAdmin, ReadOnlyInline, ServiceAdmin, ViewOnly


class FrameworkWrites:
    """Mix into a `ServiceAdmin`: add, change and delete through the framework services. A change
    sends only the fields the form changed, so a save does not put back what someone else changed
    meanwhile in other fields."""

    def create_through_service(self, request, obj, form):
        return services.create_framework_record(
            model=self.model, values=form.cleaned_data, actor=request.user
        )

    def change_through_service(self, request, obj, form):
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        return services.update_framework_record(record=obj, changes=changes, actor=request.user)

    def delete_through_service(self, request, obj):
        services.delete_framework_record(record=obj, actor=request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super(ServiceAdmin, self).has_delete_permission(request, obj)


class FrameworkAdmin(FrameworkWrites, ServiceAdmin):
    pass


class FrameworkHistoryAdmin(FrameworkWrites, HistoryServiceAdmin):
    pass


@admin.register(Organization)
class OrganizationAdmin(FrameworkAdmin):
    list_display = ["acronym", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["acronym", "name"]


@admin.register(Partnership)
class PartnershipAdmin(FrameworkAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    filter_horizontal = ["organizations"]


@admin.register(Agreement)
class AgreementAdmin(FrameworkHistoryAdmin):
    list_display = ["title", "kind", "signed_on", "place", "builds_on"]
    list_filter = ["kind"]
    search_fields = ["title", "summary", "place"]
    list_select_related = ["builds_on"]
    autocomplete_fields = ["builds_on"]
    filter_horizontal = ["parties"]
    date_hierarchy = "signed_on"


class ActivityMatrixInline(ReadOnlyInline):
    """Changed in the matrices' own admin."""

    model = ActivityMatrix
    fields = ["edition", "adopted_on", "notes"]


@admin.register(JointActionPlan)
class JointActionPlanAdmin(FrameworkHistoryAdmin):
    list_display = ["title", "partnership", "agreement", "period_start", "period_end", "state"]
    list_filter = ["state", "partnership"]
    search_fields = ["title", "objectives"]
    list_select_related = ["partnership", "agreement"]
    inlines = [ActivityMatrixInline]


@admin.register(ActivityMatrix)
class ActivityMatrixAdmin(FrameworkHistoryAdmin):
    list_display = ["__str__", "plan", "edition", "adopted_on"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["plan__title"]


@admin.register(ThematicArea)
class ThematicAreaAdmin(FrameworkAdmin):
    list_display = ["order", "code", "name"]
    list_display_links = ["code"]
    search_fields = ["code", "name"]


@admin.register(SDGTarget)
class SDGTargetAdmin(FrameworkAdmin):
    list_display = ["code", "goal", "title"]
    list_filter = ["goal"]
    search_fields = ["code", "title"]


@admin.register(Profile)
class ProfileAdmin(FrameworkAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role", "organization"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user", "organization"]
    autocomplete_fields = ["user", "organization"]


# --- Sign-in lockouts -----------------------------------------------------------------------------
# Lockouts are lifted on the managers' lockouts page, through services.unlock_account, which
# records who did it. Axes' own admin would delete attempts without that record: here it only
# reads them.
admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class ReadOnlyAccessAttemptAdmin(AccessAttemptAdmin):
    actions = None

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AccountUnlock)
class AccountUnlockAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["unlocked_at", "username", "unlocked_by", "attempts_cleared"]
    search_fields = ["username", "unlocked_by__username"]
    date_hierarchy = "unlocked_at"
