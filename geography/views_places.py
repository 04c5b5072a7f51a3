"""The page that edits an activity's recipient countries and regions. As thin as the activity
editing pages (activities.views_editing): the formsets check the input's shape, and
geography.services.set_places checks the permission and the rules again and writes, naming the
version the page was opened at, so a stale page is told so instead of overwriting a change."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from activities import page_selectors, permissions
from activities.exceptions import ConflictError, NotAllowed
from activities.forms_editing import VersionForm
from activities.models import Activity
from geography import selectors, services
from geography.forms_places import (
    COUNTRIES,
    REGIONS_PREFIX,
    SHARE_HELP,
    CountryFormSet,
    RegionFormSet,
    initial_rows,
)
from partnership.forms import add_service_errors

CONFLICT = (
    "Someone else changed this activity since you opened the page. Nothing was saved; the page "
    "now shows its places as they are. Check them, then make your change again."
)
NOT_ALLOWED = (
    "Only liaison officers of an organization taking part in this activity, and managers, may "
    "change it."
)


def _fresh_forms(activity: Activity):
    countries, regions = initial_rows(selectors.places_of(activity_id=activity.pk))
    return (
        VersionForm(initial={"version": activity.version}),
        CountryFormSet(initial=countries, prefix=COUNTRIES),
        RegionFormSet(initial=regions, prefix=REGIONS_PREFIX),
    )


@require_http_methods(["GET", "POST"])
def places_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Queries (GET): session, user; the activity with its participations (2); the profile (the
    permission); its countries and regions (2); the page header's profile and counts."""
    activity = page_selectors.activity_or_404(pk)
    if not permissions.can_edit_activity(request.user, activity):
        raise PermissionDenied(NOT_ALLOWED)
    status, conflict = 200, None
    if request.method == "POST":
        version_form = VersionForm(request.POST)
        countries = CountryFormSet(request.POST, prefix=COUNTRIES)
        regions = RegionFormSet(request.POST, prefix=REGIONS_PREFIX)
        if version_form.is_valid() and countries.is_valid() and regions.is_valid():
            try:
                services.set_places(
                    actor=request.user,
                    activity=activity,
                    version=version_form.cleaned_data["version"],
                    countries=countries.places(),
                    regions=regions.places(),
                )
            except NotAllowed as exc:
                raise PermissionDenied(str(exc)) from exc
            except ConflictError:
                activity = page_selectors.activity_or_404(pk)
                version_form, countries, regions = _fresh_forms(activity)
                conflict, status = CONFLICT, 409
            except ValidationError as exc:
                add_service_errors(version_form, exc)
                status = 400
            else:
                messages.success(request, f"Places of {activity.code} saved.")
                return redirect(reverse("activities:detail", args=[activity.pk]))
        else:
            status = 400
    else:
        version_form, countries, regions = _fresh_forms(activity)
    return render(
        request,
        "geography/places_form.html",
        {
            "nav": "activities",
            "activity": activity,
            "version_form": version_form,
            "formsets": [("Countries", countries), ("Regions", regions)],
            "share_help": SHARE_HELP,
            "conflict": conflict,
        },
        status=status,
    )
