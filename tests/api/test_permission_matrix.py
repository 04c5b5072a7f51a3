"""The permission matrix, driven by one table: role × endpoint × method → expected status.

Roles: anonymous; viewer; liaison officer of INTERPOL, which takes part in activity T-01;
"outsider", a liaison officer of UNODC, which does not; manager. Every write by the outsider is
refused with 403 and writes nothing; a draft is not even readable by the outsider or a viewer.
"""

import datetime as dt

import pytest

from activities.models import Activity, Indicator, Milestone, ProgressUpdate
from monitoring.models import MonitoringRun, StatusOverride
from results import services as results_services
from results.models import Contribution, Result
from tests.api.conftest import API, client_for
from tests.factories import IndicatorFactory, MilestoneFactory, ProgressUpdateFactory

ROLES = ("anonymous", "viewer", "liaison", "outsider", "manager")


def read() -> dict[str, int]:
    return {"anonymous": 401, "viewer": 200, "liaison": 200, "outsider": 200, "manager": 200}


def read_draft() -> dict[str, int]:
    """A draft: managers and liaison officers of a participating organization; hidden (404) from
    viewers and the outsider."""
    return {"anonymous": 401, "viewer": 404, "liaison": 200, "outsider": 404, "manager": 200}


def edit(ok: int) -> dict[str, int]:
    """Writes on T-01: its liaison officer and managers; never viewers or the outsider."""
    return {"anonymous": 401, "viewer": 403, "liaison": ok, "outsider": 403, "manager": ok}


def manage(ok: int) -> dict[str, int]:
    return {"anonymous": 401, "viewer": 403, "liaison": 403, "outsider": 403, "manager": ok}


NEW_ACTIVITY = {
    "matrix": "{matrix}",
    "code": "T-99",
    "title": "New",
    "thematic_area": "terrorism",
    "cooperation_type": "joint",
    "horizon": "current",
    "participations": [{"organization": "INTERPOL", "role": "lead"}],
}

# (method, path, body, expected status by role). Paths and bodies name objects in braces.
TABLE = [
    ("get", "/organizations/", None, read()),
    ("get", "/thematic-areas/", None, read()),
    ("get", "/sdg-targets/", None, read()),
    ("get", "/agreements/", None, read()),
    ("get", "/agreements/{agreement}/", None, read()),
    ("get", "/plans/", None, read()),
    ("get", "/plans/{plan}/", None, read()),
    ("get", "/plans/{plan}/matrix/", None, read()),
    ("get", "/activities/", None, read()),
    ("get", "/activities/{activity}/", None, read()),
    ("get", "/activities/{activity}/milestones/", None, read()),
    ("get", "/activities/{activity}/indicators/", None, read()),
    ("get", "/activities/{activity}/updates/", None, read()),
    ("get", "/activities/{activity}/status-history/", None, read()),
    ("get", "/activities/{activity}/status-overrides/", None, read()),
    ("get", "/milestones/{milestone}/", None, read()),
    ("get", "/indicators/{indicator}/", None, read()),
    ("get", "/indicators/{indicator}/measurements/", None, read()),
    ("get", "/updates/", None, read()),
    ("get", "/updates/{draft}/", None, read_draft()),
    ("get", "/updates/{submitted}/", None, read()),
    ("get", "/priorities/2016/", None, read()),
    ("get", "/monitoring-runs/", None, read()),
    ("get", "/monitoring/summary/?plan={plan}", None, read()),
    ("post", "/activities/", NEW_ACTIVITY, edit(201)),
    ("patch", "/activities/{activity}/", {"title": "Changed", "version": 1}, edit(200)),
    (
        "post",
        "/activities/{activity}/milestones/",
        {"title": "New", "due_date": "2016-10-01"},
        edit(201),
    ),
    ("patch", "/milestones/{milestone}/", {"completed_on": "2016-06-01", "version": 1}, edit(200)),
    (
        "post",
        "/activities/{activity}/indicators/",
        {
            "name": "Trained",
            "unit": "officers",
            "baseline": "0",
            "baseline_date": "2016-01-01",
            "target": "10",
            "target_date": "2016-12-31",
            "direction": "increase",
        },
        edit(201),
    ),
    (
        "post",
        "/indicators/{indicator}/measurements/",
        {"measured_on": "2016-05-01", "value": "3"},
        edit(201),
    ),
    (
        "post",
        "/activities/{activity}/updates/",
        {"period_end": "2016-06-30", "percent_complete": 50, "narrative": "Fine."},
        edit(201),
    ),
    ("patch", "/updates/{draft}/", {"percent_complete": 55, "version": 1}, edit(200)),
    ("post", "/updates/{draft}/submit/", None, edit(200)),
    ("post", "/updates/{submitted}/approve/", None, manage(200)),
    ("post", "/updates/{submitted}/return/", {"note": "Add figures."}, manage(200)),
    ("post", "/monitoring-runs/", {"plan": "{plan}", "as_of": "2016-06-30"}, manage(202)),
    (
        "post",
        "/activities/{activity}/status-overrides/",
        {"status": "suspended", "reason": "Paused", "set_on": "2016-05-01"},
        manage(201),
    ),
    # The results chain: everyone signed in reads it, managers write it.
    ("get", "/plans/{plan}/results/", None, read()),
    ("get", "/results/{output}/", None, read()),
    ("get", "/results/{output}/contributions/", None, read()),
    ("get", "/contributions/{contribution}/", None, read()),
    (
        "post",
        "/plans/{plan}/results/",
        {"level": "objective", "code": "2", "title": "Second"},
        manage(201),
    ),
    ("patch", "/results/{output}/", {"title": "Changed", "version": 1}, manage(200)),
    (
        "post",
        "/results/{output}/contributions/",
        {"activity": "{activity}", "share": "20"},
        manage(201),
    ),
    ("patch", "/contributions/{contribution}/", {"share": "30", "version": 1}, manage(200)),
]

