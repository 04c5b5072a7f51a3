"""Shared fixtures and the rules for skipping tests that need real services.

Tests marked `postgres`, `redis` or `browser` run only where that part is present. On a bare
machine (`make test` without DATABASE_URL/REDIS_URL) they are skipped with the reason stated;
CI provides all three and fails on any skip (.ci/run).
"""

import os
import shutil

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


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"
