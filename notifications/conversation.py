"""The conversation on an activity: who may take part, posting and editing comments, mentions.

For the staff of the activity's participating organizations and for managers (they read and
write; nobody else sees the thread). A comment may @mention anyone who may take part; each
mention records a `mention` event for that person, each comment a `comment` event for the
activity's officers and the people already in the conversation (notifications.recipients).
Edits are audited (the comment's history) and may mention more people; those already mentioned
are not told twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from activities import permissions
from activities.exceptions import ConflictError, NotAllowed
from activities.models import Activity, Event, ProgressUpdate
from activities.services import record_event
from notifications import rules
from notifications.models import Comment
from partnership.access import MANAGING_ROLES

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

User = get_user_model()

# Why someone else may not read or write the conversation (pages and API).
REFUSED = (
    "The conversation on an activity is for the staff of its participating organizations and "
    "for managers."
)


def may_take_part(user: AbstractBaseUser, activity: Activity) -> bool:
    """Managers, and the staff (any role) of an organization taking part in the activity. One
    query unless the activity's participations are prefetched."""
    if permissions.is_manager(user):
        return True
    org_id = permissions.organization_id_of(user)
    return org_id is not None and org_id in permissions.participating_organization_ids(activity)


def members(activity: Activity):
    """Everyone who may take part: the people to mention."""
    orgs = activity.participations.values("organization_id")
    return User.objects.filter(is_active=True).filter(
        Q(profile__organization_id__in=orgs)
        | Q(profile__role__in=MANAGING_ROLES)
        | Q(is_superuser=True)
    )


def _check(body: str, update: ProgressUpdate | None, activity: Activity) -> str:
    errors: dict[str, list[str]] = {}
    text = body.strip()
    if not text:
        errors["body"] = ["Write something first."]
    if update is not None and update.activity_id != activity.pk:
        errors["update"] = ["That progress update belongs to another activity."]
    if errors:
        raise ValidationError(errors)
    return text


def _mentioned(text: str, activity: Activity) -> list:
    names = rules.mentioned_usernames(text, members(activity).values_list("username", flat=True))
    return list(User.objects.filter(username__in=names).order_by("username"))


def _announce(comment: Comment, actor, newly_mentioned: list, *, edited: bool) -> None:
    mentioned_ids = [user.pk for user in newly_mentioned]
    payload = {"comment_id": comment.pk, "mentioned_ids": mentioned_ids}
    if not edited:
        earlier = (
            Comment.objects.filter(activity_id=comment.activity_id)
            .exclude(pk=comment.pk)
            .values_list("author_id", flat=True)
            .distinct()
        )
        record_event(
            kind=Event.Kind.COMMENT,
            activity_ids=[comment.activity_id],
            actor=actor,
            payload=payload | {"participant_ids": sorted(set(earlier))},
            note=comment.body[:200],
        )
    if mentioned_ids:
        record_event(
            kind=Event.Kind.MENTION,
            activity_ids=[comment.activity_id],
            actor=actor,
            payload=payload,
            note=comment.body[:200],
        )


@transaction.atomic
def post_comment(
    *,
    actor: AbstractBaseUser,
    activity: Activity,
    body: str,
    update: ProgressUpdate | None = None,
) -> Comment:
    if not may_take_part(actor, activity):
        raise NotAllowed(
            "Only the staff of the organizations taking part in this activity, and managers, "
            "take part in its conversation."
        )
    text = _check(body, update, activity)
    comment = Comment(
        activity=activity, update=update, author=actor, body=text, created_at=timezone.now()
    )
    comment.full_clean()
    comment._history_user = actor
    comment.save()
    mentioned = _mentioned(text, activity)
    comment.mentioned.set(mentioned)
    _announce(comment, actor, mentioned, edited=False)
    return comment


@transaction.atomic
def edit_comment(*, actor: AbstractBaseUser, comment: Comment, version: int, body: str) -> Comment:
    """The author changes their comment, if it is still at `version`. The earlier text stays
    in the comment's history."""
    if comment.author_id != actor.pk:
        raise NotAllowed("Only its author edits a comment.")
    text = _check(body, comment.update, comment.activity)
    fresh = Comment.objects.select_for_update().select_related("activity").get(pk=comment.pk)
    if fresh.version != version:
        raise ConflictError(
            model_name="comment", expected_version=version, current_version=fresh.version
        )
    if fresh.body == text:  # no edit: no new version, no history row
        return fresh
    fresh.version += 1
    fresh.body = text
    fresh.edited_at = timezone.now()
    fresh.full_clean()
    fresh._history_user = actor
    fresh.save()
    already = set(fresh.mentioned.values_list("pk", flat=True))
    mentioned = _mentioned(text, fresh.activity)
    fresh.mentioned.set(mentioned)
    _announce(fresh, actor, [u for u in mentioned if u.pk not in already], edited=True)
    return fresh
