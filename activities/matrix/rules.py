"""The Activity Matrix and its flags per thematic area, as pure rules: plain data in, plain data
out. `summarize_matrix` builds the grid, its counts and its flags from the counts and groups that
`activities.matrix.selectors.matrix_summary` reads in SQL; the page and the API show what it
returns, whatever the plan's size.

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

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

COOPERATION_TYPES = ("joint", "complementary")
HORIZONS = ("current", "aspirational")
CURRENT = "current"


@dataclass(frozen=True, slots=True)
class AreaInput:
    code: str
    name: str


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


# --- The summary: counts per cell, a few activities each ----------------------------------------
#
# A plan of 90,000 activities cannot be listed cell by cell, nor its overlaps found pair by pair.
# The database hands over counts instead: activities grouped by what the page needs to know of
# them, where "the set of partnership organizations taking part" stands in for each activity's
# participations. Two activities overlap exactly when neither set contains the other, so pairs
# can be counted group by group (the product of the group sizes) without meeting a single pair.


@dataclass(frozen=True, slots=True)
class CountRow:
    """How many activities of an area share a cooperation type, horizon, status and set of
    partnership organizations (empty: none of the partners takes part)."""

    thematic_area: str
    cooperation_type: str
    horizon: str
    status: str
    organizations: frozenset[str]
    count: int


@dataclass(frozen=True, slots=True)
class TopicGroup:
    """How many *current* activities of an area work on a topic with the same (non-empty) set of
    partnership organizations, and the first of them in code order."""

    thematic_area: str
    topic: str
    organizations: frozenset[str]
    count: int
    first_code: str


@dataclass(frozen=True, slots=True)
class ListedActivity:
    """An activity listed in a cell; its partnership organizations and topics are needed (and
    loaded) only where its area has overlaps."""

    id: int
    code: str
    title: str
    role: str
    status: str
    horizon: str
    organizations: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ListedEntry:
    id: int
    code: str
    title: str
    role: str
    status: str
    overlaps_with: tuple[str, ...]  # named activities it overlaps with, in code order
    more_overlaps: bool  # its overlapping groups hold more activities than those named


@dataclass(frozen=True, slots=True)
class GroupSummary:
    thematic_area: str
    organization: str
    cooperation_type: str
    horizon: str
    count: int
    entries: tuple[ListedEntry, ...]

    @property
    def more(self) -> int:
        """Activities of the group not listed."""
        return self.count - len(self.entries)

    @property
    def list_filters(self) -> dict[str, str]:
        """The activity list's filters (activities.filters.ActivityFilter, pages and API alike)
        that, with the matrix's, list every activity of the group."""
        return {
            "thematic_area": self.thematic_area,
            "organization": self.organization,
            "cooperation_type": self.cooperation_type,
            "horizon": self.horizon,
        }


@dataclass(frozen=True, slots=True)
class CellSummary:
    organization: str
    count: int  # activities shown in the cell (all of its groups)
    status_counts: tuple[tuple[str, int], ...]  # (status, count), in the order given, no zeros
    groups: tuple[GroupSummary, ...]  # only groups holding activities


@dataclass(frozen=True, slots=True)
class TopicOverlap:
    """Overlapping work of an area on one topic: how many pairs of current activities overlap on
    it, how many activities take part in one of those pairs, and the organizations involved."""

    topic: str
    pairs: int
    activities: int
    organizations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AreaSummary:
    code: str
    name: str
    current_count: int
    aspirational_count: int
    cells: tuple[CellSummary, ...]
    flags: AreaFlags  # `overlaps` holds a few examples; `overlap_topics` has the totals
    overlap_topics: tuple[TopicOverlap, ...]


@dataclass(frozen=True, slots=True)
class MatrixSummary:
    organizations: tuple[str, ...]
    areas: tuple[AreaSummary, ...]


def overlap(first: frozenset[str], second: frozenset[str]) -> bool:
    """Two sets of partnership organizations mark separate work when each has one the other
    lacks."""
    return bool(first - second) and bool(second - first)


