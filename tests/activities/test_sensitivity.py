"""The pure sensitivity rule (activities.sensitivity): who stands how to an activity, and which
of its field groups each may see given its tiers."""

import pytest

from activities.sensitivity import (
    FIELD_GROUPS,
    FULL_SIGHT,
    WITHHELD,
    Relation,
    Sight,
    Tier,
    Tiers,
    may_see,
    relation,
    tiers_from_row,
)


@pytest.mark.parametrize(
    ("is_manager", "organization_id", "is_partner", "expected"),
    [
        (True, None, False, Relation.PARTICIPANT),
        (False, 1, False, Relation.PARTICIPANT),  # organization 1 takes part
        (False, 2, True, Relation.PARTNER),
        (False, 2, False, Relation.OTHER),
        (False, None, True, Relation.OTHER),  # no organization: no partner
    ],
)
def test_relation(is_manager, organization_id, is_partner, expected):
    assert (
        relation(
            is_manager=is_manager,
            organization_id=organization_id,
            participating_ids={1},
            is_partner=is_partner,
        )
        == expected
    )


@pytest.mark.parametrize(
    ("tier", "seen_by"),
    [
        (Tier.PUBLIC, {Relation.OTHER, Relation.PARTNER, Relation.PARTICIPANT}),
        (Tier.PARTNERS, {Relation.PARTNER, Relation.PARTICIPANT}),
        (Tier.RESTRICTED, {Relation.PARTICIPANT}),
        ("unknown", {Relation.PARTICIPANT}),  # fail closed
    ],
)
def test_may_see(tier, seen_by):
    assert {who for who in Relation if may_see(tier, who)} == seen_by


def test_a_field_is_no_more_open_than_its_activity():
    tiers = Tiers(activity=Tier.PARTNERS, fields={"milestones": Tier.PUBLIC})
    assert tiers.of("milestones") == Tier.PARTNERS
    assert not Sight(tiers=tiers, who=Relation.OTHER).sees("milestones")
    assert Sight(tiers=tiers, who=Relation.PARTNER).sees("milestones")


def test_a_restricted_activity_is_hidden_whole_from_those_outside_it():
    tiers = Tiers(activity=Tier.RESTRICTED, fields=dict.fromkeys(FIELD_GROUPS, Tier.PUBLIC))
    partner = Sight(tiers=tiers, who=Relation.PARTNER)
    assert not partner.activity_visible
    assert not any(partner.sees(group) for group in FIELD_GROUPS)
    assert Sight(tiers=tiers, who=Relation.PARTICIPANT).activity_visible


def test_withheld_names_each_hidden_group_with_its_line():
    tiers = Tiers(
        activity=Tier.PARTNERS,
        fields={
            **dict.fromkeys(FIELD_GROUPS, Tier.PARTNERS),
            "description": Tier.RESTRICTED,
            "risks": Tier.RESTRICTED,
        },
    )
    partner = Sight(tiers=tiers, who=Relation.PARTNER)
    assert partner.withheld == dict.fromkeys(["description", "risks"], WITHHELD[Tier.RESTRICTED])
    assert partner.sees_reasons  # milestones, indicators, progress and funding are theirs
    other = Sight(tiers=tiers, who=Relation.OTHER)
    assert set(other.withheld) == set(FIELD_GROUPS)
    assert other.withheld["milestones"] == WITHHELD[Tier.PARTNERS]
    assert not other.sees_reasons
    assert FULL_SIGHT.withheld == {}


def test_no_disclosure_row_means_every_tier_at_the_default():
    row = {"disclosure__tier": None, **{f"disclosure__{g}_tier": None for g in FIELD_GROUPS}}
    assert tiers_from_row(row) == Tiers(
        activity=Tier.PARTNERS, fields=dict.fromkeys(FIELD_GROUPS, Tier.PARTNERS)
    )
    assert tiers_from_row({"disclosure__tier": "restricted"}).activity == Tier.RESTRICTED


def test_activities_never_import_publication():
    """The rule lives below publication: activities read the tiers through the reverse accessor
    `activity.disclosure` and by column name, never by importing publication."""
    from tests.results.test_import_direction import _offenders

    assert _offenders("activities", {"publication"}) == {}
    assert _offenders("partnership", {"publication"}) == {}
