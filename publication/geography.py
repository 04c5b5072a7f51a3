"""The hook for the geography records of issue 17 (countries and places of activities).

Until they land, `places_by_activity` answers None: nothing is known about places, so the public
view shows none and the checklist skips its country check (saying so). When they land, it answers
each activity's country names (one query) and both start to work without other changes.
"""

from __future__ import annotations


def places_by_activity(*, plan_id: int) -> dict[int, list[str]] | None:
    """Activity id → its places' names, or None while the geography records do not exist."""
    return None
