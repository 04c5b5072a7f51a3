"""Activities with their current status as CSV and XLSX.

"Current status" is the latest assessment the engine keeps on each activity (with its as-of date),
so an export taken today and the activity pages agree. Rows are built once (`activity_rows`) and
written by either writer, so both files hold the same cells.

Text cells that a spreadsheet would read as a formula (starting with = + - @ or a control
character) are prefixed with an apostrophe: an activity title must never run as a formula on a
manager's machine (CSV injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from activities import selectors as activity_selectors
from activities.models import Activity, ActivityParticipation, MonitoringStatus

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = [
    "Code",
    "Title",
    "Plan",
    "Matrix edition",
    "Thematic area",
    "Cooperation type",
    "Horizon",
    "Lifecycle",
    "IATI status code",
    "Lead",
    "Other organizations",
    "Priority years",
    "Status",
    "Status as of",
    "Reasons",
    "Start date",
    "End date",
    "Currency",
    "Budget required",
    "Funding secured",
    "Funding gap",
]
MONEY_COLUMNS = {"Budget required", "Funding secured", "Funding gap"}
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
STATUS_LABELS = dict(MonitoringStatus.choices)
CENTS = Decimal("0.01")


def activities_for_export(*, plan_id: int | None = None) -> QuerySet[Activity]:
    """All activities, or one plan's, with what the rows need: three queries (see
    `activities.selectors.activity_list`)."""
    filters = {"plan": plan_id} if plan_id else None
    return activity_selectors.activity_list(filters=filters).order_by("matrix__plan_id", "code")


def safe_text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value


def _row(activity: Activity) -> list:
    participations = list(activity.participations.all())
    lead = [
        p.organization.acronym for p in participations if p.role == ActivityParticipation.Role.LEAD
    ]
    others = [
        f"{p.organization.acronym} ({p.get_role_display().lower()})"
        for p in participations
        if p.role != ActivityParticipation.Role.LEAD
    ]
    # Two places always: SQLite's SUM drops trailing zeros, PostgreSQL's keeps them.
    secured = (activity.funding_secured or Decimal("0")).quantize(CENTS)
    required = activity.budget_required.quantize(CENTS)
    return [
        activity.code,
        activity.title,
        activity.matrix.plan.title,
        activity.matrix.edition,
        activity.thematic_area.name,
        activity.get_cooperation_type_display(),
        activity.get_horizon_display(),
        activity.get_lifecycle_display(),
        activity.iati_status_code,
        ", ".join(lead),
        ", ".join(others),
        ", ".join(str(p.year) for p in activity.priorities.all()),
        STATUS_LABELS.get(activity.status, "Not assessed"),
        activity.status_as_of,
        " | ".join(r.get("message", "") for r in activity.status_reasons or []),
        activity.start_date,
        activity.end_date,
        activity.currency,
        required,
        secured,
        max(required - secured, Decimal("0")).quantize(CENTS),
    ]


def activity_rows(activities: Iterable[Activity]) -> list[list]:
    """The header and one row per activity, with typed cells (dates, decimals, integers)."""
    return [list(HEADER), *(_row(activity) for activity in activities)]


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return safe_text(value)
    return str(value)


def to_csv(rows: Sequence[Sequence]) -> str:
    """UTF-8 text with a byte-order mark, so spreadsheet programs read accents right."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue()


def to_xlsx(rows: Sequence[Sequence]) -> bytes:
    """One sheet of activities (header bold and frozen, money with two decimals, dates as dates)
    and one that says what the export is."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Activities")
    sheet.freeze_panes = "C2"
    header, *body = rows
    bold = Font(bold=True)
    header_cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    money = {index for index, title in enumerate(header) if title in MONEY_COLUMNS}
    dates = {index for index, title in enumerate(header) if title.endswith(("date", "as of"))}
    for row in body:
        cells = []
        for index, value in enumerate(row):
            cell = WriteOnlyCell(sheet, value=safe_text(value) if isinstance(value, str) else value)
            if index in money:
                cell.number_format = "#,##0.00"
            elif index in dates and value is not None:
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    about = workbook.create_sheet("About")
    about.append(["Exported at", timezone.now().strftime("%Y-%m-%d %H:%M UTC")])
    about.append(["Activities", len(body)])
    about.append(
        [
            "Status",
            "The latest monitoring assessment of each activity, as of the date in 'Status as of'.",
        ]
    )
    about.append(["Funding secured", "Committed or received, in the activity's currency, to date."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
