"""Everything known about a plan as of a date, as plain data (no ORM): what the public view and the
pre-publish checklist read. Loaded by `publication.selectors.plan_facts` in a fixed number of
queries; built by hand in the pure tests.

It holds every field, public or not: deciding what is public is `public_view`'s job alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from publication import rules


@dataclass(frozen=True, slots=True)
class DisclosureFacts:
    tier: str = rules.DEFAULT_TIER
    field_tiers: dict[str, str] = field(
        default_factory=lambda: dict.fromkeys(rules.FIELD_GROUPS, rules.DEFAULT_TIER)
    )
    public_summary: str = ""
    public_status_reason: str = ""
    version: int = 1  # of the settings row, for an edit made from the checklist


@dataclass(frozen=True, slots=True)
class OrganizationFacts:
    acronym: str
    name: str
    role: str = ""  # label of the role in an activity; "" for a partner of the partnership


@dataclass(frozen=True, slots=True)
class MilestoneFacts:
    title: str
    due_date: dt.date
    completed_on: dt.date | None


@dataclass(frozen=True, slots=True)
class IndicatorFacts:
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    target_date: dt.date
    latest_value: Decimal | None
    latest_on: dt.date | None


@dataclass(frozen=True, slots=True)
class UpdateFacts:
    """An approved progress update (approved by the date)."""

    period_end: dt.date
    percent_complete: int
    narrative: str
    risks: str


@dataclass(frozen=True, slots=True)
class FundingFacts:
    donor: str
    donor_name: str
    amount: Decimal
    currency: str
    status: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class ActivityFacts:
    id: int
    code: str
    title: str
    description: str
    thematic_area: str  # code
    cooperation_type: str
    horizon: str
    lifecycle: str
    start_date: dt.date | None
    end_date: dt.date | None
    status: str  # in effect on the date; "" when not assessed by then
    organizations: tuple[OrganizationFacts, ...] = ()
    sdg_targets: tuple[str, ...] = ()
    priority_rank: int | None = None  # the designation of the date's year
    milestones: tuple[MilestoneFacts, ...] = ()
    indicators: tuple[IndicatorFacts, ...] = ()
    updates: tuple[UpdateFacts, ...] = ()  # newest first
    funding: tuple[FundingFacts, ...] = ()
    budget_required: Decimal = Decimal("0")
    currency: str = "USD"
    # The names of its recipient countries, then of its regions (publication.geography).
    places: tuple[str, ...] = ()
    # Its recipient countries as (ISO 3166-1 alpha-2 code, name), for the public countries API.
    countries: tuple[tuple[str, str], ...] = ()
    disclosure: DisclosureFacts = field(default_factory=DisclosureFacts)


@dataclass(frozen=True, slots=True)
class AgreementFacts:
    title: str
    kind: str
    signed_on: dt.date
    place: str
    entry_into_force: dt.date | None
    summary: str
    document_url: str
    parties: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AreaFacts:
    code: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class TargetFacts:
    code: str
    goal: int
    title: str


@dataclass(frozen=True, slots=True)
class PlanFacts:
    plan_id: int
    title: str
    period_start: dt.date
    period_end: dt.date
    objectives: str
    partnership: str
    partnership_description: str
    partners: tuple[OrganizationFacts, ...]
    agreements: tuple[AgreementFacts, ...]  # the plan's agreement first, then what it builds on
    matrix_edition: int | None
    matrix_adopted_on: dt.date | None
    thematic_areas: tuple[AreaFacts, ...]
    sdg_targets: tuple[TargetFacts, ...]  # the targets of SDG 16
    as_of: dt.date
    activities: tuple[ActivityFacts, ...]
