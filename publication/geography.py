"""An activity's places as the publication's facts carry them: the names of its recipient
countries (by name) and then of its regions (by M49 code), read from geography's selectors.

The public view shows them when the activity's `places` field group is public; the checklist
flags a public activity that names no place.
"""

from __future__ import annotations

from collections.abc import Iterable

from geography.selectors import places_by_activity as _places_by_activity


def places_by_activity(*, activity_ids: Iterable[int]) -> dict[int, list[str]]:
    """Activity id → its places' names (2 queries however many activities)."""
    return {
        pk: [place.name for place in (*places.countries, *places.regions)]
        for pk, places in _places_by_activity(activity_ids).items()
    }
