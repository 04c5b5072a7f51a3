"""Fixtures of the publication tests: the world of markers, published."""

import pytest
from django.core.cache import cache

from tests.publication.world import build_world, publish


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """The public API's throttle counts in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def snapshot(world):
    return publish(world)
