"""The Activity Matrix grid and its flags, computed from plain data (no database)."""

from activities.matrix.rules import (
    ActivityInput,
    AreaInput,
    TopicGroup,
    area_flags,
    build_matrix,
    example_pairs,
    find_overlaps,
    overlapping_groups,
    topic_overlaps,
)

PARTNERS = ("INTERPOL", "UNODC")


def act(code, orgs, *, area="terrorism", horizon="current", coop="joint", topics=(), status=""):
    return ActivityInput(
        id=hash(code) % 10_000,
        code=code,
        title=f"Activity {code}",
        thematic_area=area,
        cooperation_type=coop,
        horizon=horizon,
        status=status,
        organizations=dict(orgs),
        topics=frozenset(topics),
    )


def test_an_area_without_current_activities_is_a_gap():
    flags = area_flags([act("A", {"INTERPOL": "lead"}, horizon="aspirational")], PARTNERS)
    assert flags.gap is True
    assert flags.single_organization is False
    assert flags.active_organizations == ()


def test_an_area_with_a_current_activity_is_no_gap():
    flags = area_flags([act("A", {"INTERPOL": "lead", "UNODC": "partner"})], PARTNERS)
    assert flags.gap is False
    assert flags.single_organization is False
    assert flags.active_organizations == ("INTERPOL", "UNODC")


def test_only_one_partnership_organization_active_is_flagged():
    # WCO takes part, but it is not an organization of the partnership.
    flags = area_flags(
        [
            act("A", {"INTERPOL": "lead", "WCO": "partner"}),
            act("B", {"UNODC": "lead"}, horizon="aspirational"),  # aspirational: not counted
        ],
        PARTNERS,
    )
    assert flags.single_organization is True
    assert flags.active_organizations == ("INTERPOL",)


def test_separate_activities_on_one_topic_by_different_organizations_overlap():
    overlaps = find_overlaps(
        [
            act("B", {"UNODC": "lead"}, topics={"wildlife", "forest"}),
            act("A", {"INTERPOL": "lead"}, topics={"wildlife"}),
        ],
        PARTNERS,
    )
    assert len(overlaps) == 1
    (overlap,) = overlaps
    assert overlap.activities == ("A", "B")
    assert overlap.topics == ("wildlife",)
    assert overlap.only_in_first == ("INTERPOL",)
    assert overlap.only_in_second == ("UNODC",)


def test_no_overlap_without_a_shared_topic():
    assert (
        find_overlaps(
            [
                act("A", {"INTERPOL": "lead"}, topics={"drugs"}),
                act("B", {"UNODC": "lead"}, topics={"wildlife"}),
            ],
            PARTNERS,
        )
        == ()
    )


def test_no_overlap_when_one_activity_has_both_organizations():
    # A has X and Y; B has only Y: B has no organization that A lacks.
    assert (
        find_overlaps(
            [
                act("A", {"INTERPOL": "lead", "UNODC": "partner"}, topics={"drugs"}),
                act("B", {"UNODC": "lead"}, topics={"drugs"}),
            ],
            PARTNERS,
        )
        == ()
    )


def test_no_overlap_for_the_same_organization_twice_or_outsiders():
    assert (
        find_overlaps(
            [
                act("A", {"INTERPOL": "lead"}, topics={"drugs"}),
                act("B", {"INTERPOL": "lead"}, topics={"drugs"}),
                act("C", {"WCO": "lead"}, topics={"drugs"}),  # not a partnership organization
            ],
            PARTNERS,
        )
        == ()
    )


def test_aspirational_activities_do_not_overlap():
    assert (
        find_overlaps(
            [
                act("A", {"INTERPOL": "lead"}, topics={"drugs"}),
                act("B", {"UNODC": "lead"}, topics={"drugs"}, horizon="aspirational"),
            ],
            PARTNERS,
        )
        == ()
    )


def test_grid_places_each_activity_by_organization_cooperation_type_and_horizon():
    grid = build_matrix(
        areas=[AreaInput("terrorism", "Terrorism"), AreaInput("cybercrime", "Cybercrime")],
        partner_organizations=PARTNERS,
        activities=[
            act("T-2", {"UNODC": "lead"}, coop="complementary", status="at_risk"),
            act("T-1", {"INTERPOL": "lead", "UNODC": "partner"}),
            act("T-3", {"INTERPOL": "lead"}, horizon="aspirational"),
        ],
    )
    assert grid.organizations == PARTNERS
    assert [row.code for row in grid.areas] == ["terrorism", "cybercrime"]
    terrorism, cybercrime = grid.areas
    assert (terrorism.current_count, terrorism.aspirational_count) == (2, 1)

    def cell(row, org):
        cell = next(c for c in row.cells if c.organization == org)
        return {
            (g.cooperation_type, g.horizon): [(e.code, e.role, e.status) for e in g.activities]
            for g in cell.groups
        }

    assert cell(terrorism, "INTERPOL") == {
        ("joint", "current"): [("T-1", "lead", "")],
        ("joint", "aspirational"): [("T-3", "lead", "")],
        ("complementary", "current"): [],
        ("complementary", "aspirational"): [],
    }
    assert cell(terrorism, "UNODC")[("joint", "current")] == [("T-1", "partner", "")]
    assert cell(terrorism, "UNODC")[("complementary", "current")] == [("T-2", "lead", "at_risk")]
    assert terrorism.flags.gap is False and terrorism.flags.single_organization is False
    assert cybercrime.flags.gap is True
    assert all(not g.activities for c in cybercrime.cells for g in c.groups)


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
