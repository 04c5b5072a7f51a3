"""Uploading the workbook: every error at once with its sheet, row and column; conflicts with
edits made since the download; all or nothing; the manager's choice for rows missing from the
file; new records added in one file; managers only."""

import datetime as dt
from decimal import Decimal

import pytest

from activities import services
from activities.exceptions import NotAllowed
from activities.models import (
    Activity,
    ActivityParticipation,
    FundingCommitment,
    Indicator,
    Milestone,
)
from exchange.report import MissingRows, Outcome
from exchange.services import run_upload
from partnership.models import Profile
from tests.exchange.conftest import download, edited, row_of, set_cell
from tests.factories import MilestoneFactory, ProgressUpdateFactory, make_user

pytestmark = pytest.mark.django_db


def upload(plan, content, *, actor=None, missing=MissingRows.KEEP, apply=False):
    return run_upload(
        actor=actor, plan_id=plan.pk, content=content, missing_rows=missing, apply=apply
    )


def snapshot():
    """Everything an upload could write, to compare before and after."""
    return (
        list(Activity.objects.order_by("id").values()),
        list(ActivityParticipation.objects.order_by("id").values()),
        list(Milestone.objects.order_by("id").values()),
        list(Indicator.objects.order_by("id").values()),
        list(FundingCommitment.objects.order_by("id").values()),
    )


def test_twenty_errors_are_reported_at_once_with_sheet_row_and_column(plan, manager):
    bad = [
        ("activities", 2, "start_date", "soon"),
        ("activities", 2, "budget_required", "a lot"),
        ("activities", 2, "horizon", "someday"),
        ("activities", 2, "thematic_area", "piracy"),
        ("activities", 2, "sdg_targets", "16.4, 99.9"),
        ("activities", 3, "matrix_edition", "two"),
        ("activities", 3, "cooperation_type", "solo"),
        ("activities", 3, "title", None),
        ("activities", 3, "budget_required", "1.234"),
        ("participations", 2, "role", "boss"),
        ("participations", 3, "organization", "NOBODY"),
        ("participations", 4, "activity", "NOPE"),
        ("milestones", 2, "due_date", "31/03/2016"),
        ("milestones", 2, "weight", "heavy"),
        ("milestones", 3, "outside_period_confirmed", "perhaps"),
        ("milestones", 4, "id", 999999),
        ("indicators", 2, "kind", "feeling"),
        ("indicators", 2, "baseline", "none"),
        ("funding", 2, "donor", "XX"),
        ("funding", 2, "date", dt.datetime(2016, 3, 1, 14, 30)),
    ]

    def edit(workbook):
        for sheet, row, column, value in bad:
            set_cell(workbook, sheet, row, column, value)

    before = snapshot()
    report = upload(plan, edited(download(plan), edit), actor=manager, apply=True)
    assert not report.applied and snapshot() == before
    found = {(p.sheet, p.row, p.column) for p in report.problems}
    assert found == {(sheet, row, column) for sheet, row, column, _ in bad}
    assert len(report.problems) == 20
    assert all(r.outcome == Outcome.ERROR for r in report.rows if r.problems)


def test_what_the_services_refuse_is_reported_on_its_row_and_column(plan):
    def edit(workbook):
        activities = workbook["activities"]
        row = row_of(activities, "code", "A-0100")
        set_cell(workbook, "activities", row, "end_date", dt.datetime(2015, 6, 1))  # before start
        milestones = workbook["milestones"]
        # Due outside the activity's period, not confirmed: the milestone rule.
        set_cell(
            workbook,
            "milestones",
            row_of(milestones, "title", "Lab assessed"),
            "due_date",
            "2018-01-01",
        )
        set_cell(workbook, "indicators", 2, "target", -5)  # below the baseline of an increase

        set_cell(workbook, "activities", 2, "currency", "usd")  # read as USD, as stored

    report = upload(plan, edited(download(plan), edit))
    found = {(p.sheet, p.column) for p in report.problems}
    # The milestone is checked against its activity although the activity's own row failed.
    assert found == {
        ("activities", "end_date"),
        ("milestones", "due_date"),
        ("indicators", "target"),
    }
    assert report.rows[0].outcome == Outcome.UNCHANGED
    assert not report.can_apply


