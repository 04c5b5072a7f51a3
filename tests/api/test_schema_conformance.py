"""Schemathesis against the live OpenAPI schema (/api/schema/), in process through WSGI.

Authenticated as a manager, on the 2016 demo data (load_demo, plus one monitoring run so that
statuses, reasons and assessments exist), every operation gets a bounded number of generated
requests. Checks: no 5xx, documented status codes, content types and headers, and every response
body conforms to its schema.

One test walks every operation, so the demo data is loaded once and rolled back at the end.
Generated ids rarely name a record, so half of them are mapped onto existing records (by the
resource the path names): the operations then reach real data, not only 404s.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from knox.models import AuthToken
from rest_framework.throttling import SimpleRateThrottle
from schemathesis import checks

from activities.models import Activity, Indicator, Milestone, ProgressUpdate
from monitoring.models import MonitoringRun, StatusOverride
from partnership.models import Agreement, JointActionPlan, Profile
from tests.factories import make_user

MAX_EXAMPLES = 8  # per operation: about 45 operations, well under two minutes in all

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def wsgi_app():
    """The project's WSGI handler, kept off the connection cleanup that runs around each request
    (as Django's test client does): closing the connection would end the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def demo_manager_token(db, monkeypatch):
    call_command("load_demo", "--no-monitoring", verbosity=0)
    plan = JointActionPlan.objects.order_by("period_start").first()
    call_command("run_monitoring", "--as-of", "2016-06-30", "--plan", str(plan.pk), verbosity=0)
    manager = make_user(Profile.Role.MANAGER, username="schemathesis-manager")
    # Hundreds of requests in a few seconds: this test is not about throttling.
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", None)
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", None)
    return AuthToken.objects.create(user=manager)[1]


RESOURCES = {
    "activities": Activity,
    "milestones": Milestone,
    "indicators": Indicator,
    "updates": ProgressUpdate,
    "plans": JointActionPlan,
    "agreements": Agreement,
    "monitoring-runs": MonitoringRun,
    "status-overrides": StatusOverride,
}


def _existing_ids() -> dict[str, list[int]]:
    return {
        name: list(model.objects.order_by("pk").values_list("pk", flat=True))
        for name, model in RESOURCES.items()
    }


def _aim_at_real_records(case, ids: dict[str, list[int]]) -> None:
    """Map an even generated id onto an existing record of the resource the path names."""
    resource = case.operation.path.removeprefix("/api/v1/").split("/")[0]
    params = case.path_parameters or {}
    if "pk" in params and ids.get(resource) and params["pk"] % 2 == 0:
        known = ids[resource]
        params["pk"] = known[params["pk"] // 2 % len(known)]
    if "year" in params and params["year"] % 2 == 0:
        params["year"] = 2016


def test_every_operation_conforms_to_the_schema(demo_manager_token, wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    headers = {"Authorization": f"Token {demo_manager_token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30

    ids = _existing_ids()
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case):
            _aim_at_real_records(case, ids)
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            exercise()
        except Exception as exc:  # collect them all, then fail with the full list
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")

    assert not failures, "\n\n".join(failures)
