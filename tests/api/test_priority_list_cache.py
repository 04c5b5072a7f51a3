"""GET /api/v1/priorities/<year>/ is served from the list cache (activities.api.cached_lists)
while the list revision stays the same: every table it reads is one the revision's triggers
watch, so any write to what it shows makes the next response fresh."""

import datetime as dt

import pytest
from django.core.cache import cache

from activities.models import Activity, PriorityDesignation
from partnership.models import Organization
from tests.api.conftest import API
from tests.factories import ActivityFactory, ParticipationFactory, PriorityFactory

URL = f"{API}/priorities/2016/"


@pytest.fixture
def priorities(world):
    PriorityFactory(activity=world.activity, year=2016, rank=1)
    second = ActivityFactory(matrix=world.matrix, code="W-01", title="Wildlife")
    ParticipationFactory(activity=second, organization=world.unodc, role="lead")
    PriorityFactory(activity=second, year=2016, rank=2)
    return second


def _fresh(client, url: str = URL) -> bytes:
    cache.clear()
    return client.get(url).content


def test_a_repeat_request_is_one_query_and_the_same_bytes(
    priorities, as_viewer, django_assert_num_queries
):
    first = as_viewer.get(URL)
    assert first.status_code == 200
    # The token with its user and the list revision; the rest is the stored entry.
    with django_assert_num_queries(1):
        again = as_viewer.get(URL)
    assert again.content == first.content
    assert [r["activity"]["code"] for r in again.json()["results"]] == ["T-01", "W-01"]


def test_the_year_and_the_plan_are_part_of_the_key(priorities, world, as_viewer):
    assert as_viewer.get(URL).json()["count"] == 2
    assert as_viewer.get(f"{API}/priorities/2017/").json()["count"] == 0
    assert as_viewer.get(f"{URL}?plan={world.plan.pk + 1}").json()["count"] == 0
    assert as_viewer.get(f"{URL}?plan={world.plan.pk}").json()["count"] == 2


def _assessed(world, priorities):
    Activity.objects.filter(pk=world.activity.pk).update(
        status="off_track", status_as_of=dt.date(2016, 9, 30)
    )


def _reranked(world, priorities):
    PriorityDesignation.objects.filter(activity=priorities).update(rank=9)  # still after T-01
    PriorityDesignation.objects.filter(activity=world.activity).update(rank=10)


def _renamed(world, priorities):
    Organization.objects.filter(pk=world.unodc.pk).update(acronym="UNODC-2")


def _designated(world, priorities):
    PriorityFactory(activity=ActivityFactory(matrix=world.matrix, code="X-01"), year=2016)


@pytest.mark.parametrize("write", [_assessed, _reranked, _renamed, _designated])
def test_every_write_it_shows_makes_the_next_response_fresh(world, priorities, as_viewer, write):
    before = as_viewer.get(URL).content
    assert as_viewer.get(URL).content == before  # served from the entry
    write(world, priorities)
    after = as_viewer.get(URL).content
    assert after != before, "the write changed nothing the list shows: the test proves nothing"
    assert after == _fresh(as_viewer)
