"""Schemathesis against the public API's own schema (/api/public/v1/schema/), in process through
WSGI and signed out, on the world of markers with one snapshot published and one withdrawn: no
5xx, documented status codes, content types and headers, bodies that conform to the schema, and
schema-breaking requests refused. No response may carry a marker either."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode

from publication import services
from tests.publication.world import publish

MAX_EXAMPLES = 25

# 410: a withdrawn snapshot, which a valid request may name (the schema documents it).
CONFIG = SchemathesisConfig.from_str(
    """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "404", "410", "429", "5xx"]
"""
)

checks.load_all_checks()
CHECKS = checks.CHECKS.get_all()


@pytest.fixture
def django_settings(settings):
    """pytest-django's `settings` (restored after the test), named apart from hypothesis'."""
    return settings


@pytest.fixture
def wsgi_app():
    """The project's WSGI handler, kept off the connection cleanup around each request (as
    Django's test client does): closing the connection would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_every_public_operation_conforms_to_its_schema(world, wsgi_app, django_settings):
    django_settings.PUBLIC_API_THROTTLE = None  # hundreds of requests: not about throttling
    live = publish(world)
    withdrawn = services.withdraw_snapshot(actor=world.manager, snapshot_id=live.pk, reason="Old")
    live = publish(world, note="Again.")
    known = [live.pk, withdrawn.pk]

    schema = schemathesis.openapi.from_wsgi("/api/public/v1/schema/", wsgi_app, config=CONFIG)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 6
    failures, cases, leaks = [], 0, []
    for operation, mode in [(op, mode) for op in operations for mode in GenerationMode]:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case):
            nonlocal cases
            cases += 1
            params = case.path_parameters or {}
            # Even generated ids name the real snapshots (live, withdrawn), activities 1 and 2.
            if isinstance(params.get("snapshot_id"), int) and params["snapshot_id"] % 2 == 0:
                params["snapshot_id"] = known[params["snapshot_id"] // 2 % 2]
            if isinstance(params.get("n"), int) and params["n"] % 2 == 0:
                params["n"] = 1 + params["n"] // 2 % 2
            if isinstance(params.get("iso"), str) and len(params["iso"]) % 2 == 0:
                params["iso"] = "NG"  # the world's one published country
            response = case.call_and_validate(checks=CHECKS)
            text = (response.text + str(dict(response.headers))).lower()
            leaks.extend(m for m in world.markers if m.lower() in text)

        try:
            exercise()
        except (Exception, FailureGroup) as exc:
            failures.append(f"{mode.value} {operation.method.upper()} {operation.path}: {exc}")

    assert cases >= len(operations) * MAX_EXAMPLES
    assert not failures, f"{len(failures)} failing:\n\n" + "\n\n".join(failures)
    assert leaks == []
