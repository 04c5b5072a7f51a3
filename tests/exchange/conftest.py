"""A small plan to download and upload: two activities with one of everything, codes that a
spreadsheet would mangle (007, SDG 16.10), and a manager."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from activities.models import ActivityParticipation
from exchange.selectors import plan_rows
from exchange.workbook import write_workbook
from partnership.models import Organization, Profile
from tests.factories import (
    ActivityFactory,
    FundingFactory,
    IndicatorFactory,
    MatrixFactory,
    MilestoneFactory,
    OrganizationFactory,
    ParticipationFactory,
    TopicFactory,
    make_user,
    sdg_target,
    thematic_area,
)


@pytest.fixture
def manager(db):
    return make_user(role=Profile.Role.MANAGER, username="manager")


@pytest.fixture
def matrix(db):
    return build_matrix()


def build_matrix():
    interpol = OrganizationFactory(acronym="INTERPOL")
    unodc = OrganizationFactory(acronym="UNODC")
    donor = OrganizationFactory(acronym="EU", kind=Organization.Kind.DONOR)
    matrix = MatrixFactory()
    topic = TopicFactory(code="drugs", name="Drugs")
    first = ActivityFactory(
        matrix=matrix,
        code="007",
        title="=Border management workshop",  # a title a spreadsheet would run as a formula
        thematic_area=thematic_area("maritime-border-security"),
        budget_required=Decimal("250000.00"),
    )
    first.topics.add(topic)
    first.sdg_targets.add(sdg_target("16.10"), sdg_target("16.4"))
    ParticipationFactory(activity=first, organization=interpol, role="lead")
    ParticipationFactory(
        activity=first, organization=unodc, role="partner", contribution="Trainers"
    )
    MilestoneFactory(activity=first, title="Curriculum agreed", due_date=dt.date(2016, 3, 31))
    MilestoneFactory(
        activity=first,
        title="Workshop held",
        due_date=dt.date(2016, 9, 30),
        completed_on=dt.date(2016, 9, 28),
    )
    IndicatorFactory(activity=first, name="Officers trained", target=Decimal("120"))
    FundingFactory(activity=first, donor=donor, amount=Decimal("100000.50"))
    second = ActivityFactory(matrix=matrix, code="A-0100", title="Forensic training")
    ParticipationFactory(activity=second, organization=unodc, role=ActivityParticipation.Role.LEAD)
    MilestoneFactory(activity=second, title="Lab assessed", due_date=dt.date(2016, 6, 30))
    return matrix


@pytest.fixture
def plan(matrix):
    return matrix.plan


def download(plan) -> bytes:
    return write_workbook(plan_rows(plan_id=plan.pk))


def edited(content: bytes, edit) -> bytes:
    """The workbook opened, changed by `edit(workbook)` and saved, as a spreadsheet program does."""
    workbook = load_workbook(io.BytesIO(content))
    edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row_of(sheet, column: str, value) -> int:
    """The number of the first row whose `column` holds `value`."""
    header = [c.value for c in sheet[1]]
    index = header.index(column) + 1
    for number in range(2, sheet.max_row + 1):
        if sheet.cell(row=number, column=index).value == value:
            return number
    raise LookupError(value)


def set_cell(workbook, sheet_name: str, row: int, column: str, value) -> None:
    sheet = workbook[sheet_name]
    header = [c.value for c in sheet[1]]
    # Assigned, not passed to cell(): cell(value=None) would leave the cell as it was.
    sheet.cell(row=row, column=header.index(column) + 1).value = value
