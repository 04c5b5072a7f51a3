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
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode

from activities.models import Activity, Indicator, Milestone, ProgressUpdate, Topic
from monitoring.models import MonitoringRun, StatusOverride
from partnership.models import (
    ActivityMatrix,
    Agreement,
    JointActionPlan,
    Organization,
    Profile,
    SDGTarget,
    ThematicArea,
)
from results.models import Contribution, Result
from tests.factories import make_user

MAX_EXAMPLES = 30  # per operation and mode: about 2,300 cases over 39 operations, about a minute

# Every check schemathesis has, as `--checks all` runs them: besides the conformance of each
# response, a request that breaks the schema must be refused (negative_data_rejection), one that
# keeps to it must not be refused as invalid (positive_data_acceptance), and so on.
# A schema-valid request may still be refused for a reason no schema states, besides those
# schemathesis allows by default: 412, the ETag in If-Match names no current version (a
# concurrent edit, like 409); 422, a rule of the partnership (config.api: 400 is kept for input
# the schema refuses, which negative_data_rejection holds us to); and 428, neither If-Match nor a
# `version` field was sent (one of the two is required, which OpenAPI cannot say).
CONFIG = SchemathesisConfig.from_str(
    """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "412", "422", "428", "429", "5xx"]

# A run's date must lie inside its plan's period, which depends on the plan: the schema cannot
# say it, and issue 15 asks for the page form's 400 on `as_of` there rather than a 422.
[[operations]]
include-path = "/api/v1/monitoring-runs/"
include-method = "POST"
checks.positive_data_acceptance.expected-statuses = [
  "2xx", "3xx", "400", "401", "403", "404", "409", "412", "422", "428", "429", "5xx"
]
"""
)

checks.load_all_checks()
CHECKS = checks.CHECKS.get_all()
assert len(CHECKS) == len(checks.CHECKS.get_all_names()) >= 14


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
    "results": Result,
    "contributions": Contribution,
}


def _existing_ids() -> dict[str, list[int]]:
    return {
        name: list(model.objects.order_by("pk").values_list("pk", flat=True))
        for name, model in RESOURCES.items()
    }


def _references() -> dict[str, list]:
    """What a body field names, as existing records would be named."""
    return {
        "matrix": list(ActivityMatrix.objects.order_by("pk").values_list("pk", flat=True)),
        "plan": list(JointActionPlan.objects.order_by("pk").values_list("pk", flat=True)),
        "thematic_area": list(ThematicArea.objects.order_by("pk").values_list("code", flat=True)),
        "organization": list(Organization.objects.order_by("pk").values_list("acronym", flat=True)),
        "sdg_targets": list(SDGTarget.objects.order_by("pk").values_list("code", flat=True)),
        "topics": list(Topic.objects.order_by("pk").values_list("code", flat=True)),
        # The results chain's writes: a parent result, a contributing activity.
        "parent": list(Result.objects.order_by("pk").values_list("pk", flat=True)),
        "activity": list(Activity.objects.order_by("pk").values_list("pk", flat=True)),
    }


def _known(known: list, value) -> object:
    return known[len(str(value)) % len(known)]  # deterministic: hypothesis replays a case


def _aim_body_at_real_records(body, refs: dict[str, list]) -> None:
    """A schema-valid body names records by id or code; the schema cannot say which exist, so
    a generated one would be refused for naming none (a 400 that is right). Name real ones."""
    if not isinstance(body, dict):
        return
    for key, known in refs.items():
        value = body.get(key)
        if not known or value is None or isinstance(value, bool):
            continue
        if isinstance(value, list):
            body[key] = [_known(known, item) for item in value]
        elif isinstance(value, int | str):
            body[key] = _known(known, value)
    participations = body.get("participations")
    if isinstance(participations, list) and all(isinstance(p, dict) for p in participations):
        # Each organization once, the first one leading: the rule every activity keeps, which
        # no schema can state.
        organizations = refs["organization"]
        for index, participation in enumerate(participations[: len(organizations)]):
            participation["organization"] = organizations[index]
            participation["role"] = "lead" if index == 0 else "partner"
        del participations[len(organizations) :]


def _aim_at_real_records(case, ids: dict[str, list[int]]) -> None:
    """Map an even generated id onto an existing record of the resource the path names."""
    resource = case.operation.path.removeprefix("/api/v1/").split("/")[0]
    params = case.path_parameters or {}
    # Negative cases may put anything in a path parameter: map only the whole numbers.
    if isinstance(params.get("pk"), int) and ids.get(resource) and params["pk"] % 2 == 0:
        known = ids[resource]
        params["pk"] = known[params["pk"] // 2 % len(known)]
    if isinstance(params.get("year"), int) and params["year"] % 2 == 0:
        params["year"] = 2016


def test_every_operation_conforms_to_the_schema(demo_manager_token, wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app, config=CONFIG)
    headers = {"Authorization": f"Token {demo_manager_token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30

    ids, refs = _existing_ids(), _references()
    failures = []
    cases = 0
    for operation, mode in [(op, mode) for op in operations for mode in GenerationMode]:
        positive = mode is GenerationMode.POSITIVE

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
            _aim_at_real_records(case, ids)
            if positive:  # noqa: B023 — read while this loop's test runs
                _aim_body_at_real_records(case.body, refs)
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            exercise()
        except (Exception, FailureGroup) as exc:  # collect them all, then fail with the full list
            failures.append(f"{mode.value} {operation.method.upper()} {operation.path}: {exc}")

    print(f"schemathesis: {cases} cases over {len(operations)} operations")
    assert cases >= len(operations) * MAX_EXAMPLES
    assert not failures, f"{len(failures)} failing:\n\n" + "\n\n".join(failures)
