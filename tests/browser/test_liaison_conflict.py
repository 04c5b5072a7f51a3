"""An edit that started from an older version of the activity is refused with a clear message;
the user's input is kept and nothing is changed."""

import pytest

from activities import services
from activities.models import Activity
from tests.browser.conftest import login
from tests.factories import ActivityFactory, liaison_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_conflicting_edit_is_refused_and_keeps_the_input(page, screenshot):
    activity = ActivityFactory(code="P16-07", title="Forensic capacity")
    liaison_for(activity, username="liaison")

    login(page, "liaison")
    page.goto(f"/activities/{activity.pk}/edit/")
    page.get_by_label("Title").fill("Forensic capacity in West Africa")
    page.get_by_label("Description").fill("Laboratories in three countries.")

    # Meanwhile a colleague saves a change to the same activity.
    services.update_activity(
        actor=None, activity=activity, version=1, changes={"title": "Forensic science capacity"}
    )

    page.get_by_role("button", name="Save").click()
    alert = page.get_by_role("alert").first
    assert "Someone else changed this activity since you opened it." in alert.inner_text()
    assert "Your changes were not saved." in alert.inner_text()
    # Both versions side by side; the user's input still in the form.
    comparison = page.locator(".conflict")
    assert "Forensic science capacity" in comparison.inner_text()
    assert page.get_by_label("Title").input_value() == "Forensic capacity in West Africa"
    assert page.get_by_label("Description").input_value() == "Laboratories in three countries."
    screenshot(page, "liaison-edit-conflict")

    activity = Activity.objects.get(pk=activity.pk)
    assert activity.title == "Forensic science capacity"
    assert activity.description == ""
    assert activity.version == 2

    # Having seen the other change, saving again is a deliberate choice and goes through.
    page.get_by_role("button", name="Save").click()
    assert "saved" in page.get_by_role("status").first.inner_text()
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Forensic capacity in West Africa", 3)
