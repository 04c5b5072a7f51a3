"""The activity export's "Countries" and "Regions" columns (monitoring.exports, added by this
app's AppConfig): each activity's places as `NG Nigeria (60%); SN Senegal (40%)`, the code
first so a spreadsheet can split and match them, the share where one is given, and
"(illustrative)" where the place is not taken from a public source, as the pages say."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from geography import selectors

COUNTRIES_COLUMN = "Countries"
REGIONS_COLUMN = "Regions"


def _share(share: Decimal) -> str:
    """60.00 → 60, 33.50 → 33.5: the share as people write it."""
    return f"{share.normalize():f}"


def place_cell(places: Sequence[selectors.PlaceRow]) -> str:
    parts = []
    for place in places:
        text = f"{place.code} {place.name}"
        if place.share is not None:
            text += f" ({_share(place.share)}%)"
        if place.is_illustrative:
            text += " (illustrative)"
        parts.append(text)
    return "; ".join(parts)


def _cells(
    read: Callable[[Sequence[int]], Mapping[int, list[selectors.PlaceRow]]],
) -> Callable[[Sequence[int]], dict[int, str]]:
    def cells(activity_ids: Sequence[int]) -> dict[int, str]:
        return {pk: place_cell(places) for pk, places in read(activity_ids).items()}

    return cells


# One query each for all the exported activities (selectors.countries_by_activity, …).
country_cells = _cells(selectors.countries_by_activity)
region_cells = _cells(selectors.regions_by_activity)

EXPORT_COLUMNS = {COUNTRIES_COLUMN: country_cells, REGIONS_COLUMN: region_cells}