def test_a_row_changed_since_the_download_is_a_conflict_not_overwritten(plan, manager):
    content = download(plan)
    activity = Activity.objects.get(code="A-0100")
    # Someone else edits the activity after the download.
    services.update_activity(
        actor=None, activity=activity, version=activity.version, changes={"title": "Theirs"}
    )

    def edit(workbook):
        sheet = workbook["activities"]
        set_cell(workbook, "activities", row_of(sheet, "code", "A-0100"), "description", "Mine")
        set_cell(workbook, "funding", 2, "status", "received")  # an unrelated, fine edit

    report = upload(plan, edited(content, edit), actor=manager, apply=True)
    assert not report.applied
    [conflict] = report.conflicts
    assert (conflict.sheet, conflict.id) == ("activities", activity.pk)
    assert "someone else" in conflict.conflict
    # Its changes are shown against the record as it now is: their title, our description.
    assert {c.column: (c.old, c.new) for c in conflict.changes} == {
        "title": ("Theirs", "Forensic training"),
        "description": ("", "Mine"),
    }
    activity.refresh_from_db()
    assert (activity.title, activity.description) == ("Theirs", "")
    assert FundingCommitment.objects.get().status == "committed"


def test_a_funding_line_changed_since_the_download_is_a_conflict(plan):
    content = download(plan)
    FundingCommitment.objects.update(amount=Decimal("1.00"))
    report = upload(
        plan, edited(content, lambda w: set_cell(w, "funding", 2, "status", "received"))
    )
    assert [r.sheet for r in report.conflicts] == ["funding"]


def test_a_failure_in_the_middle_of_applying_writes_nothing(plan, manager, monkeypatch):
    def edit(workbook):
        sheet = workbook["activities"]
        set_cell(workbook, "activities", row_of(sheet, "code", "A-0100"), "title", "Written first")
        set_cell(workbook, "funding", 2, "amount", 1)

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "update_funding", broken)
    content = edited(download(plan), edit)
    before = snapshot()
    with pytest.raises(RuntimeError):
        upload(plan, content, actor=manager, apply=True)
    assert snapshot() == before
    assert not Activity.history.filter(title="Written first").exists()


def test_rows_missing_from_the_file_are_left_alone_when_the_manager_says_so(plan, manager):
    def edit(workbook):
        workbook["milestones"].delete_rows(row_of(workbook["milestones"], "title", "Lab assessed"))
        workbook["funding"].delete_rows(2)

    content = edited(download(plan), edit)
    report = upload(plan, content, actor=manager, missing=MissingRows.KEEP, apply=True)
    assert report.applied
    assert sorted((m.sheet, m.action) for m in report.missing) == [
        ("funding", "kept"),
        ("milestones", "kept"),
    ]
    assert report.change_count == 0
    assert Milestone.objects.filter(title="Lab assessed").exists()
    assert FundingCommitment.objects.exists()


def test_rows_missing_from_the_file_are_removed_when_the_manager_says_so(plan, manager):
    def edit(workbook):
        workbook["milestones"].delete_rows(row_of(workbook["milestones"], "title", "Lab assessed"))
        workbook["funding"].delete_rows(2)
        participations = workbook["participations"]
        workbook["participations"].delete_rows(row_of(participations, "contribution", "Trainers"))

    report = upload(plan, edited(download(plan), edit), actor=manager, missing="remove", apply=True)
    assert report.applied, report.problems
    assert report.change_count == 3
    assert not Milestone.objects.filter(title="Lab assessed").exists()
    assert not FundingCommitment.objects.exists()
    first = Activity.objects.get(code="007")
    assert [p.organization.acronym for p in first.participations.all()] == ["INTERPOL"]