CASES = [
    pytest.param(role, method, path, body, expected[role], id=f"{role}-{method.upper()} {path}")
    for method, path, body, expected in TABLE
    for role in ROLES
]


def _fill(value, names: dict):
    if isinstance(value, str):
        filled = value.format(**names)
        return int(filled) if value.startswith("{") and filled.isdigit() else filled
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    return value


def _footprint() -> tuple:
    """What a refused write must leave unchanged."""
    activity = Activity.objects.get(code="T-01")
    return (
        Activity.objects.count(),
        activity.title,
        activity.version,
        Milestone.objects.filter(completed_on__isnull=False).count(),
        Milestone.objects.count(),
        Indicator.objects.count(),
        sorted(ProgressUpdate.objects.values_list("state", "version")),
        MonitoringRun.objects.count(),
        StatusOverride.objects.count(),
        sorted(Result.objects.values_list("code", "title", "version")),
        sorted(Contribution.objects.values_list("output_id", "share", "version")),
    )


def _chain(world) -> dict[str, int]:
    """T-01 serves output 1.1.1; output 1.1.2, the one the routes name, is empty."""
    plan = world.plan
    objective = results_services.create_result(
        actor=None, plan=plan, level="objective", code="1", title="Objective"
    )
    outcome = results_services.create_result(
        actor=None, plan=plan, parent=objective, level="outcome", code="1.1", title="Outcome"
    )
    served, empty = (
        results_services.create_result(
            actor=None, plan=plan, parent=outcome, level="output", code=code, title=code
        )
        for code in ("1.1.1", "1.1.2")
    )
    contribution = results_services.add_contribution(
        actor=None, output=served, activity=world.activity, share=50
    )
    return {"output": empty.pk, "contribution": contribution.pk}


@pytest.mark.parametrize(("role", "method", "path", "body", "expected"), CASES)
def test_permission_matrix(world, role, method, path, body, expected):
    draft = ProgressUpdateFactory(activity=world.activity, author=world.liaison)
    submitted = ProgressUpdateFactory(
        activity=world.activity,
        author=world.liaison,
        state="submitted",
        submitted_at=dt.datetime(2016, 7, 1, tzinfo=dt.UTC),
    )
    names = {
        "activity": world.activity.pk,
        "plan": world.plan.pk,
        "matrix": world.matrix.pk,
        "agreement": world.plan.agreement_id,
        "milestone": MilestoneFactory(activity=world.activity).pk,
        "indicator": IndicatorFactory(activity=world.activity).pk,
        "draft": draft.pk,
        "submitted": submitted.pk,
        **_chain(world),
    }
    client = client_for(None if role == "anonymous" else getattr(world, role))
    before = _footprint()

    response = getattr(client, method)(
        API + _fill(path, names), _fill(body, names) if body else None, format="json"
    )

    assert response.status_code == expected, response.content
    if expected in (401, 403):
        assert _footprint() == before
