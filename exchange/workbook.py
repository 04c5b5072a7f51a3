"""The Activity Matrix as an XLSX workbook (openpyxl), written and read back.

The download is the upload template: a readme sheet, one sheet per kind of record (the columns of
`exchange.columns.SHEETS`) and a hidden sheet with the drop-downs' values. Identifier and text
columns are formatted as text ('@') down the whole column, so a code typed as 007 or 16.10 stays
as typed; text cells are stored as strings even when they start with "=" (an activity title never
runs as a formula, and it reads back as written); choice columns carry a drop-down.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from exchange.columns import (
    LISTS_SHEET,
    MANIFEST_SHEET,
    README_SHEET,
    SHEETS,
    SHEETS_BY_NAME,
    TEXT_KINDS,
    Kind,
    Sheet,
    escape_text,
)
from exchange.selectors import PlanRows

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows below the data that keep the columns' formats and drop-downs, for rows typed in.
TEMPLATE_ROWS = 1000
BOLD = Font(bold=True)
BOOKKEEPING = PatternFill("solid", fgColor="EEEEEE")  # id and version: leave as they are


def _number_format(kind: Kind) -> str | None:
    if kind in TEXT_KINDS:
        return "@"
    return {
        Kind.DATE: "yyyy-mm-dd",
        Kind.DECIMAL: "0.00",
        Kind.VERSION: "@",
    }.get(kind)


def _cell(sheet: Any, value: Any, *, kind: Kind | None = None, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, tuple):
        value = ", ".join(value)
    if isinstance(value, str):
        value = escape_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    if kind is not None:
        if isinstance(value, str) and kind in TEXT_KINDS | {Kind.VERSION}:
            # A string, not a formula, whatever it starts with; Excel shows it as text too.
            cell.data_type = "s"
            if value.startswith("="):
                cell.quotePrefix = True
        if fmt := _number_format(kind):
            cell.number_format = fmt
        if kind in (Kind.ID, Kind.VERSION):
            cell.fill = BOOKKEEPING
    if bold:
        cell.font = BOLD
    return cell


def _write_readme(workbook: Workbook, rows: PlanRows) -> None:
    sheet = workbook.create_sheet(README_SHEET)
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 26
    sheet.column_dimensions["C"].width = 110
    plan = rows.plan
    title = _cell(sheet, f"Activity Matrix of “{plan.title}” (plan {plan.pk})")
    title.font = Font(bold=True, size=13)
    sheet.append([title])
    for line in (
        "This file is also the upload template: edit it and upload it on the plan's "
        "“Upload spreadsheet” page, with `manage.py import_matrix`, or through the API.",
        "An upload first shows a dry run: every row added, changed (old and new value of each "
        "cell), unchanged, in conflict or in error. Nothing is written until a manager confirms.",
        "Leave id and version as they are; leave them empty on a new row. A record someone else "
        "changed since this download is reported as a conflict, not overwritten.",
        "Rows deleted from a sheet are left alone or removed, as the manager chooses on upload.",
        "Not carried here (edit them in the application): priorities, liaison officers, "
        "measurements, progress updates and the monitoring status.",
    ):
        sheet.append([line])
    sheet.append([])
    sheet.append([_cell(sheet, h, bold=True) for h in ("Sheet", "Column", "What it holds")])
    for spec in SHEETS:
        sheet.append([spec.name, "", spec.help])
        for column in spec.columns:
            allowed = f" Allowed: {', '.join(column.choices)}." if column.choices else ""
            sheet.append([spec.name, column.name, column.help + allowed])


def _lists(rows: PlanRows) -> dict[str, list[str]]:
    lists: dict[str, list[str]] = dict(rows.lists)
    for spec in SHEETS:
        for column in spec.columns:
            if column.choices:
                lists[f"{spec.name}.{column.name}"] = list(column.choices)
    return dict(sorted(lists.items()))


def _list_ranges(lists: dict[str, list[str]]) -> dict[str, str]:
    """Where each drop-down's values are on the lists sheet: one column per list."""
    ranges = {}
    for index, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        ranges[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${max(len(values) + 1, 2)}"
    return ranges


def _write_lists(workbook: Workbook, lists: dict[str, list[str]]) -> None:
    """The hidden sheet of drop-down values."""
    sheet = workbook.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    sheet.append([_cell(sheet, name, bold=True) for name in lists])
    for depth in range(max((len(v) for v in lists.values()), default=0)):
        sheet.append(
            [
                _cell(sheet, values[depth], kind=Kind.CODE) if depth < len(values) else None
                for values in lists.values()
            ]
        )


def _write_sheet(workbook: Workbook, spec: Sheet, rows: PlanRows, ranges: dict[str, str]) -> None:
    """Written row by row (a write-only worksheet: a plan of 10,000 activities is 130,000 rows);
    the column formats and drop-downs are declared before the rows."""
    sheet = workbook.create_sheet(spec.name)
    sheet.freeze_panes = "A2"
    records = rows.rows.get(spec.name, {})
    last = len(records) + 1 + TEMPLATE_ROWS
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = 40 if column.kind == Kind.TEXT else 16
        if fmt := _number_format(column.kind):
            dimension.number_format = fmt  # rows typed in below the data, too
        key = column.choices_from or (f"{spec.name}.{column.name}" if column.choices else "")
        if key:
            validation = DataValidation(
                type="list",
                formula1=ranges[key],
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=f"{column.name}: not on the list",
                error=f"Pick a value of the list for {column.name}.",
            )
            validation.add(f"{letter}2:{letter}{last}")
            sheet.data_validations.append(validation)
    sheet.append([_cell(sheet, name, bold=True) for name in spec.names])
    for values in records.values():
        sheet.append([_cell(sheet, values[c.name], kind=c.kind) for c in spec.columns])


def _write_manifest(workbook: Workbook, rows: PlanRows) -> None:
    """The hidden list of every record the download holds, with its version: an upload then
    tells a record deleted from the file (to remove, if the manager says so) from one added
    since the download (kept), and one changed since the download (a conflict, not removed)."""
    sheet = workbook.create_sheet(MANIFEST_SHEET)
    sheet.sheet_state = "hidden"
    sheet.append(["sheet", "id", "version"])
    for spec in SHEETS:
        for pk, values in rows.rows.get(spec.name, {}).items():
            sheet.append([spec.name, pk, _cell(sheet, values["version"], kind=Kind.VERSION)])


def write_workbook(rows: PlanRows) -> bytes:
    """The plan's Activity Matrix workbook (see the module docstring)."""
    workbook = Workbook(write_only=True)
    lists = _lists(rows)
    ranges = _list_ranges(lists)
    _write_readme(workbook, rows)
    for spec in SHEETS:
        _write_sheet(workbook, spec, rows, ranges)
    _write_lists(workbook, lists)
    _write_manifest(workbook, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_name(rows: PlanRows) -> str:
    return f"activity-matrix-plan-{rows.plan.pk}.xlsx"


# --- reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawRow:
    sheet: str
    number: int  # the row number a spreadsheet program shows
    cells: dict[str, Any]  # column name -> the cell's value as openpyxl read it


@dataclass(frozen=True)
class FileProblem:
    sheet: str
    row: int | None
    column: str | None
    message: str


class UnreadableFile(ValueError):
    """Not an XLSX workbook at all."""


Manifest = dict[tuple[str, int], str]  # (sheet, id) -> version when downloaded


def read_workbook(content: bytes) -> tuple[list[RawRow], list[FileProblem], Manifest | None]:
    """The data rows of every sheet, with the problems of the file's shape (a sheet or a column
    missing, a column the template does not have): all of them, not the first. Empty rows are
    skipped. And the manifest of the download, when the file still has it. Raises
    UnreadableFile."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException…
        raise UnreadableFile(f"Not an XLSX workbook ({exc.__class__.__name__}).") from exc
    rows: list[RawRow] = []
    problems: list[FileProblem] = []
    manifest = None
    try:
        for spec in SHEETS:
            if spec.name not in workbook.sheetnames:
                problems.append(FileProblem(spec.name, None, None, "The sheet is missing."))
                continue
            rows.extend(_read_sheet(workbook[spec.name], spec, problems))
        for name in workbook.sheetnames:
            if name not in SHEETS_BY_NAME and name not in (
                README_SHEET,
                LISTS_SHEET,
                MANIFEST_SHEET,
            ):
                problems.append(FileProblem(name, None, None, "Not a sheet of the template."))
        if MANIFEST_SHEET in workbook.sheetnames:
            lines = workbook[MANIFEST_SHEET].iter_rows(min_row=2, values_only=True)
            manifest = {
                (str(sheet), int(pk)): str(version)
                for sheet, pk, version, *_ in lines
                if sheet and isinstance(pk, int | float)
            }
    finally:
        workbook.close()
    return rows, problems, manifest


def _read_sheet(sheet: Any, spec: Sheet, problems: list[FileProblem]) -> Iterator[RawRow]:
    lines = sheet.iter_rows(values_only=True)
    header = next(lines, None) or ()
    names = [str(h).strip() if h is not None else "" for h in header]
    positions = {name: index for index, name in enumerate(names) if name}
    for name in spec.names:
        if name not in positions:
            problems.append(FileProblem(spec.name, 1, name, "The column is missing."))
    for name in positions:
        if name not in spec.names:
            problems.append(FileProblem(spec.name, 1, name, "Not a column of the template."))
    if any(name not in positions for name in spec.names):
        return
    for number, line in enumerate(lines, start=2):
        if all(value is None or value == "" for value in line):
            continue
        cells = {
            name: line[positions[name]] if positions[name] < len(line) else None
            for name in spec.names
        }
        yield RawRow(spec.name, number, cells)
