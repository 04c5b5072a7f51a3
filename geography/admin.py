"""The geography admin: the M49 regions are reference data (read only); an activity's countries
and regions are added, changed and deleted one at a time, each write handing the activity's whole
set to `geography.services.set_places`, so the shares' rules and the activity's version hold here
as on the API."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError

from activities.exceptions import ConflictError
from activities.models import Activity
from geography import selectors, services
from geography.models import ActivityCountry, ActivityRegion, Region
from geography.rules import Place
from partnership.service_admin import HistoryServiceAdmin, ServiceAdmin, VersionedForm, ViewOnly


@admin.register(Region)
class RegionAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]


class PlaceChangeForm(VersionedForm):
    def version_of(self, instance) -> int:
        return instance.activity.version  # places are part of the activity's record


class CountryChangeForm(PlaceChangeForm):
    class Meta:
        model = ActivityCountry
        fields = ["share", "is_illustrative"]


class RegionChangeForm(PlaceChangeForm):
    class Meta:
        model = ActivityRegion
        fields = ["share", "is_illustrative"]


class PlaceAdmin(HistoryServiceAdmin):
    """One place of an activity; `kind` says which list of the activity's places it is in."""

    refusals = (ValidationError, ConflictError)
    kind = "countries"
    list_filter = ["is_illustrative"]
    list_select_related = ["activity"]
    autocomplete_fields = ["activity"]

    def code_of(self, obj) -> str:
        raise NotImplementedError

    def has_delete_permission(self, request, obj=None) -> bool:
        return super(ServiceAdmin, self).has_delete_permission(request, obj)

    def _write(self, request, activity: Activity, version: int | None, change) -> None:
        countries, regions = selectors.place_specs(activity_id=activity.pk)
        places = {"countries": countries, "regions": regions}
        places[self.kind] = change(places[self.kind])
        services.set_places(actor=request.user, activity=activity, version=version, **places)

    def _place(self, obj) -> Place:
        return Place(self.code_of(obj), obj.share, obj.is_illustrative)

    def create_through_service(self, request, obj, form):
        activity = Activity.objects.get(pk=obj.activity_id)
        self._write(request, activity, None, lambda places: [*places, self._place(obj)])
        return self.model.objects.get(activity=activity, **self.lookup(obj))

    def change_through_service(self, request, obj, form):
        code = self.code_of(obj)
        self._write(
            request,
            obj.activity,
            form.cleaned_data["expected_version"],
            lambda places: [self._place(obj) if p.code == code else p for p in places],
        )
        return obj

    def delete_through_service(self, request, obj):
        code = self.code_of(obj)
        activity = Activity.objects.get(pk=obj.activity_id)
        self._write(request, activity, None, lambda places: [p for p in places if p.code != code])

    def lookup(self, obj) -> dict:
        raise NotImplementedError


@admin.register(ActivityCountry)
class ActivityCountryAdmin(PlaceAdmin):
    form = CountryChangeForm
    kind = "countries"
    list_display = ["activity", "country", "share", "is_illustrative"]
    search_fields = ["activity__code", "activity__title", "country"]
    readonly_fields = ["activity", "country"]
    add_fields = ["activity", "country", "share", "is_illustrative"]
    change_fields = ["activity", "country", "share", "is_illustrative", "expected_version"]

    def code_of(self, obj) -> str:
        return str(obj.country.code)

    def lookup(self, obj) -> dict:
        return {"country": obj.country.code}


@admin.register(ActivityRegion)
class ActivityRegionAdmin(PlaceAdmin):
    form = RegionChangeForm
    kind = "regions"
    list_display = ["activity", "region", "share", "is_illustrative"]
    search_fields = ["activity__code", "activity__title", "region__name", "region__code"]
    list_select_related = ["activity", "region"]
    readonly_fields = ["activity", "region"]
    add_fields = ["activity", "region", "share", "is_illustrative"]
    change_fields = ["activity", "region", "share", "is_illustrative", "expected_version"]

    def code_of(self, obj) -> str:
        return obj.region.code

    def lookup(self, obj) -> dict:
        return {"region": obj.region}
