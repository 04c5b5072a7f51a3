"""The matrix's summary, counted in the database (`matrix_summary`, what the page and the API
show), agrees with the definition on a random plan: a grid that lists every activity in its cell
and compares every pair of activities (`definition` below, read through the ORM). The same counts
per cell and group, the first activities of each group, the same flags, overlap pairs per topic
equal to the pairs found one by one, and only true overlaps named."""

import random
from itertools import combinations
from types import SimpleNamespace

import pytest

from activities.matrix.rules import Overlap
from activities.matrix.selectors import LISTED_PER_GROUP, matrix_summary
from activities.models import Activity, ActivityParticipation
from partnership.models import Organization, ThematicArea
from tests.factories import (
    ActivityFactory,
    MatrixFactory,
    OrganizationFactory,
    ParticipationFactory,
    PartnershipFactory,
    PlanFactory,
    TopicFactory,
    thematic_area,
)

pytestmark = pytest.mark.django_db

AREAS = ("terrorism", "cybercrime", "trafficking-organized-crime")
STATUSES = ("", "on_track", "at_risk", "off_track")


def definition(plan, matrix):
    """The grid by its definition: every activity in its cell (code order), the flags over the
    current activities, overlaps as every pair of current activities of an area that share a
    topic while each has a partnership organization the other lacks."""
    partners = list(
        Organization.objects.filter(partnerships=plan.partnership_id)
        .order_by("acronym")
        .values_list("acronym", flat=True)
    )
    activities = [
        SimpleNamespace(
            code=a.code,
            area=a.thematic_area.code,
            cooperation_type=a.cooperation_type,
            horizon=a.horizon,
            status=a.status,
            roles={p.organization.acronym: p.role for p in a.participations.all()},
            topics={t.code for t in a.topics.all()},
        )
        for a in Activity.objects.filter(matrix=matrix)
        .select_related("thematic_area")
        .prefetch_related("participations__organization", "topics")
        .order_by("code")
    ]
    areas = []
    for area in ThematicArea.objects.order_by("order"):
        placed = [a for a in activities if a.area == area.code]
        current = [a for a in placed if a.horizon == "current"]
        active = sorted({org for a in current for org in a.roles if org in partners})
        overlaps = []
        for first, second in combinations(current, 2):
            mine = set(first.roles) & set(partners)
            theirs = set(second.roles) & set(partners)
            shared = first.topics & second.topics
            if shared and mine - theirs and theirs - mine:
                overlaps.append(
                    Overlap(
                        activities=(first.code, second.code),
                        topics=tuple(sorted(shared)),
                        only_in_first=tuple(sorted(mine - theirs)),
                        only_in_second=tuple(sorted(theirs - mine)),
                    )
                )
        cells = [
            SimpleNamespace(
                organization=org,
                groups=[
                    SimpleNamespace(
                        cooperation_type=ct,
                        horizon=hz,
                        activities=[
                            SimpleNamespace(code=a.code, role=a.roles[org], status=a.status)
                            for a in placed
                            if org in a.roles and a.cooperation_type == ct and a.horizon == hz
                        ],
                    )
                    for ct in ("joint", "complementary")
                    for hz in ("current", "aspirational")
                ],
            )
            for org in partners
        ]
        areas.append(
            SimpleNamespace(
                code=area.code,
                current_count=len(current),
                aspirational_count=len(placed) - len(current),
                cells=cells,
                flags=SimpleNamespace(
                    gap=not current,
                    single_organization=len(active) == 1,
                    active_organizations=tuple(active),
                    overlaps=overlaps,
                ),
            )
        )
    return SimpleNamespace(organizations=tuple(partners), areas=areas)


