"""The header's search: activities, milestones and progress updates whose text contains what was
typed, each with where it sits in the framework (plan, matrix edition, thematic area, activity),
and only what the person may read (drafts: `selectors.visible_updates`). Each list is bounded,
with its total: one query per kind, whatever the size of the portfolio."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

from activities.home_selectors import Bounded, bounded
from activities.models import Activity, Milestone, ProgressUpdate
from activities.selectors import visible_updates
from activities.sensitivity_selectors import group_visible, visible_activities

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser

SEARCH_LIMIT = 20
# Where a hit sits: the activity with its matrix, plan and thematic area.
TRAIL = ("matrix__plan", "thematic_area")


@dataclass(frozen=True, slots=True)
class SearchResults:
    text: str
    activities: Bounded[Activity]
    milestones: Bounded[Milestone]
    updates: Bounded[ProgressUpdate]

    @property
    def total(self) -> int:
        return self.activities.total + self.milestones.total + self.updates.total


def search(*, text: str, viewer: User | None, limit: int = SEARCH_LIMIT) -> SearchResults:
    """Case-insensitive containment in an activity's code, title or description, a milestone's
    title, an update's narrative or risks; each only where `viewer` may see that field group of
    the activity (a hit in a withheld field would tell what it holds), and never in a restricted
    activity they take no part in."""
    described = Q(description__icontains=text) & group_visible(viewer, "description")
    risks = Q(risks__icontains=text) & group_visible(viewer, "risks", "activity__")
    activities = (
        Activity.objects.filter(
            visible_activities(viewer),
            Q(code__icontains=text) | Q(title__icontains=text) | described,
        )
        .select_related(*TRAIL)
        .order_by("code", "id")
    )
    milestones = (
        Milestone.objects.filter(
            group_visible(viewer, "milestones", "activity__"), title__icontains=text
        )
        .select_related(*(f"activity__{path}" for path in TRAIL))
        .order_by("activity__code", "due_date", "id")
    )
    updates = visible_updates(
        ProgressUpdate.objects.filter(
            group_visible(viewer, "progress", "activity__"), Q(narrative__icontains=text) | risks
        )
        .select_related("author", *(f"activity__{path}" for path in TRAIL))
        .order_by("activity__code", "-period_end", "-id"),
        viewer=viewer,
    )
    return SearchResults(
        text=text,
        activities=bounded(activities, limit),
        milestones=bounded(milestones, limit),
        updates=bounded(updates, limit),
    )
