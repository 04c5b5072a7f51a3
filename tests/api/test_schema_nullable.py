"""The schema tells the truth about null: every field that can be null says so, and real
responses on the demo data validate against the generated schema.

Two checks: one over the serializers (a field whose source passes through a nullable model field
must allow null, whatever data a test happens to have), one over actual responses, with the
nullable cases made real (a measurement whose recorder was deleted, a run nobody requested)."""

import inspect

import jsonschema
import pytest
from django.core.management import call_command
from django.db import models
from rest_framework import serializers
from rest_framework.throttling import SimpleRateThrottle

import activities.api.serializers
import monitoring.api
import partnership.api.serializers
from activities.models import Activity, Measurement
from monitoring.models import MonitoringRun
from partnership.models import JointActionPlan, Profile
from tests.api.conftest import API, client_for
from tests.factories import make_user

API_MODULES = (activities.api.serializers, partnership.api.serializers, monitoring.api)


def _passes_through_null(model: type[models.Model], source: str) -> bool:
    """Whether following `source` (dotted) from `model` crosses a nullable column."""
    for part in source.split("."):
        try:
            field = model._meta.get_field(part)
        except Exception:  # a property or method: not a column
            return False
        if not field.concrete:  # a reverse relation: a list, never null
            return False
        if field.null:
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def _model_serializers() -> list[type[serializers.ModelSerializer]]:
    return [
        cls
        for module in API_MODULES
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, serializers.ModelSerializer) and cls.__module__ == module.__name__
    ]


def test_every_field_read_through_a_nullable_column_allows_null():
    found = _model_serializers()
    assert len(found) > 15
    missing = []
    for serializer_class in found:
        model = serializer_class.Meta.model
        for name, field in serializer_class().fields.items():
            if field.source == "*" or isinstance(field, serializers.SerializerMethodField):
                continue
            if _passes_through_null(model, field.source) and not field.allow_null:
                missing.append(f"{serializer_class.__name__}.{name}")
    assert not missing, missing


def _json_schema(node):
    """OpenAPI 3.0 → JSON Schema: `nullable: true` becomes "or null". `oneOf` becomes `anyOf`:
    drf-spectacular writes a blank-or-URL field as oneOf(maxLength 0, format uri), exclusive only
    where `format` is enforced, which JSON Schema leaves optional."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {
        ("anyOf" if key == "oneOf" else key): _json_schema(value)
        for key, value in node.items()
        if key != "nullable"
    }
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


@pytest.fixture
def demo(db, monkeypatch):
    """The 2016 demo after one monitoring run, with the nullable cases present in the data."""
    call_command("load_demo", "--no-monitoring", verbosity=0)
    plan = JointActionPlan.objects.order_by("period_start").first()
    call_command("run_monitoring", "--as-of", "2016-06-30", "--plan", str(plan.pk), verbosity=0)
    measurement = Measurement.objects.select_related("indicator").order_by("pk").first()
    Measurement.objects.filter(pk=measurement.pk).update(recorded_by=None)  # as SET_NULL does
    MonitoringRun.objects.update(requested_by=None)
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", None)
    return measurement


def test_responses_on_the_demo_data_conform_to_the_schema(demo):
    client = client_for(make_user(Profile.Role.MANAGER, username="schema-checker"))
    schema = _json_schema(client.get("/api/schema/?format=json").json())
    activity = demo.indicator.activity
    plan = activity.matrix.plan
    paths = {
        f"{API}/indicators/{demo.indicator_id}/": "/api/v1/indicators/{id}/",
        f"{API}/indicators/{demo.indicator_id}/measurements/": (
            "/api/v1/indicators/{id}/measurements/"
        ),
        f"{API}/activities/{activity.pk}/": "/api/v1/activities/{id}/",
        f"{API}/activities/{activity.pk}/indicators/": "/api/v1/activities/{id}/indicators/",
        f"{API}/activities/?page_size=200": "/api/v1/activities/",
        f"{API}/updates/": "/api/v1/updates/",
        f"{API}/monitoring-runs/": "/api/v1/monitoring-runs/",
        f"{API}/agreements/": "/api/v1/agreements/",
        f"{API}/plans/{plan.pk}/": "/api/v1/plans/{id}/",
        f"{API}/plans/{plan.pk}/matrix/": "/api/v1/plans/{id}/matrix/",
        f"{API}/priorities/2016/": "/api/v1/priorities/{year}/",
    }
    seen_null_recorder = False
    for url, template in paths.items():
        response = client.get(url)
        assert response.status_code == 200, url
        body_schema = schema["paths"][template]["get"]["responses"]["200"]["content"][
            "application/json"
        ]["schema"]
        # $refs point into the schema's components, so they travel along.
        validator = jsonschema.Draft7Validator({**body_schema, "components": schema["components"]})
        errors = [
            f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(response.json())
        ]
        assert not errors, (url, errors[:5])
        seen_null_recorder |= '"recorded_by":null' in response.content.decode().replace(" ", "")
    assert seen_null_recorder  # the case the attack found was really exercised
    assert Activity.objects.exists()
