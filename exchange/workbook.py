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
from openpyxl.styles import Alignment, Font, PatternFill
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


def _write_readme(workbook: Workbook, rows: PlanRows) -> None:
    sheet = workbook.create_sheet(README_SHEET)
    plan = rows.plan
    sheet.append([f"Activity Matrix of “{plan.title}” (plan {plan.pk})"])
    sheet["A1"].font = Font(bold=True, size=13)
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
    sheet.append(["Sheet", "Column", "What it holds"])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for spec in SHEETS:
        sheet.append([spec.name, "", spec.help])
        for column in spec.columns:
            allowed = f" Allowed: {', '.join(column.choices)}." if column.choices else ""
            sheet.append([spec.name, column.name, column.help + allowed])
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 26
    sheet.column_dimensions["C"].width = 110


def _write_lists(workbook: Workbook, rows: PlanRows) -> dict[str, str]:
    """The hidden sheet of drop-down values; returns each list's range by name."""
    sheet = workbook.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    lists: dict[str, list[str]] = dict(rows.lists)
    for spec in SHEETS:
        for column in spec.columns:
            if column.choices:
                lists[f"{spec.name}.{column.name}"] = list(column.choices)
    ranges = {}
    for index, (name, values) in enumerate(sorted(lists.items()), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=name).font = BOLD
        for offset, value in enumerate(values, start=2):
            cell = sheet.cell(row=offset, column=index, value=value)
            cell.data_type = "s"
            cell.number_format = "@"
        last = max(len(values) + 1, 2)
        ranges[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${last}"
    return ranges


def _set(cell: Any, value: Any, kind: Kind) -> None:
    if isinstance(value, tuple):
        value = ", ".join(value)
    if isinstance(value, str):
        value = escape_text(value)
    cell.value = value
    if kind in TEXT_KINDS and isinstance(value, str):
        # A string, not a formula, whatever it starts with; Excel shows it as text too.
        cell.data_type = "s"
        if value.startswith("="):
            cell.quotePrefix = True


def _write_sheet(workbook: Workbook, spec: Sheet, rows: PlanRows, ranges: dict[str, str]) -> None:
    sheet = workbook.create_sheet(spec.name)
    sheet.append(list(spec.names))
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "A2"
    records = rows.rows.get(spec.name, {})
    formats = [_number_format(column.kind) for column in spec.columns]
    # Rows counted here: worksheet.max_row looks at every cell, each time it is read.
    for row, values in enumerate(records.values(), start=2):
        for index, column in enumerate(spec.columns, start=1):
            cell = sheet.cell(row=row, column=index)
            _set(cell, values[column.name], column.kind)
            if formats[index - 1]:
                cell.number_format = formats[index - 1]
    data_rows = len(records) + 1
    last = data_rows + TEMPLATE_ROWS
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = 40 if column.kind == Kind.TEXT else 16
        if fmt := _number_format(column.kind):
            dimension.number_format = fmt  # rows typed in below the data, too
        if column.kind in (Kind.ID, Kind.VERSION):
            for row in range(1, data_rows + 1):
                sheet.cell(row=row, column=index).fill = BOOKKEEPING
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
            sheet.add_data_validation(validation)
    for cell in sheet[1]:
        cell.alignment = Alignment(vertical="top")


def _write_manifest(workbook: Workbook, rows: PlanRows) -> None:
    """The hidden list of every record the download holds, with its version: an upload then
    tells a record deleted from the file (to remove, if the manager says so) from one added
    since the download (kept), and one changed since the download (a conflict, not removed)."""
    sheet = workbook.create_sheet(MANIFEST_SHEET)
    sheet.sheet_state = "hidden"
    sheet.append(["sheet", "id", "version"])
    row = 1
    for spec in SHEETS:
        for pk, values in rows.rows.get(spec.name, {}).items():
            row += 1
            sheet.cell(row=row, column=1, value=spec.name)
            sheet.cell(row=row, column=2, value=pk)
            sheet.cell(row=row, column=3, value=values["version"]).data_type = "s"


def write_workbook(rows: PlanRows) -> bytes:
    """The plan's Activity Matrix workbook (see the module docstring)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _write_readme(workbook, rows)
    ranges = _write_lists(workbook, rows)
    for spec in SHEETS:
        _write_sheet(workbook, spec, rows, ranges)
    workbook.move_sheet(LISTS_SHEET, offset=len(SHEETS))  # last, after the data sheets
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