def test_removal_spares_what_was_added_or_changed_since_the_download(plan, manager):
    """The download's manifest tells a row deleted from the file from a record the file never
    had (added since: kept) and from one changed since (a conflict: not removed)."""
    content = download(plan)
    activity = Activity.objects.get(code="A-0100")
    added = MilestoneFactory(activity=activity, title="Added meanwhile")
    changed = Milestone.objects.get(title="Lab assessed")
    services.update_milestone(
        actor=None, milestone=changed, version=changed.version, changes={"weight": 3}
    )

    def edit(workbook):
        sheet = workbook["milestones"]
        sheet.delete_rows(row_of(sheet, "title", "Lab assessed"))
        sheet.delete_rows(row_of(sheet, "title", "Curriculum agreed"))

    report = upload(plan, edited(content, edit), actor=manager, missing="remove", apply=True)
    actions = {m.label.split(": ")[-1]: (m.action, m.note) for m in report.missing}
    assert actions == {
        "Added meanwhile": ("kept", "added since the download"),
        "Lab assessed": ("conflict", "changed since the download: not removed"),
        "Curriculum agreed": ("removed", ""),
    }
    assert not report.applied and Milestone.objects.filter(title="Curriculum agreed").exists()
    # Without the changed one, the removal goes through and spares the added one.
    services.update_milestone(actor=None, milestone=changed, version=2, changes={"weight": 1})
    Milestone.objects.filter(pk=added.pk).delete()
    fresh = download(plan)
    MilestoneFactory(activity=activity, title="Added after the second download")

    def edit_again(workbook):
        sheet = workbook["milestones"]
        sheet.delete_rows(row_of(sheet, "title", "Curriculum agreed"))

    report = upload(plan, edited(fresh, edit_again), actor=manager, missing="remove", apply=True)
    assert report.applied, report.problems
    titles = set(Milestone.objects.values_list("title", flat=True))
    assert titles == {"Workshop held", "Lab assessed", "Added after the second download"}


def test_removing_an_activity_with_progress_reports_is_refused(plan, manager):
    activity = Activity.objects.get(code="A-0100")
    ProgressUpdateFactory(activity=activity)

    def edit(workbook):
        for name in ("activities", "participations", "milestones"):
            sheet = workbook[name]
            column = "code" if name == "activities" else "activity"
            sheet.delete_rows(row_of(sheet, column, "A-0100"))

    report = upload(plan, edited(download(plan), edit), actor=manager, missing="remove", apply=True)
    assert not report.applied
    assert [p.sheet for p in report.problems] == ["activities"]
    assert "progress update" in report.problems[0].message
    assert Activity.objects.filter(code="A-0100").exists()


def test_a_new_activity_with_its_partners_and_milestones_is_added_in_one_file(plan, manager):
    def edit(workbook):
        activities = workbook["activities"]
        activities.append(
            [
                None,
                None,
                1,
                "0042",
                "Dark net research",
                "",
                "cybercrime",
                "joint",
                "current",
                "pipeline",
                dt.datetime(2016, 2, 1),
                dt.datetime(2016, 11, 30),
                5000,
                "EUR",
                "",
                "16.4",
            ]
        )
        workbook["participations"].append([None, None, "0042", "INTERPOL", "lead", ""])
        workbook["participations"].append([None, None, "0042", "UNODC", "partner", "Analysts"])
        workbook["milestones"].append([None, None, "0042", "Report", "2016-10-31", None, 1, False])

    report = upload(plan, edited(download(plan), edit), actor=manager, apply=True)
    assert report.applied, report.problems
    assert report.change_count == 4
    added = Activity.objects.get(code="0042")
    assert added.currency == "EUR" and added.budget_required == Decimal("5000.00")
    assert {p.organization.acronym: p.role for p in added.participations.all()} == {
        "INTERPOL": "lead",
        "UNODC": "partner",
    }
    assert added.milestones.get().due_date == dt.date(2016, 10, 31)


def test_a_new_activity_without_a_lead_is_refused_with_the_reason(plan):
    def edit(workbook):
        workbook["activities"].append(
            [
                None,
                None,
                1,
                "0043",
                "No lead",
                "",
                "cybercrime",
                "joint",
                "current",
                "pipeline",
                None,
                None,
                0,
                "USD",
                "",
                "",
            ]
        )
        workbook["participations"].append([None, None, "0043", "UNODC", "partner", ""])

    report = upload(plan, edited(download(plan), edit))
    [problem] = report.problems
    assert problem.sheet == "activities" and "lead" in problem.message


def test_only_managers_upload(plan):
    liaison = make_user(role=Profile.Role.LIAISON_OFFICER)
    with pytest.raises(NotAllowed):
        upload(plan, download(plan), actor=liaison)


def test_a_file_that_is_not_a_workbook_or_lacks_a_column_is_refused_whole(plan):
    assert "Not an XLSX" in upload(plan, b"hello").problems[0].message
    content = edited(download(plan), lambda w: w["milestones"].delete_cols(4))
    [problem] = upload(plan, content).problems
    assert (problem.sheet, problem.column) == ("milestones", "title")
