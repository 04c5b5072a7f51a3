"""Shared fixtures and the rules for skipping tests that need real services.

Tests marked `postgres`, `redis` or `browser` run only where that part is present. On a bare
machine (`make test` without DATABASE_URL/REDIS_URL) they are skipped with the reason stated;
CI provides all three and fails on any skip (.ci/run).
"""

import os
import shutil
import uuid

import pytest
from django.conf import settings
from django.db import connection

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_redis = bool(settings.REDIS_URL)
    has_chromium = os.path.exists(CHROMIUM) or shutil.which("chromium") is not None
    reasons = {
        "postgres": (on_postgres, "needs PostgreSQL: set DATABASE_URL (CI does)"),
        "redis": (has_redis, "needs a Redis broker: set REDIS_URL (CI does)"),
        "browser": (has_chromium, f"needs Chromium at {CHROMIUM} (.ci/run installs it)"),
    }
    for item in items:
        for marker, (available, reason) in reasons.items():
            if marker in item.keywords and not available:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _celery_in_process(request):
    """Run Celery tasks in process, as the embedded default does, even where REDIS_URL is set
    (CI has a broker but runs no worker for ordinary tests). Tests marked `redis` talk to the
    real broker (and start their own worker where they need one), so they are left alone.

    Exceptions are not propagated, as in a worker: a failure shows in what the task recorded."""
    if "redis" in request.keywords:
        yield
        return
    from config.celery import app

    conf = app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, False
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Transactional tests (live server, real workers) run on a database that the previous one
    flushed, which removes the rows the data migrations seeded; put them back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if transactional or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        from geography.models import Region, RegionCountry
        from geography.reference_data import seed_regions
        from partnership.models import SDGTarget, ThematicArea
        from partnership.reference_data import seed_reference_data

        seed_reference_data(ThematicArea, SDGTarget)
        seed_regions(Region, RegionCountry)


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing with the production hasher costs ~0.3 s per user; tests need no such strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """Each test counts its own throttles and lockouts in a cache of its own. With REDIS_URL the
    default cache is Redis, shared by every test of the run (and by earlier runs): one test's
    anonymous requests would otherwise throttle the next test's."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4()}",
        }
    }
