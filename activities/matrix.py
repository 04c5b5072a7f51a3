"""The Activity Matrix as a grid, and its flags per thematic area. Pure: plain data in, plain data
out; `activities.selectors.plan_matrix` loads the data.

The grid has a row per thematic area and, in each row, a cell per organization of the partnership
holding that organization's activities by cooperation type (joint, complementary) and horizon
(current, aspirational). Only *current* activities count for the flags:

- gap: the area has no current activity at all;
- single_organization: of the partnership's organizations, exactly one takes part in the area's
  current activities;
- overlaps: two current activities of the area share a topic while one has organization X but not
  Y and the other has Y but not X: the two organizations run separate work on the same subject.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

COOPERATION_TYPES = ("joint", "complementary")
HORIZONS = ("current", "aspirational")
CURRENT = "current"


@dataclass(frozen=True, slots=True)
class AreaInput:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class ActivityInput:
    id: int
    code: str
    title: str
    thematic_area: str  # the area's code
    cooperation_type: str
    horizon: str
    status: str
    organizations: Mapping[str, str]  # acronym -> role
    topics: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class CellEntry:
    id: int
    code: str
    title: str
    role: str
    status: str


@dataclass(frozen=True, slots=True)
class CellGroup:
    cooperation_type: str
    horizon: str
    activities: tuple[CellEntry, ...]


@dataclass(frozen=True, slots=True)
class Cell:
    organization: str
    groups: tuple[CellGroup, ...]


@dataclass(frozen=True, slots=True)
class Overlap:
    activities: tuple[str, str]  # activity codes, in code order
    topics: tuple[str, ...]
    only_in_first: tuple[str, ...]  # partnership organizations in the first activity only
    only_in_second: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AreaFlags:
    gap: bool
    single_organization: bool
    active_organizations: tuple[str, ...]
    overlaps: tuple[Overlap, ...]


@dataclass(frozen=True, slots=True)
class AreaRow:
    code: str
    name: str
    current_count: int
    aspirational_count: int
    cells: tuple[Cell, ...]
    flags: AreaFlags


@dataclass(frozen=True, slots=True)
class MatrixGrid:
    organizations: tuple[str, ...]
    areas: tuple[AreaRow, ...]


def find_overlaps(
    activities: Sequence[ActivityInput], partner_organizations: Sequence[str]
) -> tuple[Overlap, ...]:
    """Pairs of current activities sharing a topic, each with a partnership organization the other
    lacks. Only pairs that share a topic are compared (found through a topic index), so the cost
    grows with the pairs per topic, not with the square of the area's activities; the pairs come
    out in the same order as `combinations` over the activities sorted by code."""
    partners = set(partner_organizations)
    current = sorted((a for a in activities if a.horizon == CURRENT), key=lambda a: a.code)
    by_topic: dict[str, list[int]] = {}
    for index, activity in enumerate(current):
        for topic in activity.topics:
            by_topic.setdefault(topic, []).append(index)
    pairs = sorted({pair for indexes in by_topic.values() for pair in combinations(indexes, 2)})
    overlaps = []
    for i, j in pairs:
        first, second = current[i], current[j]
        shared = first.topics & second.topics
        first_orgs = set(first.organizations) & partners
        second_orgs = set(second.organizations) & partners
        only_first, only_second = first_orgs - second_orgs, second_orgs - first_orgs
        if only_first and only_second:
            overlaps.append(
                Overlap(
                    activities=(first.code, second.code),
                    topics=tuple(sorted(shared)),
                    only_in_first=tuple(sorted(only_first)),
                    only_in_second=tuple(sorted(only_second)),
                )
            )
    return tuple(overlaps)


def area_flags(
    activities: Sequence[ActivityInput], partner_organizations: Sequence[str]
) -> AreaFlags:
    """Flags of one thematic area, from the activities placed in it."""
    current = [a for a in activities if a.horizon == CURRENT]
    partners = set(partner_organizations)
    active = sorted({org for a in current for org in a.organizations if org in partners})
    return AreaFlags(
        gap=not current,
        single_organization=len(active) == 1,
        active_organizations=tuple(active),
        overlaps=find_overlaps(current, partner_organizations),
    )


def _cell(organization: str, activities: Sequence[ActivityInput]) -> Cell:
    groups = []
    for cooperation_type in COOPERATION_TYPES:
        for horizon in HORIZONS:
            entries = tuple(
                CellEntry(
                    id=a.id,
                    code=a.code,
                    title=a.title,
                    role=a.organizations[organization],
                    status=a.status,
                )
                for a in activities
                if organization in a.organizations
                and a.cooperation_type == cooperation_type
                and a.horizon == horizon
            )
            groups.append(CellGroup(cooperation_type, horizon, entries))
    return Cell(organization=organization, groups=tuple(groups))


def build_matrix(
    *,
    areas: Sequence[AreaInput],
    partner_organizations: Sequence[str],
    activities: Sequence[ActivityInput],
) -> MatrixGrid:
    """The grid for the given areas (in the order given) and partnership organizations."""
    by_area: dict[str, list[ActivityInput]] = {area.code: [] for area in areas}
    for activity in sorted(activities, key=lambda a: a.code):
        by_area.setdefault(activity.thematic_area, []).append(activity)
    rows = []
    for area in areas:
        placed = by_area[area.code]
        rows.append(
            AreaRow(
                code=area.code,
                name=area.name,
                current_count=sum(a.horizon == CURRENT for a in placed),
                aspirational_count=sum(a.horizon != CURRENT for a in placed),
                cells=tuple(_cell(org, placed) for org in partner_organizations),
                flags=area_flags(placed, partner_organizations),
            )
        )
    return MatrixGrid(organizations=tuple(partner_organizations), areas=tuple(rows))
