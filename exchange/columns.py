"""The sheets and columns of the Activity Matrix workbook, and how one cell is read.

One list (`SHEETS`) is the layout of the download, of the upload template (the same file), of the
readme sheet and of the reader, so the file a manager downloads is always one they can upload.

Every cell has one canonical Python value per column kind, read the same way from the database
(`exchange.selectors`) and from a file (`parse`), so "unchanged" means equal values, whatever a
spreadsheet program did to the cell's type (a code typed as 007 and kept as text, a date typed as
a date or as text, a whole amount saved as an integer).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from activities.models import Activity, ActivityParticipation, FundingCommitment, Indicator

CENTS = Decimal("0.01")


class Kind(StrEnum):
    ID = "id"  # the record's database id: empty for a new row
    VERSION = "version"  # the record's version when downloaded (the optimistic check)
    CODE = "code"  # an identifier: stored as text so no spreadsheet turns it into a number
    TEXT = "text"
    CHOICE = "choice"  # one of a list, offered as a drop-down
    CODES = "codes"  # several identifiers, separated by commas
    DATE = "date"
    DECIMAL = "decimal"
    INTEGER = "integer"
    BOOLEAN = "boolean"


TEXT_KINDS = frozenset({Kind.CODE, Kind.TEXT, Kind.CHOICE, Kind.CODES})


class CellError(ValueError):
    """A cell that cannot be read as its column's kind."""


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    help: str
    # A static list of choices, or the name of a list the workbook fills from the database
    # (thematic_areas, organizations); both become a drop-down.
    choices: tuple[str, ...] = ()
    choices_from: str = ""
    # The model field a service's error names, when it is not the column's name.
    field: str = ""
    upper: bool = False  # read in upper case, as the services store it (currency codes)

    @property
    def model_field(self) -> str:
        return self.field or self.name


@dataclass(frozen=True)
class Sheet:
    name: str
    help: str
    columns: tuple[Column, ...]
    # The column naming the activity a row hangs off (empty on the activities sheet).
    parent: str = "activity"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _choices(text_choices: Any) -> tuple[str, ...]:
    return tuple(text_choices.values)


ID = Column("id", Kind.ID, "The record's id. Leave it as it is; empty for a new row.")
ACTIVITY = Column(
    "activity",
    Kind.CODE,
    "The code of the activity this row belongs to, as on the activities sheet.",
)
BOOLEAN = ("TRUE", "FALSE")

ACTIVITIES = Sheet(
    "activities",
    "One row per activity of the plan's Activity Matrix.",
    (
        ID,
        Column(
            "version",
            Kind.VERSION,
            "The activity's version when downloaded. Leave it: an activity changed by someone "
            "else since then is reported as a conflict, not overwritten. Empty for a new row.",
        ),
        Column(
            "matrix_edition",
            Kind.INTEGER,
            "The edition of the plan's Activity Matrix the activity is listed in.",
        ),
        Column("code", Kind.CODE, "The activity's code, unique in its matrix (kept as text)."),
        Column("title", Kind.TEXT, "The activity's title."),
        Column("description", Kind.TEXT, "What the activity does."),
        Column(
            "thematic_area",
            Kind.CHOICE,
            "The code of one of the six thematic areas.",
            choices_from="thematic_areas",
        ),
        Column(
            "cooperation_type",
            Kind.CHOICE,
            "joint or complementary.",
            choices=_choices(Activity.CooperationType),
        ),
        Column(
            "horizon", Kind.CHOICE, "current or aspirational.", choices=_choices(Activity.Horizon)
        ),
        Column(
            "lifecycle",
            Kind.CHOICE,
            "The IATI activity status: pipeline, implementation, finalisation, closed, cancelled "
            "or suspended.",
            choices=_choices(Activity.Lifecycle),
        ),
        Column("start_date", Kind.DATE, "First day, as a date or YYYY-MM-DD; may be empty."),
        Column("end_date", Kind.DATE, "Last day, after the start; may be empty."),
        Column("budget_required", Kind.DECIMAL, "The money the activity needs, 0 or more."),
        Column("currency", Kind.CODE, "ISO 4217 code of the budget, e.g. USD, EUR.", upper=True),
        Column("topics", Kind.CODES, "Topic codes, separated by commas; may be empty."),
        Column(
            "sdg_targets",
            Kind.CODES,
            "SDG target codes, e.g. 16.4, 16.a, separated by commas (kept as text: 16.10 stays "
            "16.10).",
        ),
    ),
    parent="",
)

PARTICIPATIONS = Sheet(
    "participations",
    "The organizations taking part in each activity: exactly one lead per activity.",
    (
        ID,
        Column(
            "version",
            Kind.VERSION,
            "The activity's version: participations are part of the activity's record.",
        ),
        ACTIVITY,
        Column(
            "organization",
            Kind.CHOICE,
            "The organization's acronym.",
            choices_from="organizations",
        ),
        Column(
            "role",
            Kind.CHOICE,
            "lead, partner or supporting.",
            choices=_choices(ActivityParticipation.Role),
        ),
        Column("contribution", Kind.TEXT, "What the organization brings."),
    ),
)

