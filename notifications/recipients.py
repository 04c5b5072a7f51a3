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
officers of its participating organizations. Whoever made the change is not told of it. Everyone
signed in may read an activity (drafts aside, which no event is about), so every recipient may
see what they are told.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from activities.models import Activity, Event
from notifications import rules
from partnership.access import MANAGING_ROLES
from partnership.models import Profile

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


def recipients(event: Event, activity: Activity) -> dict[int, str]:
    """user id → why they are told."""
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
    return found
