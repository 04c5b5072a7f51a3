"""The Activity Matrix workbook: the download is the upload template, and uploading it unchanged
changes nothing; edits made in a spreadsheet program show as exactly those edits."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from activities.models import Activity, FundingCommitment, Milestone
from exchange.columns import SHEETS
from exchange.report import MissingRows, Outcome
from exchange.services import run_upload
from tests.exchange.conftest import download, edited, row_of, set_cell

pytestmark = pytest.mark.django_db


def dry_run(plan, content, missing=MissingRows.KEEP, **kwargs):
    return run_upload(
        actor=kwargs.get("actor"),
        plan_id=plan.pk,
        content=content,
        missing_rows=missing,
        apply=kwargs.get("apply", False),
    )


def test_the_download_has_a_sheet_per_record_kind_and_a_readme_of_every_column(plan):
    workbook = load_workbook(io.BytesIO(download(plan)))
    assert workbook.sheetnames == [
        "readme",
        "activities",
        "participations",
        "milestones",
        "indicators",
        "funding",
        "lists",
        "manifest",
    ]
    assert workbook["lists"].sheet_state == workbook["manifest"].sheet_state == "hidden"
    readme = {(r[0], r[1]) for r in workbook["readme"].iter_rows(values_only=True) if r[0]}
    for spec in SHEETS:
        assert [c.value for c in workbook[spec.name][1]] == list(spec.names)
        for name in spec.names:
            assert (spec.name, name) in readme, (spec.name, name)


def test_codes_are_text_and_choices_are_drop_downs(plan):
    workbook = load_workbook(io.BytesIO(download(plan)))
    sheet = workbook["activities"]
    row = row_of(sheet, "code", "007")
    header = [c.value for c in sheet[1]]
    code = sheet.cell(row=row, column=header.index("code") + 1)
    sdg = sheet.cell(row=row, column=header.index("sdg_targets") + 1)
    assert (code.value, code.data_type, code.number_format) == ("007", "s", "@")
    assert sdg.value == "16.10, 16.4" and sdg.number_format == "@"
    title = sheet.cell(row=row, column=header.index("title") + 1)
    assert title.data_type == "s" and title.value == "=Border management workshop"
    # The columns below the data stay text, for rows typed in.
    assert sheet.column_dimensions["D"].number_format == "@"
    validated = {str(v.sqref).split(":")[0][:1] for v in sheet.data_validations.dataValidation}
    letters = {name: chr(ord("A") + header.index(name)) for name in header}
    for choice in ("thematic_area", "cooperation_type", "horizon", "lifecycle"):
        assert letters[choice] in validated, choice
    assert letters["title"] not in validated


def test_uploading_the_download_unchanged_reports_no_change(plan):
    report = dry_run(plan, download(plan))
    assert report.problems == [] and report.conflicts == []
    assert report.change_count == 0
    assert {r.outcome for r in report.rows} == {Outcome.UNCHANGED}
    assert len(report.rows) == 2 + 3 + 3 + 1 + 1
    assert report.missing == []


def test_a_spreadsheet_program_saving_it_unchanged_changes_nothing_either(plan):
    """openpyxl re-saving the file (as Excel or LibreOffice would) keeps 007, 16.10 and the
    amounts as they were."""
    content = edited(download(plan), lambda workbook: None)
    report = dry_run(plan, content)
    assert report.change_count == 0 and report.problems == []


def test_three_edited_cells_are_exactly_three_changes_with_old_and_new_values(plan):
    def edit(workbook):
        activities = workbook["activities"]
        set_cell(
            workbook, "activities", row_of(activities, "code", "A-0100"), "title", "Forensic labs"
        )
        milestones = workbook["milestones"]
        set_cell(
            workbook,
            "milestones",
            row_of(milestones, "title", "Curriculum agreed"),
            "due_date",
            dt.datetime(2016, 4, 15),  # typed as a date
        )
        set_cell(workbook, "funding", 2, "amount", 120000)  # typed as a whole number

    report = dry_run(plan, edited(download(plan), edit))
    changed = [r for r in report.rows if r.outcome == Outcome.CHANGED]
    assert [(r.sheet, [(c.column, c.old, c.new) for c in r.changes]) for r in changed] == [
        ("activities", [("title", "Forensic training", "Forensic labs")]),
        ("milestones", [("due_date", "2016-03-31", "2016-04-15")]),
        ("funding", [("amount", "100000.50", "120000.00")]),
    ]
    assert report.change_count == 3
    # A dry run writes nothing.
    assert Activity.objects.get(code="A-0100").title == "Forensic training"


def test_confirming_applies_the_changes_through_the_services(plan, manager):
    def edit(workbook):
        set_cell(
            workbook,
            "activities",
            row_of(workbook["activities"], "code", "A-0100"),
            "title",
            "Forensic labs",
        )
        set_cell(workbook, "funding", 2, "amount", 120000)

    content = edited(download(plan), edit)
    report = dry_run(plan, content, actor=manager, apply=True)
    assert report.applied and report.change_count == 2
    activity = Activity.objects.get(code="A-0100")
    assert activity.title == "Forensic labs" and activity.version == 2
    assert activity.history.latest().history_user == manager
    assert FundingCommitment.objects.get().amount == Decimal("120000.00")
    # Uploaded again, the same file is a conflict now: its versions are those of the download.
    again = dry_run(plan, content)
    assert [r.sheet for r in again.conflicts] == []  # its rows equal the database: unchanged
    assert again.change_count == 0


def test_codes_with_leading_zeros_survive_the_round_trip(plan, manager):
    def edit(workbook):
        sheet = workbook["activities"]
        set_cell(workbook, "activities", row_of(sheet, "code", "007"), "description", "Edited")

    report = dry_run(plan, edited(download(plan), edit), actor=manager, apply=True)
    assert report.applied
    activity = Activity.objects.get(description="Edited")
    assert activity.code == "007"
    assert sorted(t.code for t in activity.sdg_targets.all()) == ["16.10", "16.4"]
    assert Milestone.objects.filter(activity=activity).count() == 2


def test_text_a_worksheet_cannot_hold_downloads_and_reads_back_as_it_was(plan):
    """Control characters are written as OOXML's _xHHHH_ (as Excel does), and a literal
    "_x0041_" is escaped so it does not read back as "A"."""
    Activity.objects.filter(code="A-0100").update(
        title="Unit\x1fseparator", description="Literal _x0041_ stays"
    )
    content = edited(download(plan), lambda workbook: None)
    report = dry_run(plan, content)
    assert report.change_count == 0 and report.problems == []
