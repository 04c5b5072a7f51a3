from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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
from partnership.view_only_admin import ViewOnly


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["acronym", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["acronym", "name"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    filter_horizontal = ["organizations"]


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "signed_on", "place", "builds_on"]
    list_filter = ["kind"]
    search_fields = ["title", "summary", "place"]
    list_select_related = ["builds_on"]
    autocomplete_fields = ["builds_on"]
    filter_horizontal = ["parties"]
    date_hierarchy = "signed_on"


class ActivityMatrixInline(admin.TabularInline):
    model = ActivityMatrix
    extra = 0


@admin.register(JointActionPlan)
class JointActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "agreement", "period_start", "period_end", "state"]
    list_filter = ["state", "partnership"]
    search_fields = ["title", "objectives"]
    list_select_related = ["partnership", "agreement"]
    inlines = [ActivityMatrixInline]


@admin.register(ActivityMatrix)
class ActivityMatrixAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "edition", "adopted_on"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["plan__title"]


@admin.register(ThematicArea)
class ThematicAreaAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name"]
    list_display_links = ["code"]
    search_fields = ["code", "name"]


@admin.register(SDGTarget)
class SDGTargetAdmin(admin.ModelAdmin):
    list_display = ["code", "goal", "title"]
    list_filter = ["goal"]
    search_fields = ["code", "title"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
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
