"""In Chromium: a UNODC liaison officer reads a partners activity whose description, indicators and
risks are restricted, sees a line in their place and none of their values, and finds no trace of
a restricted activity of INTERPOL's; INTERPOL's officer reads it all."""

import pytest

from tests.browser.conftest import login
from tests.support.sensitivity_world import RESTRICTED_LINE, build_world, leaked

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_an_officer_outside_an_activity_reads_lines_in_place_of_restricted_fields(page, screenshot):
    world = build_world()

    login(page, "outsider")
    page.goto(f"/activities/{world.mixed.pk}/")
    assert page.get_by_role("heading", name="M-01 Mixed activity").is_visible()
    assert page.locator("#withheld-description").inner_text() == (
        f"Description: {RESTRICTED_LINE}."
    )
    assert page.locator("#withheld-indicators").is_visible()
    assert page.get_by_text("Open milestone of M-01").is_visible()
    assert leaked(page.content(), world.of("mixed")) == []
    screenshot(page, "sensitivity-outsider-restricted-fields")

    response = page.goto(f"/activities/{world.restricted.pk}/")
    assert response.status == 404
    page.goto("/activities/")
    assert page.get_by_text("2 activities").is_visible()
    assert leaked(page.content(), world.of("restricted")) == []
    page.goto(f"/search/?q={world.restricted.title}")
    assert page.get_by_text("0 hits").is_visible()
    assert page.locator(f'a[href="/activities/{world.restricted.pk}/"]').count() == 0

    page.context.clear_cookies()
    login(page, "insider")
    page.goto(f"/activities/{world.restricted.pk}/")
    assert page.get_by_text(world.restricted.description).is_visible()
    assert page.locator(".withheld").count() == 0
    screenshot(page, "sensitivity-insider-restricted-activity")
