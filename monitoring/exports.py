"""Activities with their status on a date as CSV and XLSX: the dashboard's picture as a file.

An export takes the scope the screen shows (`ExportScope`): the plan, the date, and the activity
list's filters. Each activity's status is the assessment in effect on that date, as on the
dashboard (`monitoring.selectors.in_effect`), and its secured funding is what was committed by
then, as on the funding tab, so a file taken from the 2016-12-31 dashboard says what that page
says, whatever the date it is downloaded on. The date is in every row ("As of"), in the XLSX's
About sheet and in the file's name. Rows are built once (`activity_rows`) and written by either
writer, so both files hold the same cells.

Text cells that a spreadsheet would read as a formula (starting with = + - @ or a control
character) are prefixed with an apostrophe: an activity title must never run as a formula on a
manager's machine (CSV injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, JSONField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from activities import selectors as activity_selectors
from activities.models import Activity, ActivityParticipation, FundingCommitment, MonitoringStatus
from activities.sensitivity import FIELD_GROUPS, REASONS_WITHHELD
from activities.sensitivity_selectors import sight_of, visible_activities, with_sight
from monitoring.models import Assessment
from monitoring.selectors import in_effect

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = [
    "As of",
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

# Columns other apps add at the end (geography's "Countries" and "Regions"), through
# add_columns: title → a reader that takes the ids of every exported activity and returns each
# one's cell, in a fixed number of queries however many there are; and the field group
# (activities.sensitivity.FIELD_GROUPS) the cells belong to.
ColumnReader = Callable[[Sequence[int]], Mapping[int, str]]
_ADDED_COLUMNS: dict[str, tuple[ColumnReader, str]] = {}

MONEY_COLUMNS = {"Budget required", "Funding secured", "Funding gap"}
DATE_COLUMNS = {"As of", "Status as of", "Start date", "End date"}
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
STATUS_LABELS = dict(MonitoringStatus.choices)
CENTS = Decimal("0.01")
MONEY = DecimalField(max_digits=16, decimal_places=2)


@dataclass(frozen=True)
class ExportScope:
    """What an export covers: one plan (None: every plan) on one date, and the activity list's
    filters. `as_of` None (every plan, no date chosen) takes each activity's latest assessment
    inside its own plan's period: plans of different years have no one date in common, and a
    date outside a plan's period is one no run assessed it on. `current` says the date is the
    plan's latest assessed one, so the status kept on each activity is read (as the dashboard
    does)."""

    plan_id: int | None = None
    as_of: dt.date | None = None
    current: bool = False
    filters: Mapping[str, Any] = field(default_factory=dict)

    def file_name(self, extension: str, *, exported_on: dt.date) -> str:
        """activities-plan-3-as-of-2016-12-31.csv; without a date, the day it was taken."""
        plan = f"-plan-{self.plan_id}" if self.plan_id else "-all-plans"
        filtered = "-filtered" if self.filters else ""
        if self.as_of is not None:
            when = f"-as-of-{self.as_of.isoformat()}"
        else:
            when = f"-latest-in-period-{exported_on.isoformat()}"
        return f"activities{plan}{filtered}{when}.{extension}"

    @property
    def description(self) -> str:
        if self.as_of is not None:
            return (
                f"Each activity as it stood on {self.as_of.isoformat()}: its latest monitoring "
                "assessment on or before that date (its date in 'Status as of')."
            )
        return (
            "Each activity's latest monitoring assessment inside its plan's period (its date in "
            "'Status as of')."
        )


def _secured_by(as_of: dt.date | None) -> Coalesce:
    """Money secured (committed or received) in the activity's currency, dated by `as_of` (all
    of it without a date): one correlated aggregate, as the funding tab sums it."""
    lines = FundingCommitment.objects.filter(
        activity=OuterRef("pk"),
        status__in=FundingCommitment.SECURED,
        currency=OuterRef("currency"),
    )
    if as_of is not None:
        lines = lines.filter(date__lte=as_of)
    total = lines.order_by().values("activity").annotate(total=Sum("amount")).values("total")
    return Coalesce(Subquery(total, output_field=MONEY), Value(Decimal("0")), output_field=MONEY)


def _latest_in_period(column: str, output_field=None) -> Subquery:
    """One column of the activity's latest assessment inside its plan's period."""
    latest = (
        Assessment.objects.filter(
            activity_id=OuterRef("pk"),
            as_of__gte=OuterRef("matrix__plan__period_start"),
            as_of__lte=OuterRef("matrix__plan__period_end"),
        )
        .order_by("-as_of")
        .values(column)[:1]
    )
    return Subquery(latest, output_field=output_field) if output_field else Subquery(latest)


def activities_for_export(scope: ExportScope, *, viewer: Any) -> QuerySet[Activity]:
    """The activities of the scope that `viewer` may list, with what the rows need: three
    queries (see `activities.selectors.activity_list`); the status, its reasons and date, the
    secured funding on the scope's date, the activity's tiers and the viewer's partnership are
    read in the first."""
    filters = dict(scope.filters)
    if scope.plan_id:
        filters["plan"] = scope.plan_id
    activities = with_sight(
        activity_selectors.activity_list(filters=filters or None, viewer=viewer).filter(
            visible_activities(viewer)
        ),
        viewer,
    )
    if scope.as_of is not None:
        on, current = scope.as_of, scope.current
        activities = activities.annotate(
            status_on=in_effect("pk", on, "status", current=current),
            reasons_on=in_effect("pk", on, "reasons", JSONField(), current=current),
            status_as_of_on=in_effect("pk", on, "as_of", current=current),
        )
    else:
        activities = activities.annotate(
            status_on=_latest_in_period("status"),
            reasons_on=_latest_in_period("reasons", JSONField()),
            status_as_of_on=_latest_in_period("as_of"),
        )
    return activities.annotate(secured_on=_secured_by(scope.as_of)).order_by(
        "matrix__plan_id", "code"
    )


def add_columns(columns: Mapping[str, ColumnReader], *, group: str) -> None:
    """Add columns to the export, from an app above this one (its AppConfig.ready()), so that
    this app need not import it; their cells are of the field group `group`, withheld from who
    may not see it. The same reader again is no change (Django runs ready() again when tests
    change INSTALLED_APPS)."""
    if group not in FIELD_GROUPS:
        raise ValueError(f"{group!r} is not a field group.")
    for title, reader in columns.items():
        if title in HEADER or _ADDED_COLUMNS.get(title, (reader, group)) != (reader, group):
            raise ValueError(f"The export already has a column named {title!r}.")
        _ADDED_COLUMNS[title] = (reader, group)


def header() -> list[str]:
    """The column titles: HEADER, then the added columns in the order they were added."""
    return [*HEADER, *_ADDED_COLUMNS]


def safe_text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_TRIGGERS) else value


def _row(activity: Activity, as_of: dt.date | None, viewer: Any) -> list:
    sight = sight_of(viewer, activity)
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
    secured = (activity.secured_on or Decimal("0")).quantize(CENTS)
    required = activity.budget_required.quantize(CENTS)
    funding = sight.sees("funding")
    reasons = " | ".join(r.get("message", "") for r in activity.reasons_on or [])
    assessed_on = activity.status_as_of_on
    if isinstance(assessed_on, str):  # SQLite hands a subquery's date back as text
        assessed_on = dt.date.fromisoformat(assessed_on)
    return [
        as_of or assessed_on,
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
        STATUS_LABELS.get(activity.status_on, "Not assessed"),
        assessed_on,
        # The reasons name milestones, indicators and money; withheld cells are left empty.
        reasons if sight.sees_reasons or not reasons else REASONS_WITHHELD,
        activity.start_date,
        activity.end_date,
        activity.currency,
        required if funding else None,
        secured if funding else None,
        max(required - secured, Decimal("0")).quantize(CENTS) if funding else None,
    ]


def activity_rows(
    activities: Iterable[Activity], *, as_of: dt.date | None, viewer: Any
) -> list[list]:
    """The header and one row per activity (annotated by `activities_for_export`), with typed
    cells (dates, decimals, integers); the funding cells empty and the reasons withheld where
    `viewer` may not see them, and so each added column's cells where the viewer may not see its
    field group. Each added column's reader runs once for all the rows."""
    activities = list(activities)
    ids = [activity.pk for activity in activities]
    added = [(reader(ids), group) for reader, group in _ADDED_COLUMNS.values()]
    rows = [header()]
    for activity in activities:
        sight = sight_of(viewer, activity)
        rows.append(
            [
                *_row(activity, as_of, viewer),
                *(
                    cells.get(activity.pk, "") if sight.sees(group) else ""
                    for cells, group in added
                ),
            ]
        )
    return rows


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


def to_xlsx(rows: Sequence[Sequence], *, scope: ExportScope) -> bytes:
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
    dates = {index for index, title in enumerate(header) if title in DATE_COLUMNS}
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
    about.append(["As of", scope.as_of.isoformat() if scope.as_of else "latest in each period"])
    about.append(["Exported at", timezone.now().strftime("%Y-%m-%d %H:%M UTC")])
    about.append(["Activities", len(body)])
    if scope.filters:
        listed = "; ".join(f"{key}={value}" for key, value in sorted(scope.filters.items()))
        about.append(["Filters", listed])
    about.append(["Status", scope.description])
    when = f"dated on or before {scope.as_of.isoformat()}" if scope.as_of else "to date"
    about.append(["Funding secured", f"Committed or received, in the activity's currency, {when}."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
