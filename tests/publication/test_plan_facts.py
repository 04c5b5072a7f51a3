"""The facts the public view and the checklist read: a fixed number of queries."""

import pytest

from publication import selectors
from tests.factories import ActivityFactory, MilestoneFactory
from tests.publication.world import AS_OF

pytestmark = pytest.mark.django_db


def test_the_facts_of_a_plan_read_sixteen_queries_whatever_its_size(
    world, django_assert_num_queries
):
    # The plan with its partnership; the partnership's organizations; the latest matrix; the
    # thematic areas; the SDG 16 targets; the activities with area, settings and status; then
    # prefetched: participations with organizations, SDG targets, the year's priorities,
    # milestones, indicators, their measurements, approved updates, funding with donors; the
    # agreements and their parties.
    with django_assert_num_queries(16):
        small = selectors.plan_facts(plan_id=world.plan.pk, as_of=AS_OF)
    for i in range(10):
        MilestoneFactory(activity=ActivityFactory(matrix=world.open_activity.matrix, code=f"Z{i}"))
    with django_assert_num_queries(16):
        grown = selectors.plan_facts(plan_id=world.plan.pk, as_of=AS_OF)
    assert len(grown.activities) == len(small.activities) + 10
