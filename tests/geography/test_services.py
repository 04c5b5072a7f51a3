"""Setting an activity's places: every rule at once, the activity's version, permissions."""

from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from activities.exceptions import ConflictError, NotAllowed
from activities.models import Activity
from geography import selectors, services
from geography.models import ActivityCountry, ActivityRegion, Region, RegionCountry
from geography.rules import Place
from partnership.models import Profile
from tests.factories import ActivityFactory, liaison_for, make_user

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_the_m49_regions_with_every_level_of_membership():
    assert Region.objects.get(code="011").name == "Western Africa"
    assert Region.objects.get(code="011").parent.code == "202"
    nigeria = set(RegionCountry.objects.filter(country="NG").values_list("region__code", flat=True))
    assert nigeria == {"011", "202", "002", "001"}
    assert ("NE", "Niger") in selectors.countries_of_region(code="011")


def test_set_places_writes_countries_and_regions_and_bumps_the_version():
    activity = ActivityFactory()
    updated = services.set_places(
        actor=None,
        activity=activity,
        version=activity.version,
        countries=[Place("ng", Decimal("50")), Place("GH", Decimal("30"))],
        regions=[Place("011", Decimal("20"), is_illustrative=True)],
    )
    assert updated.version == activity.version + 1
    places = selectors.places_of(activity_id=activity.pk)
    assert [(p.code, p.name, p.share) for p in places.countries] == [
        ("GH", "Ghana", Decimal("30.00")),
        ("NG", "Nigeria", Decimal("50.00")),
    ]
    assert [(p.code, p.is_illustrative) for p in places.regions] == [("011", True)]


def test_setting_the_same_places_again_changes_no_version():
    activity = ActivityFactory()
    first = services.set_places(
        actor=None, activity=activity, version=1, countries=[Place("NG")], regions=[]
    )
    again = services.set_places(
        actor=None, activity=activity, version=first.version, countries=[Place("NG")], regions=[]
    )
    assert again.version == first.version


def test_set_places_replaces_what_was_there():
    activity = ActivityFactory()
    services.set_places(
        actor=None, activity=activity, version=1, countries=[Place("NG")], regions=[Place("011")]
    )
    services.set_places(
        actor=None, activity=activity, version=2, countries=[Place("SN")], regions=[]
    )
    assert list(ActivityCountry.objects.values_list("country", flat=True)) == ["SN"]
    assert not ActivityRegion.objects.exists()


def test_shares_not_adding_up_are_refused_with_every_error_and_nothing_written():
    activity = ActivityFactory()
    with pytest.raises(ValidationError) as caught:
        services.set_places(
            actor=None,
            activity=activity,
            version=1,
            countries=[Place("NG", Decimal("50")), Place("XX", Decimal("10"))],
            regions=[Place("123", Decimal("10"))],
        )
    errors = caught.value.message_dict
    assert set(errors) == {"countries", "regions", NON_FIELD_ERRORS}
    assert "add up to 70%" in errors[NON_FIELD_ERRORS][0]
    assert not ActivityCountry.objects.exists()
    assert Activity.objects.get(pk=activity.pk).version == 1


def test_a_stale_version_is_a_conflict_and_writes_nothing():
    activity = ActivityFactory()
    services.set_places(actor=None, activity=activity, version=1, countries=[], regions=[])
    services.set_places(
        actor=None, activity=activity, version=1, countries=[Place("NG")], regions=[]
    )
    with pytest.raises(ConflictError):
        services.set_places(
            actor=None, activity=activity, version=1, countries=[Place("GH")], regions=[]
        )
    assert list(ActivityCountry.objects.values_list("country", flat=True)) == ["NG"]


def test_only_people_who_may_edit_the_activity_set_its_places():
    activity = ActivityFactory()
    viewer = make_user(role=Profile.Role.VIEWER)
    with pytest.raises(NotAllowed):
        services.set_places(
            actor=viewer, activity=activity, version=1, countries=[Place("NG")], regions=[]
        )
    officer = liaison_for(activity)
    services.set_places(
        actor=officer, activity=activity, version=1, countries=[Place("NG")], regions=[]
    )
    row = ActivityCountry.objects.get()
    assert row.history.first().history_user == officer


@pytest.mark.parametrize("share", [Decimal("0"), Decimal("-1"), Decimal("100.01")])
def test_the_database_refuses_a_share_out_of_range(share):
    activity = ActivityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityCountry.objects.create(activity=activity, country="NG", share=share)


def test_the_database_refuses_a_country_twice():
    activity = ActivityFactory()
    ActivityCountry.objects.create(activity=activity, country="NG")
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityCountry.objects.create(activity=activity, country="NG")
