import pytest

from tests.browser.conftest import login
from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_liaison_officer_signs_in_and_rotates_the_api_token(page, screenshot):
    make_user(role="liaison_officer", username="liaison")
    login(page, "liaison")
    page.goto("/accounts/profile/")
    assert page.get_by_text("Liaison officer").first.is_visible()
    page.get_by_role("button", name="Create token").click()
    token = page.get_by_label("Your token").input_value()
    assert len(token) == 64  # knox: 32 random bytes, hex
    screenshot(page, "profile-token")
    page.goto("/accounts/profile/")  # later visits show only the token's first characters
    assert page.get_by_text(f"starting {token[:15]}").is_visible()
    assert page.get_by_label("Your token").count() == 0
    page.get_by_role("button", name="Rotate token").click()
    assert page.get_by_label("Your token").input_value() not in ("", token)
    assert page.get_by_role("status").inner_text().startswith("A new API token")