def _topic_groups_by_area(groups: Sequence[TopicGroup]) -> dict[str, dict[str, list[TopicGroup]]]:
    by_area: dict[str, dict[str, list[TopicGroup]]] = {}
    for group in groups:
        by_area.setdefault(group.thematic_area, {}).setdefault(group.topic, []).append(group)
    return by_area


@dataclass(frozen=True, slots=True)
class TopicPairs:
    """The groups of one area and topic that overlap with at least one other group (in the
    order of their first codes) and how many pairs of activities they make."""

    members: tuple[TopicGroup, ...]
    pairs: int


Overlapping = Mapping[str, Mapping[str, TopicPairs]]


def overlapping_groups(groups: Sequence[TopicGroup]) -> dict[str, dict[str, TopicPairs]]:
    """Per area and topic with overlapping work, its `TopicPairs`. The same few organization
    sets recur on every topic, so each two sets are compared once."""
    memo: dict[tuple[frozenset[str], frozenset[str]], bool] = {}
    result: dict[str, dict[str, TopicPairs]] = {}
    for area, by_topic in _topic_groups_by_area(groups).items():
        for topic, same_topic in by_topic.items():
            pairs, involved = 0, set()
            for i, first in enumerate(same_topic):
                for j in range(i + 1, len(same_topic)):
                    second = same_topic[j]
                    key = (first.organizations, second.organizations)
                    separate = memo.get(key)
                    if separate is None:
                        separate = memo[key] = overlap(*key)
                    if separate:
                        pairs += first.count * second.count
                        involved.update((i, j))
            if pairs:
                members = sorted((same_topic[i] for i in involved), key=lambda g: g.first_code)
                result.setdefault(area, {})[topic] = TopicPairs(tuple(members), pairs)
    return result


def topic_overlaps(overlapping: Overlapping) -> dict[str, tuple[TopicOverlap, ...]]:
    """Per area, the topics with overlapping work (from `overlapping_groups`), most pairs first
    (then by topic). A pair of activities sharing two topics counts once per topic."""
    result = {}
    for area, by_topic in overlapping.items():
        found = [
            TopicOverlap(
                topic=topic,
                pairs=found.pairs,
                activities=sum(g.count for g in found.members),
                organizations=tuple(
                    sorted(frozenset().union(*(g.organizations for g in found.members)))
                ),
            )
            for topic, found in by_topic.items()
        ]
        result[area] = tuple(sorted(found, key=lambda t: (-t.pairs, t.topic)))
    return result


def example_pairs(
    overlapping: Overlapping, limit: int
) -> dict[str, tuple[tuple[str, str, frozenset[str], frozenset[str]], ...]]:
    """Per area, up to `limit` overlapping pairs to name: of two overlapping groups of a topic,
    their first activities (a true overlap: same topic, sets that each lack something), as
    (first code, second code, first's organizations, second's), the first in code order."""
    result = {}
    for area, by_topic in overlapping.items():
        named: dict[tuple[str, str], tuple[str, str, frozenset[str], frozenset[str]]] = {}
        for found in by_topic.values():
            # Members in code order, each with its later ones in code order: the topic's pairs
            # come out in code order, so its first `limit` are all that can be named.
            members, taken = found.members, 0
            for i, first in enumerate(members):
                for second in members[i + 1 :]:
                    if taken < limit and overlap(first.organizations, second.organizations):
                        key = (first.first_code, second.first_code)
                        named.setdefault(key, (*key, first.organizations, second.organizations))
                        taken += 1
                if taken == limit:
                    break
        result[area] = tuple(named[key] for key in heapq.nsmallest(limit, named))
    return result


