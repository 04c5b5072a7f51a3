from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from partnership.models import (
    ActivityMatrix,
    Agreement,
    JointActionPlan,
    Organization,
    Partnership,
    Profile,
    SDGTarget,
    ThematicArea,
)


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
