"""The cached lists (activities.api.cached_lists) read only tables whose writes move the list
revision (activities migration 0004's triggers): a table outside that set would let a write go
unseen and a stale page be served. Read from the statements each list really sends."""

import importlib
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import API
from tests.factories import FundingFactory, PriorityFactory

WATCHED = set(importlib.import_module("activities.migrations.0004_list_data_revision").TABLES)
# Who is asking, and the revision itself: not what the page shows.
AUTHENTICATION = {"authtoken_token", "auth_user", "activities_datarevision"}
TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)


@pytest.mark.parametrize(
    "url", [f"{API}/activities/?page_size=200&ordering=-status", f"{API}/priorities/2016/"]
)
def test_a_cached_list_reads_only_tables_the_revision_watches(world, as_viewer, url):
    PriorityFactory(activity=world.activity, year=2016)
    FundingFactory(activity=world.activity, donor=world.unodc)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = as_viewer.get(url)
    assert response.status_code == 200 and response.json()["count"] == 1
    read = {table for q in queries.captured_queries for table in TABLE.findall(q["sql"])}
    assert read - AUTHENTICATION, "no statement read the list's data: the test proves nothing"
    assert read - AUTHENTICATION <= WATCHED
