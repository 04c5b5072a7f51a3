"""The geography admin writes through geography.services.set_places: every add, change and
delete keeps the shares' rules and moves the activity's version; a refusal is a form error."""

from decimal import Decimal

import pytest
from django.urls import reverse

from geography import services
from geography.models import ActivityCountry, ActivityRegion, Region
from geography.rules import Place
from tests.admin_forms import form_errors
from tests.factories import ActivityFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = make_user(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_adding_a_country_goes_through_the_service(client, root):
    activity = ActivityFactory()
    response = client.post(
        reverse("admin:geography_activitycountry_add"),
        {"activity": activity.pk, "country": "NG", "share": ""},
    )
    assert response.status_code == 302, form_errors(response)
    activity.refresh_from_db()
    assert activity.version == 2
    row = ActivityCountry.objects.get()
    assert row.history.first().history_user == root


def test_a_share_that_breaks_the_sum_is_a_form_error(client, root):
    activity = ActivityFactory()
    services.set_places(
        actor=None,
        activity=activity,
        version=1,
        countries=[Place("NG", Decimal("100"))],
        regions=[],
    )
    response = client.post(
        reverse("admin:geography_activityregion_add"),
        {"activity": activity.pk, "region": Region.objects.get(code="011").pk, "share": "10"},
    )
    assert response.status_code == 200
    assert "add up to 110%" in str(form_errors(response))
    assert not ActivityRegion.objects.exists()


def test_changing_from_a_stale_version_is_a_form_error(client, root):
    activity = ActivityFactory()
    services.set_places(
        actor=None, activity=activity, version=1, countries=[Place("NG")], regions=[]
    )
    row = ActivityCountry.objects.get()
    url = reverse("admin:geography_activitycountry_change", args=[row.pk])
    response = client.post(url, {"share": "", "is_illustrative": "on", "expected_version": 1})
    assert response.status_code == 200
    assert form_errors(response)
    row.refresh_from_db()
    assert row.is_illustrative is False
    response = client.post(url, {"share": "", "is_illustrative": "on", "expected_version": 2})
    assert response.status_code == 302, form_errors(response)
    row.refresh_from_db()
    assert row.is_illustrative is True


def test_deleting_a_country_goes_through_the_service(client, root):
    activity = ActivityFactory()
    services.set_places(
        actor=None,
        activity=activity,
        version=1,
        countries=[Place("NG"), Place("GH")],
        regions=[],
    )
    row = ActivityCountry.objects.get(country="GH")
    delete = reverse("admin:geography_activitycountry_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert list(ActivityCountry.objects.values_list("country", flat=True)) == ["NG"]
    activity.refresh_from_db()
    assert activity.version == 3


def test_regions_are_read_only_reference_data(client, root):
    region = Region.objects.get(code="011")
    assert client.get(reverse("admin:geography_region_changelist")).status_code == 200
    assert client.get(reverse("admin:geography_region_add")).status_code == 403
    response = client.post(
        reverse("admin:geography_region_change", args=[region.pk]), {"name": "X"}
    )
    assert response.status_code == 403
