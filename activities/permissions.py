"""Who may do what, per object. Pure functions of the user and the object(s) at hand.

Roles come from `partnership.models.Profile.Role`. A user without a profile is a viewer and a
superuser is an administrator. The functions do not query the database, except
`participating_organization_ids`, which runs one query when the activity's participations were not
prefetched.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist

# A person's role, and whether it is a managing one, are the partnership app's (it owns Profile,
# and its account pages check them too); re-exported here beside the per-object rules.
from partnership.access import MANAGING_ROLES, Role, is_manager, role_of  # noqa: F401

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from activities.models import Activity

    User = AbstractBaseUser | AnonymousUser

WRITING_ROLES = frozenset({Role.LIAISON_OFFICER, Role.MANAGER, Role.ADMIN})


def organization_id_of(user: User | None) -> int | None:
    try:
        return user.profile.organization_id if user is not None else None
    except (ObjectDoesNotExist, AttributeError):
        return None


def participating_organization_ids(activity: Activity) -> set[int]:
    """Uses prefetched `participations` when present; otherwise one query."""
    cache = getattr(activity, "_prefetched_objects_cache", {})
    if "participations" in cache:
        return {p.organization_id for p in cache["participations"]}
    return set(activity.participations.values_list("organization_id", flat=True))


def can_create_activity(user: User | None, organization_ids: Iterable[int] = ()) -> bool:
    """Managers create any activity; a liaison officer only one in which their own organization
    participates (else they would create something they could not edit)."""
    role = role_of(user)
    if role in MANAGING_ROLES:
        return True
    if role == Role.LIAISON_OFFICER:
        org_id = organization_id_of(user)
        return org_id is not None and org_id in set(organization_ids)
    return False


def may_write_at_all(user: User | None) -> bool:
    """A cheap first gate (no object needed): viewers and anonymous users never write."""
    return role_of(user) in WRITING_ROLES


def can_edit_activity(user: User | None, activity: Activity) -> bool:
    """The activity itself and what hangs off it: milestones, indicators, measurements, progress
    updates (draft and submit). Liaison officers only where their organization participates."""
    role = role_of(user)
    if role in MANAGING_ROLES:
        return True
    if role == Role.LIAISON_OFFICER:
        org_id = organization_id_of(user)
        return org_id is not None and org_id in participating_organization_ids(activity)
    return False


def can_approve(user: User | None, obj: object = None) -> bool:
    """Approve or return progress updates."""
    return role_of(user) in MANAGING_ROLES


def can_designate_priority(user: User | None, obj: object = None) -> bool:
    return role_of(user) in MANAGING_ROLES


def can_request_monitoring_run(user: User | None, plan: object = None) -> bool:
    return role_of(user) in MANAGING_ROLES


def can_set_override(user: User | None, activity: Activity | None = None) -> bool:
    return role_of(user) in MANAGING_ROLES
