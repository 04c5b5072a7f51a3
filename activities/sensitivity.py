"""Sensitivity tiers as plain data, and who may see what of an activity. Pure (no ORM).

Every activity, and each of its field groups that can carry sensitive detail, has a tier:
`public` (anyone: the published snapshots), `partners` (staff of either organization of the
plan's partnership) or `restricted` (the participating organizations and managers). The tiers
are stored by publication (`publication.models.Disclosure`, the activity's reverse accessor
`activity.disclosure`); the rule of who sees what lives here, below publication in the import
order, so the signed-in pages and API of activities apply it without importing publication,
and publication reuses it (`publication.rules`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum

from django.core.exceptions import ObjectDoesNotExist


class Tier:
    """Plain strings, so rules need no model; publication's TextChoices are made of them."""

    PUBLIC = "public"
    PARTNERS = "partners"
    RESTRICTED = "restricted"


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

# What a page or an answer says in place of a field group the viewer may not see.
WITHHELD: dict[str, str] = {
    Tier.PARTNERS: "Shared with the staff of the partner organizations only",
    Tier.RESTRICTED: "Restricted to the participating organizations and managers",
}

# The field groups the monitoring reasons name.
REASON_GROUPS = ("milestones", "indicators", "progress", "funding")

REASONS_WITHHELD = (
    "Withheld: the reasons name milestones, indicators, reports or funding you may not see"
)


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


class Relation(IntEnum):
    """How a signed-in person stands to an activity; each level sees what the ones below see."""

    OTHER = 0  # signed in, of no organization of the plan's partnership
    PARTNER = 1  # staff of an organization of the plan's partnership
    PARTICIPANT = 2  # staff of a participating organization, or a manager


def relation(
    *,
    is_manager: bool,
    organization_id: int | None,
    participating_ids: set[int],
    is_partner: bool,
) -> Relation:
    if is_manager or (organization_id is not None and organization_id in participating_ids):
        return Relation.PARTICIPANT
    if organization_id is not None and is_partner:
        return Relation.PARTNER
    return Relation.OTHER


def may_see(tier: str, who: Relation) -> bool:
    if tier == Tier.PUBLIC:
        return True
    if tier == Tier.PARTNERS:
        return who >= Relation.PARTNER
    return who >= Relation.PARTICIPANT  # restricted, or unknown: fail closed


@dataclass(frozen=True, slots=True)
class Tiers:
    activity: str = DEFAULT_TIER
    fields: Mapping[str, str] = field(default_factory=dict)

    def of(self, group: str) -> str:
        return effective_tier(self.activity, self.fields.get(group, DEFAULT_TIER))


def tiers_of(activity: object) -> Tiers:
    """The tiers of an activity, read through its reverse accessor `disclosure` (publication's
    Disclosure): no query when it was select_related, one otherwise. No row: every tier at the
    default."""
    try:
        disclosure = activity.disclosure  # type: ignore[attr-defined]
    except (ObjectDoesNotExist, AttributeError):
        return Tiers()
    if disclosure is None:
        return Tiers()
    return Tiers(
        activity=disclosure.tier,
        fields={name: getattr(disclosure, f"{name}_tier") for name in FIELD_GROUPS},
    )


def tiers_from_row(row: Mapping[str, object], prefix: str = "disclosure__") -> Tiers:
    """The tiers from a values() row holding `disclosure__tier` and `disclosure__<group>_tier`
    (None where the activity has no Disclosure row: the default)."""
    activity = row.get(f"{prefix}tier") or DEFAULT_TIER
    return Tiers(
        activity=str(activity),
        fields={
            name: str(row.get(f"{prefix}{name}_tier") or DEFAULT_TIER) for name in FIELD_GROUPS
        },
    )


@dataclass(frozen=True, slots=True)
class Sight:
    """What one person may see of one activity."""

    tiers: Tiers
    who: Relation

    @property
    def activity_visible(self) -> bool:
        """A restricted activity is hidden whole from those outside it. A `partners` activity
        shows its outline (code, title, area, status) to every signed-in person, as the
        dashboard counts do, but none of its field groups to those outside the partnership."""
        return self.tiers.activity != Tier.RESTRICTED or self.who >= Relation.PARTICIPANT

    def sees(self, group: str) -> bool:
        return self.activity_visible and may_see(self.tiers.of(group), self.who)

    @property
    def withheld(self) -> dict[str, str]:
        """Field group → the line shown in its place, for each group the person may not see."""
        return {
            group: WITHHELD.get(self.tiers.of(group), WITHHELD[Tier.RESTRICTED])
            for group in FIELD_GROUPS
            if not self.sees(group)
        }

    @property
    def sees_reasons(self) -> bool:
        """The monitoring engine's reasons name milestones, indicators, reports and money: shown
        only to someone who may see all of those."""
        return all(self.sees(g) for g in REASON_GROUPS)


# What a manager sees: everything (for answers written only to those who edit an activity).
FULL_SIGHT = Sight(tiers=Tiers(), who=Relation.PARTICIPANT)
