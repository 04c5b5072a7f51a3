"""A manager downloads the plan's Activity Matrix, edits it in a spreadsheet program (openpyxl
here), uploads it: a file with errors lists them all and cannot be confirmed; the corrected file
shows its changes, old and new, and writes them once confirmed."""

import datetime as dt
from pathlib import Path

import pytest

from activities.models import Activity, Milestone
from partnership.models import Profile
from tests.browser.conftest import login
from tests.exchange.conftest import build_matrix, edited, row_of, set_cell
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan():
    """The small plan of the exchange tests (tests/exchange/conftest.py)."""
    return build_matrix().plan


@pytest.fixture
def manager():
    return make_user(role=Profile.Role.MANAGER, username="manager")


def test_upload_dry_run_and_confirmation(page, screenshot, plan, manager, tmp_path):
    login(page, "manager")
    page.goto(f"/plans/{plan.pk}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the Activity Matrix").click()
    downloaded = download_info.value
    assert downloaded.suggested_filename == f"activity-matrix-plan-{plan.pk}.xlsx"
    original = Path(downloaded.path()).read_bytes()

    def with_errors(workbook):
        set_cell(workbook, "milestones", 2, "weight", "heavy")
        set_cell(workbook, "activities", 2, "horizon", "someday")

    bad = tmp_path / "matrix-with-errors.xlsx"
    bad.write_bytes(edited(original, with_errors))
    page.get_by_role("link", name="Upload a spreadsheet").click()
    page.get_by_label("Activity Matrix workbook (.xlsx)").set_input_files(str(bad))
    page.get_by_label("Leave them alone").check()
    page.get_by_role("button", name="Upload and show the dry run").click()
    errors = page.locator("#errors")
    assert "2 errors" in errors.inner_text()
    assert "milestones" in errors.inner_text() and "weight" in errors.inner_text()
    assert "“someday” is not one of current, aspirational." in errors.inner_text()
    assert page.get_by_role("button", name="Confirm").count() == 0
    screenshot(page, "manager-matrix-upload-errors")
    page.get_by_role("button", name="Discard this upload").click()

    def three_edits(workbook):
        activities = workbook["activities"]
        set_cell(
            workbook, "activities", row_of(activities, "code", "A-0100"), "title", "Forensic labs"
        )
        set_cell(
            workbook, "activities", row_of(activities, "code", "007"), "lifecycle", "finalisation"
        )
        milestones = workbook["milestones"]
        set_cell(
            workbook,
            "milestones",
            row_of(milestones, "title", "Lab assessed"),
            "completed_on",
            dt.datetime(2016, 7, 4),
        )

    good = tmp_path / "matrix.xlsx"
    good.write_bytes(edited(original, three_edits))
    page.get_by_role("link", name="Upload a spreadsheet").click()
    page.get_by_label("Activity Matrix workbook (.xlsx)").set_input_files(str(good))
    page.get_by_label("Leave them alone").check()
    page.get_by_role("button", name="Upload and show the dry run").click()
    rows = page.get_by_role("table", name="Rows that are not unchanged")
    text = rows.inner_text()
    assert "Forensic training" in text and "Forensic labs" in text
    assert "implementation" in text and "finalisation" in text
    assert "2016-07-04" in text
    assert rows.locator("tbody tr").count() == 3
    assert "7 rows unchanged" in page.content()
    screenshot(page, "manager-matrix-dry-run")
    assert not Activity.objects.filter(title="Forensic labs").exists()  # nothing written yet

    page.get_by_role("button", name="Confirm: apply 3 changes").click()
    assert "Applied 3 change(s)" in page.get_by_role("status").first.inner_text()
    screenshot(page, "manager-matrix-applied")
    assert Activity.objects.get(code="A-0100").title == "Forensic labs"
    assert Activity.objects.get(code="007").lifecycle == "finalisation"
    assert Milestone.objects.get(title="Lab assessed").completed_on == dt.date(2016, 7, 4)
