"""Sensitivity tiers as plain data: which tiers there are, which parts of an activity carry one,
and how an activity's tier and a field's tier combine. Pure (no ORM), read by the public view,
the checklist, the services and the forms.

What the public may see is decided in one place only, `publication.public_view`, from these.
"""

from __future__ import annotations

from collections.abc import Mapping


class Tier:
    """Who may see a part of an activity. Plain strings, so rules need no model; the model's
    TextChoices (publication.models.Disclosure.Tier) are made of them."""

    PUBLIC = "public"  # anyone: the published snapshots
    PARTNERS = "partners"  # staff of either organization
    RESTRICTED = "restricted"  # the participating organizations and managers


# From the most open to the most closed: the stricter of two tiers is the later one.
TIER_ORDER: tuple[str, ...] = (Tier.PUBLIC, Tier.PARTNERS, Tier.RESTRICTED)
DEFAULT_TIER = Tier.PARTNERS

# The parts of an activity that can carry sensitive detail, each with a tier of its own, in the
# order pages list them: name → label.
FIELD_GROUPS: dict[str, str] = {
    "description": "Description",
    "milestones": "Milestones",
    "indicators": "Indicators",
    "progress": "Progress narratives",
    "risks": "Risks",
    "funding": "Funding lines and donors",
    "places": "Places",
}


def stricter(*tiers: str) -> str:
    """The most closed of the tiers (an unknown value counts as restricted: fail closed)."""
    return max(
        tiers,
        key=lambda t: TIER_ORDER.index(t) if t in TIER_ORDER else len(TIER_ORDER),
    )


def effective_tier(activity_tier: str, field_tier: str) -> str:
    """A field is no more open than its activity: a public milestone of a restricted activity is
    restricted."""
    return stricter(activity_tier, field_tier)


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
