"""Every registered model's admin opens for a superuser: changelist and add page answer 200."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import (
    ActivityFactory,
    FundingFactory,
    MeasurementFactory,
    MilestoneFactory,
    ParticipationFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    make_user,
)

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


@pytest.fixture
def superuser_client(client, db):
    user = make_user(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    # One row of each kind, so changelists render real rows (and their list_display callables).
    activity = ActivityFactory()
    ParticipationFactory(activity=activity)
    PriorityFactory(activity=activity)
    MilestoneFactory(activity=activity)
    MeasurementFactory(indicator__activity=activity)
    ProgressUpdateFactory(activity=activity)
    FundingFactory(activity=activity)
    return client


def test_the_project_models_are_registered():
    apps = {app for app, _ in REGISTERED}
    assert {"partnership", "activities"} <= apps


@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_changelist_and_add_page_open(superuser_client, app_label, model_name):
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert superuser_client.get(changelist).status_code == 200
    model_admin = next(
        ma
        for m, ma in admin.site._registry.items()
        if (m._meta.app_label, m._meta.model_name) == (app_label, model_name)
    )
    if model_admin.has_add_permission(_request_for(superuser_client)):
        add = reverse(f"admin:{app_label}_{model_name}_add")
        assert superuser_client.get(add).status_code == 200


def _request_for(client):
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(username="root")
    return request
