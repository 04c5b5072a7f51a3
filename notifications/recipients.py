"""Who hears about an event, and why: reads, in a fixed number of queries per event.

- an update submitted: the managers;
- an update approved or returned: its author and the activity's officers;
- a milestone due soon or overdue, a report due, an override set or expired: the officers;
- a report late: the officers, then (by the event's escalation level) the focal points of the
  participating organizations, then the managers;
- a status turned at risk or off track: the officers and the managers;
- a comment: the officers and whoever has commented on the activity before;
- a mention: the people mentioned.

The activity's officers are its named liaison officers, or, when it names none, the liaison
officers of its participating organizations. Whoever made the change is not told of it.

A notification names the activity (its code and title) and may quote a milestone (reminders)
or a review's note (updates): someone who may not see that (activities.sensitivity: a
restricted activity outside their organization, a restricted field group) is not told, even
when named on the activity (`readers`).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from activities.models import Activity, Event
from activities.permissions import participating_organization_ids
from activities.sensitivity import Sight, relation, tiers_of
from notifications import rules
from partnership.access import MANAGING_ROLES
from partnership.models import ActivityMatrix, Partnership, Profile

User = get_user_model()


def _active(users):
    return users.filter(is_active=True)


def managers() -> dict[int, str]:
    ids = _active(User.objects.filter(Q(profile__role__in=MANAGING_ROLES) | Q(is_superuser=True)))
    return dict.fromkeys(ids.values_list("id", flat=True), "you are a manager")


def officers(activity: Activity) -> dict[int, str]:
    named = list(_active(activity.liaison_officers.all()).values_list("id", flat=True))
    if named:
        return dict.fromkeys(named, f"you are a liaison officer of {activity.code}")
    orgs = activity.participations.values("organization_id")
    ids = _active(
        User.objects.filter(
            profile__role=Profile.Role.LIAISON_OFFICER, profile__organization_id__in=orgs
        )
    ).values_list("id", flat=True)
    return dict.fromkeys(ids, f"your organization takes part in {activity.code}")


def focal_points(activity: Activity) -> dict[int, str]:
    orgs = activity.participations.values("organization_id")
    ids = _active(
        User.objects.filter(profile__is_focal_point=True, profile__organization_id__in=orgs)
    ).values_list("id", flat=True)
    return dict.fromkeys(ids, f"you are your organization's focal point for {activity.code}")


def _merge(*groups: dict[int, str]) -> dict[int, str]:
    merged: dict[int, str] = {}
    for group in groups:
        for user_id, reason in group.items():
            merged.setdefault(user_id, reason)
    return merged


# The field group each kind of notification quotes, beyond the activity's code and title.
QUOTED_GROUP = {
    Event.Kind.MILESTONE_DUE_SOON: "milestones",
    Event.Kind.MILESTONE_OVERDUE: "milestones",
    Event.Kind.UPDATE_SUBMITTED: "progress",
    Event.Kind.UPDATE_APPROVED: "progress",
    Event.Kind.UPDATE_RETURNED: "progress",
}


def readers(activity: Activity, found: dict[int, str], group: str | None) -> dict[int, str]:
    """Of `found`, those who may see `activity` and, when given, its field group `group`
    (activities.sensitivity). Three queries: the activity's tiers, its partnership's
    organizations, the people's roles and organizations (participations: one more unless
    prefetched)."""
    if not found:
        return found
    tiers = tiers_of(activity)
    participating = participating_organization_ids(activity)
    partnership = ActivityMatrix.objects.filter(pk=activity.matrix_id).values(
        "plan__partnership_id"
    )
    partners = set(
        Partnership.organizations.through.objects.filter(
            partnership_id__in=partnership
        ).values_list("organization_id", flat=True)
    )
    people = User.objects.filter(pk__in=found).values_list(
        "pk", "is_superuser", "profile__role", "profile__organization_id"
    )
    kept = set()
    for user_id, is_superuser, role, organization_id in people:
        sight = Sight(
            tiers=tiers,
            who=relation(
                is_manager=bool(is_superuser) or role in MANAGING_ROLES,
                organization_id=organization_id,
                participating_ids=participating,
                is_partner=organization_id in partners,
            ),
        )
        if sight.activity_visible and (group is None or sight.sees(group)):
            kept.add(user_id)
    return {user_id: why for user_id, why in found.items() if user_id in kept}


def recipients(event: Event, activity: Activity) -> dict[int, str]:
    """user id → why they are told: of those the event concerns, those who may read what the
    notification says (`readers`)."""
    kind, payload = event.kind, event.payload
    K = Event.Kind
    if kind == K.UPDATE_SUBMITTED:
        found = managers()
    elif kind in (K.UPDATE_APPROVED, K.UPDATE_RETURNED):
        author = payload.get("author_id")
        found = _merge({author: "you wrote this update"} if author else {}, officers(activity))
    elif kind == K.REPORT_LATE:
        level = int(payload.get("level", rules.OFFICER))
        groups = [officers(activity)]
        if level >= rules.FOCAL_POINT:
            groups.append(focal_points(activity))
        if level >= rules.MANAGER:
            groups.append(managers())
        found = _merge(*groups)
    elif kind in (K.STATUS_AT_RISK, K.STATUS_OFF_TRACK):
        found = _merge(officers(activity), managers())
    elif kind == K.COMMENT:
        earlier = dict.fromkeys(
            payload.get("participant_ids", []),
            f"you took part in the conversation on {activity.code}",
        )
        found = _merge(officers(activity), earlier)
        # Those mentioned hear of it through their mention, once.
        for user_id in payload.get("mentioned_ids", []):
            found.pop(user_id, None)
    elif kind == K.MENTION:
        found = dict.fromkeys(
            payload.get("mentioned_ids", []), f"you were mentioned on {activity.code}"
        )
    else:
        found = officers(activity)
    found.pop(event.actor_id, None)
    return readers(activity, found, QUOTED_GROUP.get(kind))
