"""The Activity Matrix's grid, counts and flags, computed from plain data (no database): the
pure rules of activities.matrix.rules, fed as activities.matrix.selectors feeds them."""

from collections import Counter
from dataclasses import dataclass, field

from activities.matrix.rules import (
    AreaInput,
    CountRow,
    ListedActivity,
    Overlap,
    TopicGroup,
    example_pairs,
    overlapping_groups,
    summarize_matrix,
    topic_overlaps,
)

PARTNERS = ("INTERPOL", "UNODC")
AREAS = (AreaInput("terrorism", "Terrorism"), AreaInput("cybercrime", "Cybercrime"))
STATUSES = ("on_track", "at_risk", "off_track", "")


@dataclass(frozen=True)
class Act:
    code: str
    organizations: dict[str, str]  # acronym -> role
    area: str = "terrorism"
    horizon: str = "current"
    coop: str = "joint"
    topics: frozenset[str] = field(default_factory=frozenset)
    status: str = ""


def act(code, orgs, *, topics=(), **kwargs) -> Act:
    return Act(code, dict(orgs), topics=frozenset(topics), **kwargs)


def summarize(activities, *, horizon="", partners=PARTNERS):
    """`summarize_matrix` over `activities`, counted and grouped the way the selectors' SQL does
    (a set of partnership organizations per activity) with every activity listed."""
    mine = {a.code: frozenset(a.organizations) & frozenset(partners) for a in activities}
    counts = Counter((a.area, a.coop, a.horizon, a.status, mine[a.code]) for a in activities)
    topic_groups: dict[tuple, list[str]] = {}
    for a in activities:
        if a.horizon == "current" and mine[a.code]:
            for topic in a.topics:
                topic_groups.setdefault((a.area, topic, mine[a.code]), []).append(a.code)
    overlapping = overlapping_groups(
        [
            TopicGroup(area, topic, orgs, len(codes), min(codes))
            for (area, topic, orgs), codes in topic_groups.items()
        ]
    )
    listed: dict[tuple, list[ListedActivity]] = {}
    for a in sorted(activities, key=lambda a: a.code):
        for org in sorted(mine[a.code]):
            listed.setdefault((a.area, org, a.coop, a.horizon), []).append(
                ListedActivity(
                    id=0,
                    code=a.code,
                    title=a.code,
                    role=a.organizations[org],
                    status=a.status,
                    horizon=a.horizon,
                    organizations=mine[a.code],
                    topics=a.topics,
                )
            )
    return summarize_matrix(
        areas=AREAS,
        partner_organizations=partners,
        counts=[CountRow(*key, n) for key, n in counts.items()],
        overlapping=overlapping,
        listed=listed,
        examples=example_pairs(overlapping, 3),
        example_topics={a.code: a.topics for a in activities},
        statuses=STATUSES,
        horizon=horizon,
    )


def terrorism(activities, **kwargs):
    return summarize(activities, **kwargs).areas[0]


def test_an_area_without_current_activities_is_a_gap():
    flags = terrorism([act("A", {"INTERPOL": "lead"}, horizon="aspirational")]).flags
    assert flags.gap is True
    assert flags.single_organization is False
    assert flags.active_organizations == ()


def test_an_area_with_a_current_activity_is_no_gap():
    flags = terrorism([act("A", {"INTERPOL": "lead", "UNODC": "partner"})]).flags
    assert flags.gap is False
    assert flags.single_organization is False
    assert flags.active_organizations == ("INTERPOL", "UNODC")


def test_only_one_partnership_organization_active_is_flagged():
    # WCO takes part, but it is not an organization of the partnership.
    flags = terrorism(
        [
            act("A", {"INTERPOL": "lead", "WCO": "partner"}),
            act("B", {"UNODC": "lead"}, horizon="aspirational"),  # aspirational: not counted
        ]
    ).flags
    assert flags.single_organization is True
    assert flags.active_organizations == ("INTERPOL",)


def test_separate_activities_on_one_topic_by_different_organizations_overlap():
    area = terrorism(
        [
            act("B", {"UNODC": "lead"}, topics={"wildlife", "forest"}),
            act("A", {"INTERPOL": "lead"}, topics={"wildlife"}),
        ]
    )
    assert area.flags.overlaps == (
        Overlap(
            activities=("A", "B"),
            topics=("wildlife",),
            only_in_first=("INTERPOL",),
            only_in_second=("UNODC",),
        ),
    )
    ((topic, pairs, activities, orgs),) = [
        (t.topic, t.pairs, t.activities, t.organizations) for t in area.overlap_topics
    ]
    assert (topic, pairs, activities, orgs) == ("wildlife", 1, 2, ("INTERPOL", "UNODC"))
    entries = {e.code: e for c in area.cells for g in c.groups for e in g.entries}
    assert (entries["A"].overlaps_with, entries["B"].overlaps_with) == (("B",), ("A",))
    assert not entries["A"].more_overlaps


def _no_overlap(activities):
    area = terrorism(activities)
    entries = [e for c in area.cells for g in c.groups for e in g.entries]
    return (
        area.flags.overlaps == ()
        and area.overlap_topics == ()
        and not any(e.overlaps_with for e in entries)
    )


