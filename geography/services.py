"""Every write of an activity's places (DESIGN.md §2): keyword-only typed arguments, one
transaction, the pure rules (geography.rules) and `full_clean()` before saving, every error at
once, nothing written on any error.

An activity's places are part of its record, as its participations are: setting them names the
activity's `version` and bumps it, so two people editing the same activity cannot overwrite each
other (ConflictError, nothing written). `actor=None` is a trusted operator command (the demo
loader): no permission check, nobody recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from activities import permissions
from activities.exceptions import ConflictError, NotAllowed
from activities.models import Activity
from geography import rules
from geography.models import ActivityCountry, ActivityRegion, Region
from geography.rules import Place

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    Actor = AbstractBaseUser | None


def known_region_codes(codes: Sequence[str]) -> set[str]:
    """Which of `codes` are M49 regions (one query)."""
    return set(Region.objects.filter(code__in=set(codes)).values_list("code", flat=True))


def place_errors(*, countries: Sequence[Place], regions: Sequence[Place]) -> rules.Errors:
    """The rules' verdict on these places, with the regions looked up (one query)."""
    return rules.place_errors(
        countries=countries,
        regions=regions,
        known_regions=known_region_codes([place.code for place in regions]),
    )


def _normalised(countries: Sequence[Place]) -> list[Place]:
    return [Place(p.code.upper(), p.share, p.is_illustrative) for p in countries]


def _stored(activity_id: int) -> tuple[set[tuple], set[tuple]]:
    countries = set(
        ActivityCountry.objects.filter(activity_id=activity_id).values_list(
            "country", "share", "is_illustrative"
        )
    )
    regions = set(
        ActivityRegion.objects.filter(activity_id=activity_id).values_list(
            "region__code", "share", "is_illustrative"
        )
    )
    return countries, regions


def _claim(activity: Activity, version: int | None) -> None:
    """Bump the activity's version if it is still `version` (None: whatever it is). The
    conditional UPDATE is the check: of two edits from one version, the later one matches no
    row and gets a ConflictError."""
    rows = Activity.objects.filter(pk=activity.pk)
    if version is not None:
        rows = rows.filter(version=version)
    if rows.update(version=F("version") + 1, updated_at=timezone.now()) == 0:
        current = Activity.objects.filter(pk=activity.pk).values_list("version", flat=True).first()
        if current is None:
            raise Activity.DoesNotExist(f"Activity {activity.pk} does not exist.")
        raise ConflictError(
            model_name="activity", expected_version=version or 0, current_version=current
        )


def _replace(
    rows: models.QuerySet,
    wanted: dict[str, Place],
    key_of: Callable[[models.Model], str],
    new_row: Callable[[str], models.Model],
    actor: Actor,
) -> None:
    """Make the activity's `rows` exactly `wanted` ({code: place}), keeping the rows (and so
    their history) of places that stay."""
    existing = {key_of(row): row for row in rows}
    for code, row in existing.items():
        if code not in wanted:
            row._history_user = actor
            row.delete()
    for code, place in wanted.items():
        row = existing.get(code) or new_row(code)
        if row.pk and row.share == place.share and row.is_illustrative == place.is_illustrative:
            continue
        row.share = place.share
        row.is_illustrative = place.is_illustrative
        row.full_clean(validate_unique=False)
        row._history_user = actor
        row.save()


@transaction.atomic
def set_places(
    *,
    actor: Actor,
    activity: Activity,
    version: int | None,
    countries: Sequence[Place],
    regions: Sequence[Place],
) -> Activity:
    """Make the activity's recipient countries and regions exactly these, if the activity is
    still at `version` (None: whatever version is current). Returns the activity as it now is:
    its version bumped by one, or as it was when nothing changes (no new version, so the ETag
    stays). ValidationError lists every problem (geography.rules.place_errors)."""
    if actor is not None and not permissions.can_edit_activity(actor, activity):
        raise NotAllowed(
            "Only liaison officers of a participating organization, and managers, may change "
            f"activity {activity.code}."
        )
    countries = _normalised(countries)
    if errors := place_errors(countries=countries, regions=regions):
        raise ValidationError(errors)
    current = Activity.objects.select_for_update().filter(pk=activity.pk).first()
    if current is None:
        raise Activity.DoesNotExist(f"Activity {activity.pk} does not exist.")
    if version is not None and current.version != version:
        raise ConflictError(
            model_name="activity", expected_version=version, current_version=current.version
        )
    wanted_countries = {(p.code, p.share, p.is_illustrative) for p in countries}
    wanted_regions = {(p.code, p.share, p.is_illustrative) for p in regions}
    if _stored(activity.pk) == (wanted_countries, wanted_regions):
        return current
    _claim(activity, version)
    _replace(
        ActivityCountry.objects.filter(activity=activity),
        {p.code: p for p in countries},
        key_of=lambda row: row.country.code,
        new_row=lambda code: ActivityCountry(activity=activity, country=code),
        actor=actor,
    )
    by_code = Region.objects.in_bulk([p.code for p in regions], field_name="code")
    _replace(
        ActivityRegion.objects.filter(activity=activity).select_related("region"),
        {p.code: p for p in regions},
        key_of=lambda row: row.region.code,
        new_row=lambda code: ActivityRegion(activity=activity, region=by_code[code]),
        actor=actor,
    )
    return Activity.objects.get(pk=activity.pk)
