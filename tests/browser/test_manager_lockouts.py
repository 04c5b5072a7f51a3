"""Someone is locked out after five wrong passwords; a manager finds the lockout from the profile
page, unlocks it, and the person signs in at once."""

import pytest

from partnership.models import AccountUnlock
from tests.browser.conftest import login
from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_a_manager_unlocks_a_locked_out_account(page, screenshot):
    make_user(role="viewer", username="amina")
    make_user(role="manager", username="manager")

    for _ in range(5):
        login(page, "amina", password="not-her-password")
    assert page.get_by_role("heading", name="Sign-in locked").is_visible()
    assert "ask a manager of the tracker to unlock your account" in page.inner_text("main")
    screenshot(page, "sign-in-locked")
    login(page, "amina")  # the right password is refused too, while locked
    assert page.get_by_role("heading", name="Sign-in locked").is_visible()

    # The lock is amina's at this address, not the address's: the manager signs in from it.
    login(page, "manager")
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Sign-in lockouts").click()
    assert page.get_by_role("heading", name="Sign-in lockouts").is_visible()
    table = page.get_by_role("table", name="Locked now")
    assert "amina" in table.inner_text()
    assert "127.0.0.1" in table.inner_text()
    screenshot(page, "manager-lockouts")

    table.get_by_role("button", name="Unlock amina").click()
    assert (
        page.get_by_role("status").first.inner_text() == "amina is unlocked and can sign in again."
    )
    assert "No account is locked out." in page.inner_text("main")
    assert "manager" in page.get_by_role("table", name="Recent unlocks").inner_text()
    screenshot(page, "manager-lockouts-unlocked")
    assert AccountUnlock.objects.get().username == "amina"

    page.get_by_role("button", name="Log out").click()
    login(page, "amina")
    page.goto("/accounts/profile/")
    assert page.get_by_role("heading", name="Your profile").is_visible()
    assert "amina" in page.inner_text("header")
