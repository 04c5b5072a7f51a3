"""The sensitivity rule (`activities.sensitivity`) in queries: which activities a person may list,
which of their field groups they may read, and the facts the rule needs, read in the query that
loads the activities so that applying it costs no query per row.

`path` is how a queryset reaches the activity: "" for activities, "activity__" for milestones,
progress updates, funding lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet, Value

from activities.models import ActivityParticipation
from activities.permissions import is_manager, organization_id_of, participating_organization_ids
from activities.sensitivity import FIELD_GROUPS, Relation, Sight, Tier, relation, tiers_of
from partnership.models import Partnership

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from activities.models import Activity

    User = AbstractBaseUser | AnonymousUser

# The Disclosure columns a row-reading selector adds to its values().
DISCLOSURE_ROW_FIELDS = (
    "disclosure__tier",
    *(f"disclosure__{group}_tier" for group in FIELD_GROUPS),
)


def _partner_of(organization_id: int, path: str) -> Exists:
    """The organization is one of the partnership of the activity's plan."""
    return Exists(
        Partnership.organizations.through.objects.filter(
            partnership_id=OuterRef(f"{path}matrix__plan__partnership_id"),
            organization_id=organization_id,
        )
    )


def _participant(organization_id: int, path: str) -> Exists:
    return Exists(
        ActivityParticipation.objects.filter(
            activity_id=OuterRef(f"{path}pk"), organization_id=organization_id
        )
    )


def _tier_in(path: str, column: str, tiers: tuple[str, ...]) -> Q:
    """The activity's tier `column` is one of `tiers`; an activity without a Disclosure row has
    every tier at the default (partners)."""
    q = Q(**{f"{path}disclosure__{column}__in": tiers})
    if Tier.PARTNERS in tiers:
        q |= Q(**{f"{path}disclosure__isnull": True})
    return q


def visible_activities(viewer: User | None, path: str = "") -> Q:
    """The activities `viewer` may list: all but the restricted ones they take no part in
    (managers: all)."""
    if is_manager(viewer):
        return Q()
    shown = _tier_in(path, "tier", (Tier.PUBLIC, Tier.PARTNERS))
    organization_id = organization_id_of(viewer)
    if organization_id is None:
        return shown
    return shown | Q(_participant(organization_id, path))


def group_visible(viewer: User | None, group: str, path: str = "") -> Q:
    """The rows (of activities, or of what hangs off them) whose field group `group` `viewer`
    may read: the stricter of the activity's and the group's tiers is one their relation to the
    activity reaches (activities.sensitivity.may_see, in SQL)."""
    if is_manager(viewer):
        return Q()
    column = f"{group}_tier"
    public = _tier_in(path, "tier", (Tier.PUBLIC,)) & _tier_in(path, column, (Tier.PUBLIC,))
    organization_id = organization_id_of(viewer)
    if organization_id is None:
        return public
    open_to_partners = (Tier.PUBLIC, Tier.PARTNERS)
    partners = (
        Q(_partner_of(organization_id, path))
        & _tier_in(path, "tier", open_to_partners)
        & _tier_in(path, column, open_to_partners)
    )
    return Q(_participant(organization_id, path)) | partners | public


def partner_flag(viewer: User | None, path: str = "") -> Exists | Value:
    """For an annotation `viewer_is_partner` of activities: the viewer's organization is one of
    the partnership of the activity's plan (a subquery in the activities' query)."""
    organization_id = None if is_manager(viewer) else organization_id_of(viewer)
    return Value(False) if organization_id is None else _partner_of(organization_id, path)


def with_sight(queryset: QuerySet, viewer: User | None) -> QuerySet:
    """Activities with what `sight_of` reads: their Disclosure joined and `viewer_is_partner`,
    in the same query."""
    return queryset.select_related("disclosure").annotate(viewer_is_partner=partner_flag(viewer))


def viewer_relation(viewer: User | None, activity: Activity) -> Relation:
    """Reads the prefetched participations and the `viewer_is_partner` annotation of
    `with_sight`; without them, one query each."""
    if is_manager(viewer):
        return Relation.PARTICIPANT
    organization_id = organization_id_of(viewer)
    participating = participating_organization_ids(activity)
    if organization_id is None or organization_id in participating:
        return relation(
            is_manager=False,
            organization_id=organization_id,
            participating_ids=participating,
            is_partner=False,
        )
    is_partner = getattr(activity, "viewer_is_partner", None)
    if is_partner is None:
        is_partner = Partnership.organizations.through.objects.filter(
            partnership_id=activity.matrix.plan.partnership_id, organization_id=organization_id
        ).exists()
    return relation(
        is_manager=False,
        organization_id=organization_id,
        participating_ids=participating,
        is_partner=bool(is_partner),
    )


def sight_of(viewer: User | None, activity: Activity) -> Sight:
    """What `viewer` may see of `activity` (see viewer_relation for its queries)."""
    return Sight(tiers=tiers_of(activity), who=viewer_relation(viewer, activity))
