"""The matrix page's summary, counted in the database (`matrix_summary`), agrees with the grid
that lists every activity (`plan_matrix` → `build_matrix`, the definition) on a random plan:
the same counts per cell and group, the first activities of each group, the same flags, overlap
pairs per topic equal to the pairs `find_overlaps` finds, and only true overlaps named."""

import random

import pytest

from activities import selectors
from activities.matrix.selectors import LISTED_PER_GROUP, matrix_summary
from activities.models import Activity, ActivityParticipation
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
def test_the_summary_agrees_with_the_grid_of_every_activity(random_plan, horizon):
    plan, matrix = random_plan
    grid = selectors.plan_matrix(plan=plan, matrix=matrix)
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
        # Overlaps: pairs per topic as find_overlaps finds them; every named pair is one of them.
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
