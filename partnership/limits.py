"""The bounds every input is held to, in one place: the models' validators, the page forms, the API
serializers and the plan import all read them, so a value refused on one path is refused on all.

Why bounds at all: a date such as 9999-12-31 is a valid `date`, but the monitoring code adds days
to the dates it reads (`as_of + 1 day`, due date + grace), which overflows past year 9999 and
answered 500; a year-1 date does the same going backwards. No activity of a partnership lies
outside 1900–2100, so dates outside are typing mistakes, and refusing them with a message beside
the field is kinder than storing them. Text caps are the pages' own (10,000 characters for a
narrative): the API took 2 MB where the form took 10,000, so what one path saved the other could
not edit.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)

# Characters, as the page forms cap them.
LONG_TEXT_MAX = 10_000  # narratives, descriptions, contributions, rationales
RISKS_MAX = 5_000
NOTE_MAX = 2_000  # a reviewer's note, the reason for a status override

# Ids are PostgreSQL bigints (the largest primary key any table can hold).
ID_MAX = 2**63 - 1
# ASCII digits only: str.isdigit() accepts "²" and int() then fails (an error 500). Capped in
# length so a megabyte of digits is not turned into an int.
_DIGITS = re.compile(r"[0-9]{1,30}")

DATE_OUT_OF_BOUNDS = f"Choose a date from {EARLIEST_DATE:%Y-%m-%d} to {LATEST_DATE:%Y-%m-%d}."


def validate_date_in_bounds(value: dt.date | None) -> None:
    """Model, form and serializer validator: the date lies in EARLIEST_DATE..LATEST_DATE."""
    if value is None:
        return
    if isinstance(value, dt.datetime):
        value = value.date()
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(DATE_OUT_OF_BOUNDS, code="date_out_of_bounds")


@deconstructible
class TextLengthValidator(MaxLengthValidator):
    """MaxLengthValidator with the message the page forms give (for model TextFields, which
    Django does not cap on its own: a TextField's max_length only reaches its form widget)."""

    message = "Keep this to %(limit_value)s characters or fewer (it has %(show_value)s)."


def parse_id(raw: object) -> int | None:
    """`raw` as an id (1 … ID_MAX) if it is written as one in ASCII digits, else None."""
    if not isinstance(raw, str) or not _DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if 1 <= value <= ID_MAX else None


class BoundedDateField(forms.DateField):
    """A form's date, within the bounds (the message says which)."""

    default_validators = [validate_date_in_bounds]


class IdField(forms.IntegerField):
    """A form's id parameter (e.g. `?plan=`): ASCII digits, 1 … ID_MAX. forms.IntegerField
    alone takes "٣" as 3 and hands 10**30 to the database driver, which cannot send it."""

    default_error_messages = {"invalid": "Give the id as a whole number."}

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, int) and not _DIGITS.fullmatch(str(value).strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)