def test_no_overlap_without_a_shared_topic():
    assert _no_overlap(
        [
            act("A", {"INTERPOL": "lead"}, topics={"drugs"}),
            act("B", {"UNODC": "lead"}, topics={"wildlife"}),
        ]
    )


def test_no_overlap_when_one_activity_has_both_organizations():
    # A has X and Y; B has only Y: B has no organization that A lacks.
    assert _no_overlap(
        [
            act("A", {"INTERPOL": "lead", "UNODC": "partner"}, topics={"drugs"}),
            act("B", {"UNODC": "lead"}, topics={"drugs"}),
        ]
    )


def test_no_overlap_for_the_same_organization_twice_or_outsiders():
    assert _no_overlap(
        [
            act("A", {"INTERPOL": "lead"}, topics={"drugs"}),
            act("B", {"INTERPOL": "lead"}, topics={"drugs"}),
            act("C", {"WCO": "lead"}, topics={"drugs"}),  # not a partnership organization
        ]
    )


def test_aspirational_activities_do_not_overlap():
    assert _no_overlap(
        [
            act("A", {"INTERPOL": "lead"}, topics={"drugs"}),
            act("B", {"UNODC": "lead"}, topics={"drugs"}, horizon="aspirational"),
        ]
    )


def test_grid_places_each_activity_by_organization_cooperation_type_and_horizon():
    activities = [
        act("T-2", {"UNODC": "lead"}, coop="complementary", status="at_risk"),
        act("T-1", {"INTERPOL": "lead", "UNODC": "partner"}),
        act("T-3", {"INTERPOL": "lead"}, horizon="aspirational"),
    ]
    grid = summarize(activities)
    assert grid.organizations == PARTNERS
    assert [row.code for row in grid.areas] == ["terrorism", "cybercrime"]
    terrorism_row, cybercrime = grid.areas
    assert (terrorism_row.current_count, terrorism_row.aspirational_count) == (2, 1)

    def cell(row, org):
        cell = next(c for c in row.cells if c.organization == org)
        return {
            (g.cooperation_type, g.horizon): [(e.code, e.role, e.status) for e in g.entries]
            for g in cell.groups
        }

    # Only groups holding activities, in the order joint, complementary × current, aspirational.
    assert cell(terrorism_row, "INTERPOL") == {
        ("joint", "current"): [("T-1", "lead", "")],
        ("joint", "aspirational"): [("T-3", "lead", "")],
    }
    assert cell(terrorism_row, "UNODC") == {
        ("joint", "current"): [("T-1", "partner", "")],
        ("complementary", "current"): [("T-2", "lead", "at_risk")],
    }
    unodc = terrorism_row.cells[1]
    assert (unodc.count, unodc.status_counts) == (2, (("at_risk", 1), ("", 1)))
    first = unodc.groups[0]
    assert first.list_filters == {
        "thematic_area": "terrorism",
        "organization": "UNODC",
        "cooperation_type": "joint",
        "horizon": "current",
    }
    assert terrorism_row.flags.gap is False and terrorism_row.flags.single_organization is False
    assert cybercrime.flags.gap is True
    assert all(not c.groups and c.count == 0 for c in cybercrime.cells)
    # Showing one horizon keeps the flags, which consider current activities.
    aspirational = summarize(activities, horizon="aspirational").areas[0]
    assert cell(aspirational, "INTERPOL") == {("joint", "aspirational"): [("T-3", "lead", "")]}
    assert cell(aspirational, "UNODC") == {}
    assert aspirational.flags == terrorism_row.flags


def _group(topic, orgs, count, first, area="T1"):
    return TopicGroup(
        thematic_area=area,
        topic=topic,
        organizations=frozenset(orgs),
        count=count,
        first_code=first,
    )


def test_overlap_pairs_are_counted_per_topic_from_group_sizes_without_listing_pairs():
    groups = [
        _group("drugs", ["A"], 30, "D-05"),
        _group("drugs", ["B"], 20, "D-01"),
        _group("drugs", ["A", "B", "C"], 10, "D-02"),  # has every set: overlaps with none
        _group("drugs", ["B", "C"], 5, "D-09"),  # overlaps with A only
        _group("arms", ["A"], 7, "R-01"),  # alone on its topic
    ]
    overlapping = overlapping_groups(groups)
    (drugs,) = topic_overlaps(overlapping)["T1"]
    assert (drugs.topic, drugs.pairs) == ("drugs", 30 * 20 + 30 * 5)
    assert drugs.activities == 30 + 20 + 5
    assert drugs.organizations == ("A", "B", "C")
    # Named examples are pairs of the groups' first activities, first in code order.
    assert example_pairs(overlapping, 1)["T1"] == (
        ("D-01", "D-05", frozenset({"B"}), frozenset({"A"})),
    )
    assert [p[:2] for p in example_pairs(overlapping, 5)["T1"]] == [
        ("D-01", "D-05"),
        ("D-05", "D-09"),
    ]
