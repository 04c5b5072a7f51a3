"""An activity's places as the publication's facts carry them: the names of its recipient
countries (by name) and then of its regions (by M49 code), and its countries' ISO 3166-1 codes
with their names (the public countries API addresses a country by its code), read from
geography's selectors.

The public view shows them when the activity's `places` field group is public; the checklist
flags a public activity that names no place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from geography.selectors import places_by_activity as _places_by_activity


@dataclass(frozen=True, slots=True)
class PlaceNames:
    names: tuple[str, ...]  # countries, then regions
    countries: tuple[tuple[str, str], ...]  # (ISO 3166-1 alpha-2 code, name)


def places_by_activity(*, activity_ids: Iterable[int]) -> dict[int, PlaceNames]:
    """Activity id → its places (2 queries however many activities)."""
    return {
        pk: PlaceNames(
            names=tuple(place.name for place in (*places.countries, *places.regions)),
            countries=tuple((place.code, place.name) for place in places.countries),
        )
        for pk, places in _places_by_activity(activity_ids).items()
    }