@pytest.fixture
def random_plan():
    rng = random.Random(16)
    partners = [OrganizationFactory(acronym=a) for a in ("INTERPOL", "UNODC", "WCO")]
    outsider = OrganizationFactory(acronym="OUT")
    partnership = PartnershipFactory()
    partnership.organizations.add(*partners)
    plan = PlanFactory(partnership=partnership)
    matrix = MatrixFactory(plan=plan)
    topics = [TopicFactory(code=f"t{n}", name=f"Topic {n}") for n in range(4)]
    roles = list(ActivityParticipation.Role)
    for n in range(70):
        activity = ActivityFactory(
            matrix=matrix,
            code=f"A-{rng.randint(0, 99):02d}-{n:02d}",
            thematic_area=thematic_area(rng.choice(AREAS)),
            cooperation_type=rng.choice(list(Activity.CooperationType)),
            horizon=rng.choice(["current", "current", "aspirational"]),
            status=rng.choice(STATUSES),
        )
        orgs = rng.sample([*partners, outsider], rng.randint(0, 3))
        for index, org in enumerate(orgs):
            role = roles[0] if index == 0 else rng.choice(roles[1:])
            ParticipationFactory(activity=activity, organization=org, role=role)
        activity.topics.add(*rng.sample(topics, rng.randint(0, 2)))
    return plan, matrix


@pytest.mark.parametrize("horizon", ["", "current", "aspirational"])
def test_the_summary_agrees_with_the_definition(random_plan, horizon):
    plan, matrix = random_plan
    grid = definition(plan, matrix)
    summary = matrix_summary(plan=plan, matrix=matrix, horizon=horizon).summary
    assert summary.organizations == grid.organizations
    statuses = dict(Activity.objects.values_list("code", "status"))
    overlap_found = False
    for full, area in zip(grid.areas, summary.areas, strict=True):
        assert (area.code, area.current_count, area.aspirational_count) == (
            full.code,
            full.current_count,
            full.aspirational_count,
        )
        assert area.flags.gap == full.flags.gap
        assert area.flags.single_organization == full.flags.single_organization
        assert area.flags.active_organizations == full.flags.active_organizations
        for full_cell, cell in zip(full.cells, area.cells, strict=True):
            groups = [
                g
                for g in full_cell.groups
                if g.activities and (not horizon or g.horizon == horizon)
            ]
            assert [(g.cooperation_type, g.horizon, g.count) for g in cell.groups] == [
                (g.cooperation_type, g.horizon, len(g.activities)) for g in groups
            ]
            for full_group, group in zip(groups, cell.groups, strict=True):
                first = full_group.activities[:LISTED_PER_GROUP]
                assert [(e.code, e.role, e.status) for e in group.entries] == [
                    (e.code, e.role, e.status) for e in first
                ]
            codes = [e.code for g in groups for e in g.activities]
            by_status = {}
            for code in codes:
                by_status[statuses[code]] = by_status.get(statuses[code], 0) + 1
            assert dict(cell.status_counts) == by_status
            assert cell.count == len(codes)
        # Overlaps: pairs per topic as found one by one; every named pair is one of them.
        pairs = {o.activities: o for o in full.flags.overlaps}
        per_topic = {}
        for o in full.flags.overlaps:
            for topic in o.topics:
                per_topic[topic] = per_topic.get(topic, 0) + 1
        assert {t.topic: t.pairs for t in area.overlap_topics} == per_topic
        assert bool(area.flags.overlaps) == bool(full.flags.overlaps)
        for example in area.flags.overlaps:
            assert pairs[example.activities] == example
        counterparts = {}
        for first, second in pairs:
            counterparts.setdefault(first, set()).add(second)
            counterparts.setdefault(second, set()).add(first)
        for cell in area.cells:
            for group in cell.groups:
                for entry in group.entries:
                    assert set(entry.overlaps_with) <= counterparts.get(entry.code, set())
                    assert bool(entry.overlaps_with) == (
                        group.horizon == "current" and entry.code in counterparts
                    )
                    overlap_found = overlap_found or bool(entry.overlaps_with)
    assert overlap_found or horizon == "aspirational"  # the sample does contain overlaps


def test_a_matrix_of_nothing_has_gaps_and_no_queries_for_activities(
    django_assert_num_queries,
):
    partnership = PartnershipFactory()
    partnership.organizations.add(OrganizationFactory(acronym="INTERPOL"))
    plan = PlanFactory(partnership=partnership)
    # Thematic areas, the partnership's organizations; no matrix, so no counting: 2.
    with django_assert_num_queries(2):
        summary = matrix_summary(plan=plan, matrix=None).summary
    assert summary.areas and all(a.flags.gap and not a.cells[0].groups for a in summary.areas)
