"""The facts the public view and the checklist read: a fixed number of queries."""

import pytest

from geography.rules import Place
from geography.services import set_places
from publication import selectors
from tests.factories import ActivityFactory, MilestoneFactory
from tests.publication.world import AS_OF

pytestmark = pytest.mark.django_db


def test_the_facts_of_a_plan_read_eighteen_queries_whatever_its_size(
    world, django_assert_num_queries
):
    # The plan with its partnership; the partnership's organizations; the latest matrix; the
    # thematic areas; the SDG 16 targets; the activities with area, settings and status; then
    # prefetched: participations with organizations, SDG targets, the year's priorities,
    # milestones, indicators, their measurements, approved updates, funding with donors; the
    # agreements and their parties; the activities' countries and regions (geography: 2).
    with django_assert_num_queries(18):
        small = selectors.plan_facts(plan_id=world.plan.pk, as_of=AS_OF)
    for i in range(10):
        activity = ActivityFactory(matrix=world.open_activity.matrix, code=f"Z{i}")
        MilestoneFactory(activity=activity)
        set_places(actor=None, activity=activity, version=None, countries=[Place("KE")], regions=[])
    with django_assert_num_queries(18):
        grown = selectors.plan_facts(plan_id=world.plan.pk, as_of=AS_OF)
    assert len(grown.activities) == len(small.activities) + 10
