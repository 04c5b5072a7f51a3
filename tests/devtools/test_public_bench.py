"""The pages benchmark's public entries: the snapshot it publishes and the 304s it counts."""

import pytest
import requests

from devtools.management.commands import bench_pages
from partnership.models import Profile
from publication.models import Snapshot
from tests.factories import ActivityFactory, MatrixFactory, make_user
from tests.publication.world import AS_OF, assess


@pytest.mark.django_db
def test_the_benchmark_publishes_one_activity_in_ten_once():
    matrix = MatrixFactory()
    for i in range(25):
        ActivityFactory(matrix=matrix, code=f"B-{i:02d}")
    assess(matrix.plan, AS_OF)
    make_user(Profile.Role.MANAGER, username=bench_pages.USERNAME)
    first = bench_pages._public_snapshot(matrix.plan_id, AS_OF)
    assert Snapshot.objects.get(pk=first).activity_count == 3  # activities 1, 11 and 21
    assert bench_pages._public_snapshot(matrix.plan_id, AS_OF) == first
    assert Snapshot.objects.count() == 1


def test_a_304_counts_as_an_answer_and_an_error_does_not():
    answer = requests.Response()
    answer.status_code = 304
    assert bench_pages._as_200(answer).status_code == 200
    answer.status_code = 500
    assert bench_pages._as_200(answer).status_code == 500
