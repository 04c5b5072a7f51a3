"""The framework records' admin writes only through partnership.services: each add, change and
delete is checked (`full_clean()`), recorded under the admin user, a refusal shows on the form or
as a message (never a 500), and the plan's matrices are changed only in their own admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from partnership import services
from partnership.models import ActivityMatrix, JointActionPlan, Organization, Partnership, Profile
from tests.admin_forms import admin_form_data, form_errors
from tests.factories import (
    ActivityFactory,
    MatrixFactory,
    OrganizationFactory,
    PlanFactory,
    make_user,
    sdg_target,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = make_user(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def _add_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def _delete_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])


def test_changing_a_plan_is_checked_and_recorded_under_the_admin_user(client, root):
    plan = PlanFactory(title="Before")
    url = _change_url(plan)
    response = client.post(url, admin_form_data(client, url, title="After"))
    assert response.status_code == 302, form_errors(response)
    plan.refresh_from_db()
    assert plan.title == "After"
    latest = plan.history.order_by("-history_id").first()
    assert (latest.title, latest.history_user) == ("After", root)


def test_a_plan_period_that_ends_before_it_starts_answers_a_form_error(client, root):
    plan = PlanFactory(title="Before")
    url = _change_url(plan)
    data = admin_form_data(client, url, title="After", period_end="2015-12-31")
    response = client.post(url, data)
    assert response.status_code == 200
    assert form_errors(response)  # the model's constraint, found by the service's full_clean()
    plan.refresh_from_db()
    assert (plan.title, plan.period_end) == ("Before", dt.date(2016, 12, 31))


def test_the_plans_matrices_are_read_only_on_the_plan_page(client, root):
    matrix = MatrixFactory(notes="As adopted")
    url = _change_url(matrix.plan)
    response = client.get(url)
    (inline,) = response.context["inline_admin_formsets"]
    assert inline.has_change_permission is False
    data = admin_form_data(client, url)
    data.update({"matrices-0-id": matrix.pk, "matrices-0-notes": "Changed in passing"})
    assert client.post(url, data).status_code == 302
    matrix.refresh_from_db()
    assert matrix.notes == "As adopted"


def test_a_matrix_is_changed_in_its_own_admin(client, root):
    matrix = MatrixFactory(notes="As adopted")
    url = _change_url(matrix)
    response = client.post(url, admin_form_data(client, url, notes="Revised"))
    assert response.status_code == 302, form_errors(response)
    matrix.refresh_from_db()
    assert matrix.notes == "Revised"
    assert matrix.history.order_by("-history_id").first().history_user == root


def test_adding_a_duplicate_matrix_edition_answers_a_form_error(client, root):
    matrix = MatrixFactory(edition=1)
    response = client.post(
        _add_url(ActivityMatrix), {"plan": matrix.plan_id, "edition": 1, "notes": ""}
    )
    assert response.status_code == 200
    assert form_errors(response)
    assert ActivityMatrix.objects.count() == 1


def test_adding_a_partnership_writes_its_members(client, root):
    interpol, unodc = OrganizationFactory(acronym="INTERPOL"), OrganizationFactory(acronym="UNODC")
    response = client.post(
        _add_url(Partnership),
        {"name": "INTERPOL–UNODC", "organizations": [interpol.pk, unodc.pk], "description": ""},
    )
    assert response.status_code == 302, form_errors(response)
    partnership = Partnership.objects.get(name="INTERPOL–UNODC")
    assert set(partnership.organizations.values_list("acronym", flat=True)) == {
        "INTERPOL",
        "UNODC",
    }


def test_an_organization_with_a_blank_acronym_is_refused_on_the_form(client, root):
    org = OrganizationFactory(acronym="WCO", name="World Customs Organization")
    url = _change_url(org)
    response = client.post(url, admin_form_data(client, url, acronym="", name="Renamed"))
    assert response.status_code == 200
    assert form_errors(response)
    assert Organization.objects.get(pk=org.pk).name == "World Customs Organization"


def test_a_member_of_a_partnership_is_kept_with_a_message(client, root):
    # Django's admin would delete it and its memberships; the service keeps it.
    org = OrganizationFactory(acronym="INTERPOL")
    PlanFactory().partnership.organizations.add(org)
    response = client.post(_delete_url(org), {"post": "yes"}, follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any("still referred to by partnerships" in m for m in shown), shown
    assert org.partnerships.count() == 1


def test_an_sdg_target_of_an_activity_is_kept_with_a_message(client, root):
    target = sdg_target("16.a")
    ActivityFactory().sdg_targets.add(target)
    response = client.post(_delete_url(target), {"post": "yes"}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert any("still referred to by activities" in m for m in shown), shown
    assert target.activities.count() == 1  # the activity keeps its target


def test_an_unused_organization_is_deleted_through_the_service(client, root):
    org = OrganizationFactory(acronym="UNUSED")
    assert client.post(_delete_url(org), {"post": "yes"}).status_code == 302
    assert not Organization.objects.filter(pk=org.pk).exists()


def test_no_bulk_delete_of_framework_records(client, root):
    PlanFactory()
    url = reverse("admin:partnership_jointactionplan_changelist")
    action_form = client.get(url).context["action_form"]
    actions = dict(action_form.fields["action"].choices) if action_form else {}
    assert "delete_selected" not in actions


def test_a_profile_change_goes_through_the_service(client, root):
    user = make_user(Profile.Role.VIEWER, username="ana")
    org = OrganizationFactory(acronym="UNODC")
    url = _change_url(user.profile)
    data = admin_form_data(client, url, role=Profile.Role.LIAISON_OFFICER, organization=org.pk)
    assert client.post(url, data).status_code == 302
    user.profile.refresh_from_db()
    assert (user.profile.role, user.profile.organization_id) == ("liaison_officer", org.pk)
    # A liaison officer without an organization breaks the model's rule: the service says so.
    response = client.post(url, admin_form_data(client, url, organization=""))
    assert response.status_code == 200
    assert form_errors(response)


# --- the services themselves ----------------------------------------------------------------------


def test_only_managers_write_framework_records():
    viewer = make_user(Profile.Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.create_framework_record(
            model=Organization, values={"acronym": "X", "name": "X", "kind": "other"}, actor=viewer
        )
    manager = make_user(Profile.Role.MANAGER)
    org = services.create_framework_record(
        model=Organization, values={"acronym": "X", "name": "X", "kind": "other"}, actor=manager
    )
    assert Organization.objects.get(pk=org.pk).acronym == "X"


def test_an_invalid_framework_record_is_refused_with_its_field():
    with pytest.raises(ValidationError) as refused:
        services.create_framework_record(
            model=Organization, values={"acronym": "X", "name": "X", "kind": "nonsense"}, actor=None
        )
    assert "kind" in refused.value.message_dict
    assert not Organization.objects.exists()


def test_framework_services_write_only_framework_records():
    with pytest.raises(TypeError):
        services.update_framework_record(
            record=ActivityFactory(), changes={"title": "x"}, actor=None
        )
    assert JointActionPlan.objects.count() == 1  # the activity's plan, untouched


def test_staff_with_admin_permissions_but_no_manager_role_is_refused_by_the_service(client):
    clerk = make_user(Profile.Role.VIEWER, username="clerk", is_staff=True)
    clerk.user_permissions.set(Permission.objects.filter(codename__endswith="_jointactionplan"))
    client.force_login(clerk)
    plan = PlanFactory(title="Before")
    url = _change_url(plan)
    response = client.post(url, admin_form_data(client, url, title="After"))
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.title == "Before"