def _entry(activity: ListedActivity, by_topic: Mapping[str, TopicPairs], names: int) -> ListedEntry:
    """The listed activity with the first activities of the groups it overlaps with: such a
    group overlaps with the activity's own group, so it is among the topic's members."""
    counterparts: set[str] = set()
    more = False
    if activity.horizon == CURRENT:
        for topic in activity.topics:
            found = by_topic.get(topic)
            for group in found.members if found else ():
                if overlap(activity.organizations, group.organizations):
                    counterparts.add(group.first_code)
                    more = more or group.count > 1
    named = tuple(sorted(counterparts)[:names])
    return ListedEntry(
        id=activity.id,
        code=activity.code,
        title=activity.title,
        role=activity.role,
        status=activity.status,
        overlaps_with=named,
        more_overlaps=more or len(counterparts) > len(named),
    )


def summarize_matrix(
    *,
    areas: Sequence[AreaInput],
    partner_organizations: Sequence[str],
    counts: Sequence[CountRow],
    overlapping: Overlapping,
    listed: Mapping[tuple[str, str, str, str], Sequence[ListedActivity]],
    examples: Mapping[str, Sequence[tuple[str, str, frozenset[str], frozenset[str]]]],
    example_topics: Mapping[str, frozenset[str]],
    statuses: Sequence[str],
    horizon: str = "",
    names: int = 3,
) -> MatrixSummary:
    """The matrix (page and API): per area and partnership organization, the number of activities by
    status and per cooperation type and horizon (only `horizon` if given), with the activities
    `listed` per (area, organization, cooperation type, horizon); the flags (always over current
    activities), with overlaps as totals per topic and the named pairs of
    `examples` (from `example_pairs`), whose activities' topics `example_topics` holds."""
    counts_by_area: dict[str, list[CountRow]] = {}
    for row in counts:
        counts_by_area.setdefault(row.thematic_area, []).append(row)
    overlaps_by_area = topic_overlaps(overlapping)
    shown_horizons = (horizon,) if horizon else HORIZONS
    rows = []
    for area in areas:
        placed = counts_by_area.get(area.code, [])
        current = [r for r in placed if r.horizon == CURRENT and r.count]
        active = sorted({org for r in current for org in r.organizations})
        by_topic = overlapping.get(area.code, {})
        cells = []
        for org in partner_organizations:
            mine = [r for r in placed if org in r.organizations and r.horizon in shown_horizons]
            groups = []
            for cooperation_type in COOPERATION_TYPES:
                for group_horizon in shown_horizons:
                    n = sum(
                        r.count
                        for r in mine
                        if r.cooperation_type == cooperation_type and r.horizon == group_horizon
                    )
                    if n:
                        entries = listed.get((area.code, org, cooperation_type, group_horizon), ())
                        groups.append(
                            GroupSummary(
                                thematic_area=area.code,
                                organization=org,
                                cooperation_type=cooperation_type,
                                horizon=group_horizon,
                                count=n,
                                entries=tuple(_entry(a, by_topic, names) for a in entries),
                            )
                        )
            by_status = dict.fromkeys(statuses, 0)
            for r in mine:
                by_status[r.status] = by_status.get(r.status, 0) + r.count
            cells.append(
                CellSummary(
                    organization=org,
                    count=sum(g.count for g in groups),
                    status_counts=tuple((s, n) for s, n in by_status.items() if n),
                    groups=tuple(groups),
                )
            )
        named = tuple(
            Overlap(
                activities=(first, second),
                topics=tuple(
                    sorted(
                        example_topics.get(first, frozenset())
                        & example_topics.get(second, frozenset())
                    )
                ),
                only_in_first=tuple(sorted(first_orgs - second_orgs)),
                only_in_second=tuple(sorted(second_orgs - first_orgs)),
            )
            for first, second, first_orgs, second_orgs in examples.get(area.code, ())
        )
        rows.append(
            AreaSummary(
                code=area.code,
                name=area.name,
                current_count=sum(r.count for r in current),
                aspirational_count=sum(r.count for r in placed if r.horizon != CURRENT),
                cells=tuple(cells),
                flags=AreaFlags(
                    gap=not current,
                    single_organization=len(active) == 1,
                    active_organizations=tuple(active),
                    overlaps=named,
                ),
                overlap_topics=overlaps_by_area.get(area.code, ()),
            )
        )
    return MatrixSummary(organizations=tuple(partner_organizations), areas=tuple(rows))