MILESTONES = Sheet(
    "milestones",
    "The milestones of each activity.",
    (
        ID,
        Column("version", Kind.VERSION, "The milestone's version when downloaded."),
        ACTIVITY,
        Column("title", Kind.TEXT, "What is reached."),
        Column("due_date", Kind.DATE, "When it is due, inside the activity's period."),
        Column("completed_on", Kind.DATE, "When it was reached; empty while open."),
        Column("weight", Kind.INTEGER, "Its weight in the activity's progress, 1 or more."),
        Column(
            "outside_period_confirmed",
            Kind.BOOLEAN,
            "TRUE to confirm a due date outside the activity's period.",
            choices=BOOLEAN,
        ),
    ),
)

INDICATORS = Sheet(
    "indicators",
    "The indicators of each activity (their measurements are recorded in the application).",
    (
        ID,
        Column("version", Kind.VERSION, "The indicator's version when downloaded."),
        ACTIVITY,
        Column("name", Kind.TEXT, "What is measured."),
        Column("unit", Kind.TEXT, "The unit, e.g. officers trained."),
        Column(
            "kind",
            Kind.CHOICE,
            "count (whole, 0 or more), percentage (0-100) or number.",
            choices=_choices(Indicator.Kind),
        ),
        Column(
            "direction",
            Kind.CHOICE,
            "increase or decrease: which way the target lies from the baseline.",
            choices=_choices(Indicator.Direction),
        ),
        Column("baseline", Kind.DECIMAL, "The value at the baseline date."),
        Column("baseline_date", Kind.DATE, "The date of the baseline."),
        Column("target", Kind.DECIMAL, "The value aimed at by the target date."),
        Column("target_date", Kind.DATE, "The date of the target, after the baseline date."),
    ),
)

FUNDING = Sheet(
    "funding",
    "Funding commitments of donors to each activity.",
    (
        ID,
        Column(
            "version",
            Kind.VERSION,
            "A fingerprint of the line when downloaded (funding lines keep no version number). "
            "Leave it as it is.",
        ),
        ACTIVITY,
        Column("donor", Kind.CHOICE, "The donor's acronym.", choices_from="organizations"),
        Column("amount", Kind.DECIMAL, "The amount, more than 0."),
        Column("currency", Kind.CODE, "ISO 4217 code, e.g. USD.", upper=True),
        Column(
            "status",
            Kind.CHOICE,
            "approached, pledged, committed or received.",
            choices=_choices(FundingCommitment.Status),
        ),
        Column("date", Kind.DATE, "The date of the commitment."),
    ),
)

SHEETS: tuple[Sheet, ...] = (ACTIVITIES, PARTICIPATIONS, MILESTONES, INDICATORS, FUNDING)
SHEETS_BY_NAME = {sheet.name: sheet for sheet in SHEETS}
README_SHEET = "readme"
LISTS_SHEET = "lists"  # the drop-downs' values, hidden
MANIFEST_SHEET = "manifest"  # the records of the download with their versions, hidden


# --- characters a worksheet cannot hold ----------------------------------------------------------

# Control characters are not allowed in a worksheet's XML; OOXML writes them as _xHHHH_ (and a
# literal "_xHHHH_" as "_x005F_xHHHH_"), which Excel and LibreOffice read back as the character.
# The workbook stores text that way, so a title holding one downloads (instead of failing) and
# reads back as it was.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def escape_text(text: str) -> str:
    return _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def unescape_text(text: str) -> str:
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


# --- reading one cell -----------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        raise CellError("Expected text, got a date.")
    return unescape_text(str(value))


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            raise CellError("Expected a date without a time.")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CellError(f"“{value}” is not a date (use a date cell or YYYY-MM-DD).")


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(f"“{value}” is not a number.")
    try:
        # str() of a float is its shortest exact spelling: 1234.56 stays 1234.56.
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise CellError(f"“{value}” is not a number.") from None
    if not number.is_finite():
        raise CellError(f"“{value}” is not a number.")
    rounded = number.quantize(CENTS)
    if rounded != number:
        raise CellError(f"“{value}” has more than two decimals.")
    return rounded


def _integer(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(f"“{value}” is not a whole number.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise CellError(f"“{value}” is not a whole number.")


def _boolean(value: Any) -> bool:
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise CellError(f"“{value}” is not TRUE or FALSE.")


def parse(column: Column, value: Any) -> Any:
    """The canonical value of a cell of `column`; CellError when it cannot be one."""
    kind = column.kind
    if kind in (Kind.ID, Kind.INTEGER):
        return _integer(value)
    if kind == Kind.VERSION:
        return _text(value).strip()
    if kind == Kind.TEXT:
        return _text(value)
    if kind in (Kind.CODE, Kind.CHOICE):
        text = _text(value).strip()
        if column.upper:
            text = text.upper()
        if column.choices and text and text not in column.choices:
            raise CellError(f"“{text}” is not one of {', '.join(column.choices)}.")
        return text
    if kind == Kind.CODES:
        return tuple(sorted({part.strip() for part in _text(value).split(",") if part.strip()}))
    if kind == Kind.DATE:
        return _date(value)
    if kind == Kind.DECIMAL:
        return _decimal(value)
    if kind == Kind.BOOLEAN:
        return _boolean(value)
    raise AssertionError(kind)


def shown(value: Any) -> str:
    """A canonical value as the dry-run report shows it."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
