"""Who may change what the public sees. Pure functions of the user and the activity, except
`lead_organization_id`, which runs one query when the participations were not prefetched."""

from __future__ import annotations

from typing import TYPE_CHECKING

from activities.models import ActivityParticipation
from activities.permissions import Role, is_manager, organization_id_of, role_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from activities.models import Activity

    User = AbstractBaseUser | AnonymousUser


def lead_organization_id(activity: Activity) -> int | None:
    cache = getattr(activity, "_prefetched_objects_cache", {})
    if "participations" in cache:
        return next(
            (
                p.organization_id
                for p in cache["participations"]
                if p.role == ActivityParticipation.Role.LEAD
            ),
            None,
        )
    return (
        activity.participations.filter(role=ActivityParticipation.Role.LEAD)
        .values_list("organization_id", flat=True)
        .first()
    )


def can_set_disclosure(user: User | None, activity: Activity) -> bool:
    """Managers, and liaison officers of the activity's lead organization, set its tiers and its
    public texts."""
    if is_manager(user):
        return True
    if role_of(user) != Role.LIAISON_OFFICER:
        return False
    org_id = organization_id_of(user)
    return org_id is not None and org_id == lead_organization_id(activity)


def can_publish(user: User | None) -> bool:
    """Publish and withdraw snapshots."""
    return is_manager(user)
