"""Reads of notifications: a person's inbox and choices, and the managers' log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from notifications import rules
from notifications.models import Comment, Notification, Preference

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


def inbox(*, user: AbstractBaseUser) -> QuerySet[Notification]:
    """The person's inbox, newest first (the partial (recipient, -created_at) index)."""
    return Notification.objects.filter(recipient=user, channel=Notification.Channel.INBOX).order_by(
        "-created_at", "-id"
    )


def choices(*, user: AbstractBaseUser) -> dict[str, str]:
    """kind → cadence, the person's choice or the kind's default, for every kind (one query)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "cadence"))
    return {kind: rules.cadence_for(kind, chosen) for kind in rules.KINDS_FOR_PEOPLE}


def log() -> QuerySet[Notification]:
    """Every notification, newest first, with its recipient and event."""
    return Notification.objects.select_related("recipient", "event").order_by("-created_at", "-id")


def thread(*, activity_id: int) -> QuerySet[Comment]:
    """The activity's conversation, oldest first, with authors and the update each is about."""
    return (
        Comment.objects.filter(activity_id=activity_id)
        .select_related("author", "update")
        .order_by("created_at", "id")
    )
