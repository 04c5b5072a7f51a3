"""Editing an activity's places in Chromium: a valid save shown on the activity page, shares not
making 100 refused with the message, an outsider refused, and a stale page told of the conflict.
Screenshots: places-*.png."""

import pytest

from activities.models import Activity
from geography import selectors
from partnership.models import Profile
from tests.browser.conftest import login
from tests.factories import ActivityFactory, OrganizationFactory, ParticipationFactory, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def activity():
    interpol = OrganizationFactory(acronym="INTERPOL")
    a = ActivityFactory(code="B-01", title="Border management")
    ParticipationFactory(activity=a, organization=interpol, role="lead")
    make_user(Profile.Role.LIAISON_OFFICER, organization=interpol, username="lo")
    make_user(Profile.Role.LIAISON_OFFICER, username="other")
    return a


def test_places_are_refused_saved_and_a_conflict_is_told(page, activity, screenshot):
    login(page, "lo")
    page.goto(f"/activities/{activity.pk}/")
    page.get_by_role("link", name="Edit places").click()
    page.locator("#id_c-0-code").select_option("NG")
    page.locator("#id_c-0-share").fill("60")
    page.locator("#id_c-1-code").select_option("GH")
    page.locator("#id_c-1-share").fill("30")
    page.get_by_role("button", name="Save places").click()
    summary = page.locator("#place-errors").inner_text()
    assert "The shares add up to 90%" in summary
    screenshot(page, "places-refused")
    assert selectors.places_of(activity_id=activity.pk).is_empty

    page.locator("#id_c-1-share").fill("40")
    page.get_by_role("button", name="Save places").click()
    assert page.get_by_role("status").filter(has_text="Places of B-01 saved.").is_visible()
    assert "Nigeria (60%)" in page.locator("#places").inner_text()
    screenshot(page, "places-saved")

    page.get_by_role("link", name="Edit places").click()
    Activity.objects.filter(pk=activity.pk).update(version=activity.version + 5)  # someone else
    page.locator("#id_c-0-share").fill("50")
    page.locator("#id_c-1-share").fill("50")
    page.get_by_role("button", name="Save places").click()
    assert "Someone else changed this activity" in page.get_by_role("alert").first.inner_text()
    screenshot(page, "places-conflict")
    shares = [p.share for p in selectors.places_of(activity_id=activity.pk).countries]
    assert [int(s) for s in shares] == [40, 60]  # Ghana, Nigeria: unchanged


def test_an_outsider_is_refused(page, activity, screenshot):
    login(page, "other")
    page.goto(f"/activities/{activity.pk}/")
    assert page.get_by_role("link", name="Edit places").count() == 0
    page.goto(f"/activities/{activity.pk}/places/")
    assert page.get_by_role("heading", name="You may not do this").is_visible()
    screenshot(page, "places-outsider-refused")
