"""What a set of places for one activity may be: pure functions over plain values (no ORM).

The service applies them before every write; the API applies them to input whose other fields
were refused, so a client sees every error at once. IATI's rule for the shares: an activity's
recipient-country and recipient-region percentages, where given, add up to 100 together.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS
from django_countries import countries

Errors = dict[str, list[str]]

COUNTRY_MESSAGE = "Give an ISO 3166-1 alpha-2 country code, e.g. NG."
HUNDRED = Decimal("100")


@dataclass(frozen=True, slots=True)
class Place:
    """A country (ISO 3166-1 alpha-2) or a region (UN M49 code) with its share in percent, or
    None for no share."""

    code: str
    share: Decimal | None = None
    is_illustrative: bool = False


def is_country(code: str) -> bool:
    """Whether `code` is an ISO 3166-1 alpha-2 code django-countries knows, in upper case."""
    return len(code) == 2 and countries.alpha2(code) == code


def _listing_errors(
    places: Sequence[Place], *, known: Callable[[str], bool], unknown_message: str
) -> list[str]:
    errors: list[str] = []
    seen: set[str] = set()
    for place in places:
        if not known(place.code):
            errors.append(unknown_message.format(code=place.code))
        elif place.code in seen:
            errors.append(f"{place.code} is listed more than once.")
        seen.add(place.code)
        if place.share is not None and not (0 < place.share <= HUNDRED):
            errors.append(
                f"{place.code}: a share is more than 0 and at most 100 (got {place.share})."
            )
    return errors


def place_errors(
    *, countries: Sequence[Place], regions: Sequence[Place], known_regions: Collection[str]
) -> Errors:
    """Every problem with an activity's recipient countries and regions at once: unknown or
    repeated codes, shares out of range, and shares that are given for some places but not
    others or do not add up to 100 (under NON_FIELD_ERRORS, since countries and regions share
    them)."""
    errors: Errors = {}
    if problems := _listing_errors(
        countries,
        known=is_country,
        unknown_message="'{code}' is not an ISO 3166-1 alpha-2 country code (e.g. NG).",
    ):
        errors["countries"] = problems
    if problems := _listing_errors(
        regions,
        known=lambda code: code in known_regions,
        unknown_message="'{code}' is not a UN M49 region code (e.g. 011, Western Africa).",
    ):
        errors["regions"] = problems
    places = [*countries, *regions]
    with_share = [place for place in places if place.share is not None]
    if with_share and len(with_share) < len(places):
        missing = ", ".join(place.code for place in places if place.share is None)
        errors[NON_FIELD_ERRORS] = [
            f"Give a share for every country and region, or for none (no share: {missing})."
        ]
    elif with_share:
        total = sum((place.share for place in with_share), Decimal("0"))
        if total != HUNDRED:
            errors[NON_FIELD_ERRORS] = [
                f"The shares add up to {total.normalize():f}%; together, the countries' and "
                "regions' shares must add up to 100%."
            ]
    return errors


# Worst first: what the map colours a country by when it shows the worst status of its
# activities. "" is an activity not assessed by the date, shown only when nothing else is.
WORST_FIRST = ("off_track", "at_risk", "suspended", "not_started", "on_track", "completed", "")


def worst_status(statuses: Collection[str]) -> str:
    """The worst of these statuses (WORST_FIRST); "" when none or only unassessed ones."""
    return next((status for status in WORST_FIRST if status in statuses), "")


def count_buckets(most: int, classes: int = 5) -> list[tuple[int, int]]:
    """The map's colour classes for counts 1 … `most`: up to `classes` ranges (low, high), each
    wider than the one before (geometric), so a map of a few activities and a map of thousands
    both show differences. Ranges never overlap and cover 1 … most; none when most is 0."""
    if most <= 0:
        return []
    bounds: list[int] = []
    for i in range(1, classes + 1):
        high = max(1, round(most ** (i / classes)))
        if not bounds or high > bounds[-1]:
            bounds.append(high)
    ranges, low = [], 1
    for high in bounds:
        ranges.append((low, high))
        low = high + 1
    return ranges


def bucket_of(count: int, buckets: Sequence[tuple[int, int]]) -> int:
    """The colour class (1 …) of a count, 0 for none."""
    for i, (low, high) in enumerate(buckets, start=1):
        if low <= count <= high:
            return i
    return 0
