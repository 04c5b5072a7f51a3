"""What an upload found and did: every row with its outcome, the rows missing from the file,
every problem. Plain data; the page, the command and the API show the same report."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from exchange.columns import SHEETS


class Outcome(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"  # changed since the download: not overwritten
    ERROR = "error"


class MissingRows(StrEnum):
    """What happens to records of the plan that the file does not list: the manager's choice."""

    KEEP = "keep"
    REMOVE = "remove"


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None  # as a spreadsheet program numbers it; None for the sheet as a whole
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.sheet
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Change:
    column: str
    old: str
    new: str


@dataclass
class RowReport:
    sheet: str
    row: int
    id: int | None
    label: str
    outcome: Outcome
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    conflict: str = ""  # why the row is in conflict, when it is


@dataclass(frozen=True)
class MissingRecord:
    sheet: str
    id: int
    label: str
    action: str  # "kept", "removed" or "conflict" (changed since the download: not removed)
    note: str = ""


@dataclass
class Report:
    plan_id: int
    missing_rows: MissingRows
    rows: list[RowReport] = field(default_factory=list)
    missing: list[MissingRecord] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    # Problems of writes not tied to one row's cells, e.g. removing a record missing from the file.
    other_problems: list[Problem] = field(default_factory=list)
    applied: bool = False

    @property
    def problems(self) -> list[Problem]:
        return [
            *self.file_problems,
            *(p for r in self.rows for p in r.problems),
            *self.other_problems,
        ]

    @property
    def conflicts(self) -> list[RowReport]:
        return [r for r in self.rows if r.outcome == Outcome.CONFLICT]

    @property
    def can_apply(self) -> bool:
        missing_conflicts = any(m.action == "conflict" for m in self.missing)
        return not self.problems and not self.conflicts and not missing_conflicts

    @property
    def change_count(self) -> int:
        removed = sum(1 for m in self.missing if m.action == "removed")
        changed = (Outcome.ADDED, Outcome.CHANGED)
        return sum(1 for r in self.rows if r.outcome in changed) + removed

    def counts(self) -> dict[str, dict[str, int]]:
        """Per sheet: rows by outcome, and the missing records kept or removed."""
        keys = [*(o.value for o in Outcome), "kept", "removed"]
        result = {s.name: dict.fromkeys(keys, 0) for s in SHEETS}
        for (sheet, outcome), number in Counter(
            (r.sheet, r.outcome.value) for r in self.rows
        ).items():
            result[sheet][outcome] += number
        for m in self.missing:
            result[m.sheet][m.action] += 1
        return result

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan_id,
            "missing_rows": self.missing_rows.value,
            "applied": self.applied,
            "can_apply": self.can_apply,
            "changes": self.change_count,
            "counts": self.counts(),
            "errors": [asdict(p) for p in self.problems],
            "conflicts": [
                {
                    "sheet": r.sheet,
                    "row": r.row,
                    "id": r.id,
                    "label": r.label,
                    "message": r.conflict,
                }
                for r in self.conflicts
            ],
            "rows": [
                {
                    "sheet": r.sheet,
                    "row": r.row,
                    "id": r.id,
                    "label": r.label,
                    "outcome": r.outcome.value,
                    "changes": [asdict(c) for c in r.changes],
                    "errors": [asdict(p) for p in r.problems],
                    "conflict": r.conflict,
                }
                for r in self.rows
            ],
            "missing": [asdict(m) for m in self.missing],
        }


def as_text(report: Report) -> str:
    """The report for a terminal: the counts, then every row that is not unchanged."""
    lines = []
    for sheet, counts in report.counts().items():
        listed = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
        lines.append(f"{sheet}: {listed or 'no rows'}")
    for r in report.rows:
        if r.outcome == Outcome.UNCHANGED:
            continue
        lines.append(f"{r.sheet} row {r.row} ({r.label}): {r.outcome.value}")
        lines.extend(f"    {c.column}: “{c.old}” → “{c.new}”" for c in r.changes)
        if r.conflict:
            lines.append(f"    conflict: {r.conflict}")
    for m in report.missing:
        note = f" ({m.note})" if m.note else ""
        lines.append(f"{m.sheet} id {m.id} ({m.label}): not in the file, {m.action}{note}")
    problems = report.problems
    if problems:
        lines.append(f"{len(problems)} error(s):")
        lines.extend(f"  - {p}" for p in problems)
    return "\n".join(lines)
