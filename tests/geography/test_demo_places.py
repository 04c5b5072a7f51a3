"""The demo's places: `load_demo` gives the 2016 activities their countries and regions, public
where the programmes' public descriptions name them and flagged illustrative otherwise."""

from io import StringIO

import pytest
from django.core.management import call_command

from activities.demo import data
from activities.models import Activity
from geography import selectors
from geography.demo import DEMO_PLACES
from geography.models import ActivityCountry, ActivityRegion

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_demo", "--no-monitoring", stdout=out)
    return out.getvalue()


def test_load_demo_places_the_activities_once():
    first = load()
    assert f"Places: {len(DEMO_PLACES)} of {len(DEMO_PLACES)} demo activities changed." in first
    aircop = Activity.objects.get(code="TOC-01")
    places = selectors.places_of(activity_id=aircop.pk)
    assert {"ML", "NE", "TG"} <= {p.code for p in places.countries}
    assert not places.any_illustrative  # AIRCOP's places are public
    assert [p.code for p in places.regions] == ["011", "017", "419"]
    sahel = selectors.places_of(activity_id=Activity.objects.get(code="TER-04").pk)
    assert {p.code for p in sahel.countries} == {"BF", "ML", "MR", "NE", "TD"}
    assert all(p.is_illustrative for p in sahel.countries)
    versions = dict(Activity.objects.values_list("code", "version"))
    counts = ActivityCountry.objects.count(), ActivityRegion.objects.count()

    second = load()
    assert "Places: 0 of" in second
    assert dict(Activity.objects.values_list("code", "version")) == versions
    assert (ActivityCountry.objects.count(), ActivityRegion.objects.count()) == counts


def test_every_placed_code_is_a_demo_activity_and_illustrative_ones_are_flagged():
    codes = {spec["code"] for spec in data.ACTIVITIES}
    assert set(DEMO_PLACES) <= codes
    illustrative_activities = {s["code"] for s in data.ACTIVITIES if s["is_illustrative"]}
    for code, (countries, regions) in DEMO_PLACES.items():
        if code in illustrative_activities:
            # An illustrative activity has no public places.
            assert all(p.is_illustrative for p in [*countries, *regions]), code
