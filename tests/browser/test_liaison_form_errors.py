"""A form with bad input shows each error beside its field and keeps what the user typed."""

import pytest

from activities.models import ProgressUpdate
from tests.browser.conftest import login
from tests.factories import ActivityFactory, liaison_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_bad_input_is_explained_beside_the_fields_and_kept(page, screenshot):
    activity = ActivityFactory(code="P16-03", title="Drugs: container control")
    liaison_for(activity, username="liaison")

    login(page, "liaison")
    page.goto(f"/activities/{activity.pk}/updates/new/")
    page.get_by_label("Period ends").fill("2016-09-30")
    page.get_by_label("Percent complete").fill("150")
    page.get_by_label("Risks and issues").fill("Port authority staff turnover.")
    # "What happened" is left empty.
    page.get_by_role("button", name="Submit for approval").click()

    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert "Percent complete: Ensure this value is less than or equal to 100." in (
        summary.inner_text()
    )
    # Keyboard users land on the summary (static/js/forms.js) …
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    # … whose links lead to the fields.
    summary.get_by_role("link", name="What happened: This field is required.").click()
    assert page.evaluate("document.activeElement.id") == "id_narrative"

    percent = page.get_by_label("Percent complete")
    assert page.locator("#id_percent_complete_error").inner_text() == (
        "Ensure this value is less than or equal to 100."
    )
    assert percent.get_attribute("aria-describedby") == (
        "id_percent_complete_error id_percent_complete_help"
    )
    assert percent.get_attribute("aria-invalid") == "true"
    assert page.locator("#id_narrative_error").inner_text() == "This field is required."
    # What was typed is still there.
    assert percent.input_value() == "150"
    assert page.get_by_label("Period ends").input_value() == "2016-09-30"
    assert page.get_by_label("Risks and issues").input_value() == "Port authority staff turnover."
    screenshot(page, "liaison-progress-update-errors")
    assert not ProgressUpdate.objects.exists()

    # Corrected, it goes through.
    percent.fill("75")
    page.get_by_label("What happened").fill("Two container profiling units trained.")
    page.get_by_role("button", name="Save as draft").click()
    assert "saved as a draft" in page.get_by_role("status").first.inner_text()
    assert ProgressUpdate.objects.get().state == ProgressUpdate.State.DRAFT
