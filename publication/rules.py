"""Sensitivity tiers as plain data: which tiers there are, which parts of an activity carry one,
and how an activity's tier and a field's tier combine. Pure (no ORM), read by the public view,
the checklist, the services and the forms.

What the public may see is decided in one place only, `publication.public_view`, from these.
"""

from __future__ import annotations

from collections.abc import Mapping

# The tiers, the field groups and how tiers combine are activities' (`activities.sensitivity`,
# which the signed-in pages apply too); re-exported here for the public side.
from activities.sensitivity import (  # noqa: F401
    DEFAULT_TIER,
    FIELD_GROUPS,
    TIER_ORDER,
    Tier,
    effective_tier,
    stricter,
)


def is_public(activity_tier: str, field_tier: str | None = None) -> bool:
    tier = activity_tier if field_tier is None else effective_tier(activity_tier, field_tier)
    return tier == Tier.PUBLIC


def tier_problems(tier: str, field_tiers: Mapping[str, str]) -> dict[str, list[str]]:
    """Every error in a set of tiers at once: an unknown tier, an unknown field group, a group
    left out."""
    problems: dict[str, list[str]] = {}
    known = ", ".join(TIER_ORDER)
    if tier not in TIER_ORDER:
        problems["tier"] = [f"Choose one of: {known}."]
    for name in field_tiers:
        if name not in FIELD_GROUPS:
            problems.setdefault("__all__", []).append(f"Unknown field group: {name}.")
    for name in FIELD_GROUPS:
        value = field_tiers.get(name)
        if value is None:
            problems[f"{name}_tier"] = ["Choose a tier for this field."]
        elif value not in TIER_ORDER:
            problems[f"{name}_tier"] = [f"Choose one of: {known}."]
    return problems
