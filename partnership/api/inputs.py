"""Strict parsing of what API clients send: query parameters through a serializer (every error
at once, 400 with the parameter named), ids and dates held to `partnership.limits`.

Hand parsing (`int(x) if x.isdigit() else None`) answered 500 for `?plan=²`, which passes
`isdigit()` and fails `int()`, and silently ignored other bad values; a serializer names each
bad parameter instead.
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from partnership.limits import EARLIEST_DATE, ID_MAX, LATEST_DATE, validate_date_in_bounds

_WHOLE = re.compile(r"-?[0-9]{1,30}")
_BOUNDS = f"A date from {EARLIEST_DATE:%Y-%m-%d} to {LATEST_DATE:%Y-%m-%d}."


class DateField(serializers.DateField):
    """An ISO date within the bounds of `partnership.limits` (its message says which; the schema
    says so in the field's description, as OpenAPI has no bounds for dates)."""

    default_validators = [validate_date_in_bounds]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["iso-8601"])
        help_text = kwargs.get("help_text")
        kwargs["help_text"] = f"{help_text} {_BOUNDS}" if help_text else _BOUNDS
        super().__init__(**kwargs)


class IntegerField(serializers.IntegerField):
    """A whole number written in ASCII digits (or a JSON integer): DRF's own field, through
    int(), also reads "٣" as 3 and " 7" as 7, which no client means."""

    default_error_messages = {"invalid": "Give a whole number."}

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, str) and not _WHOLE.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class IdField(IntegerField):
    """The id of a record, 1 … 2^63-1."""

    default_error_messages = {"invalid": "Give the id as a whole number."}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


def query(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The request's query parameters validated by `serializer_class`: a ValidationError (400)
    naming every bad parameter at once, else the parsed values (absent ones left out)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
