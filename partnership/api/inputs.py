"""Strict parsing of what API clients send: query parameters through a serializer (every error
at once, 400 with the parameter named), ids and dates held to `partnership.limits`.

Hand parsing (`int(x) if x.isdigit() else None`) answered 500 for `?plan=²`, which passes
`isdigit()` and fails `int()`, and silently ignored other bad values; a serializer names each
bad parameter instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import SkipField
from rest_framework.request import Request
from rest_framework.serializers import Serializer

from partnership.limits import EARLIEST_DATE, ID_MAX, LATEST_DATE, validate_date_in_bounds

_WHOLE = re.compile(r"-?[0-9]{1,30}")
_BOUNDS = f"A date from {EARLIEST_DATE:%Y-%m-%d} to {LATEST_DATE:%Y-%m-%d}."


# OpenAPI has no minimum for a date: a pattern on the year says the bounds to clients and to
# schema-driven tools (schemathesis then knows 1833-06-21 is refused, not wrongly rejected).
DATE_PATTERN = r"^(19[0-9]{2}|20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$"
assert EARLIEST_DATE.year == 1900 and LATEST_DATE.year == 2100  # the pattern says these years


@extend_schema_field({"type": "string", "format": "date", "pattern": DATE_PATTERN})
class DateField(serializers.DateField):
    """An ISO date within the bounds of `partnership.limits` (its message says which; the schema
    says so in the field's description and its pattern)."""

    default_validators = [validate_date_in_bounds]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["iso-8601"])
        help_text = kwargs.get("help_text")
        kwargs["help_text"] = f"{help_text} {_BOUNDS}" if help_text else _BOUNDS
        super().__init__(**kwargs)


@extend_schema_field(
    {"type": "string", "format": "decimal", "pattern": r"^[0-9]{1,12}(\.[0-9]{1,2})?$"}
)
class AmountField(serializers.DecimalField):
    """An amount of money, 0 or more with two decimals: the schema's pattern says both (DRF's
    DecimalField publishes a pattern that admits a minus sign, whatever its min_value)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        "pattern": r"^(100(\.0{1,2})?|[0-9]{1,2}(\.[0-9]{1,2})?)$",
    }
)
class PercentField(serializers.DecimalField):
    """A percentage from 0 to 100 with two decimals: the schema's pattern says the bounds (DRF's
    DecimalField publishes them for a number only, and the API writes decimals as strings)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.update(max_digits=5, decimal_places=2, min_value=0, max_value=100)
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


def refuse_repeated(request: Request, *, lists: frozenset[str] = frozenset()) -> None:
    """400 for a parameter given more than once (`?plan=1&plan=2`), but for the `lists` that
    take several: reading only the last one, as a QueryDict does, would answer a question the
    client did not ask. And 400 for a value given without a name (`?=false`): whatever it meant,
    no parameter takes it."""
    if "" in request.query_params:
        raise serializers.ValidationError(
            {"query": [f"A value without a parameter name: “={request.query_params['']}”."]}
        )
    repeated = {
        name: ["Give this parameter once."]
        for name in request.query_params
        if name not in lists and len(request.query_params.getlist(name)) > 1
    }
    if repeated:
        raise serializers.ValidationError(repeated)


def refuse_empty(request: Request, names: frozenset[str]) -> None:
    """400 for any of `names` given with no value (`?status=`): "no value" is not one of the
    values a number or a choice may take, and skipping the filter would list everything."""
    empty = {
        name: ["Give a value, or leave the parameter out."]
        for name in names
        if request.query_params.get(name) == ""
    }
    if empty:
        raise serializers.ValidationError(empty)


def query(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The request's query parameters validated by `serializer_class`: a ValidationError (400)
    naming every bad parameter at once, else the parsed values (absent ones left out)."""
    refuse_repeated(request)
    serializer = serializer_class(data=request.query_params)
    # DRF reads `?state=` as "not given": it is a value, and not one a choice, an id or a date
    # may take.
    refuse_empty(
        request,
        frozenset(
            name
            for name, field in serializer.fields.items()
            if not getattr(field, "allow_blank", False)
        ),
    )
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- bodies: every error at once ----------------------------------------------------------------

Rules = Callable[[dict[str, Any]], Mapping[str, list[str]]]


def _valid_values(serializer: Serializer, data: Any) -> dict[str, Any]:
    """The fields of a refused input that were valid on their own, as the serializer would have
    given them. DRF stops at field errors (a serializer's validate() never runs beside them), so
    the cross-field and plausibility rules get their values from here."""
    if not isinstance(data, Mapping):
        return {}
    values: dict[str, Any] = {}
    for name, field in serializer.fields.items():
        if field.read_only or name in serializer.errors:
            continue
        try:
            values[name] = field.run_validation(field.get_value(data))
        except (ValidationError, DjangoValidationError, SkipField):
            continue
    return values


def validated(
    serializer_class: type[Serializer], data: Any, *, rules: Rules | None = None
) -> dict[str, Any]:
    """The input as the serializer validates it; otherwise 400 with every error at once: the
    fields the schema refuses and, for the fields that passed, what `rules` (the pure functions
    of an app's rules module, which its service applies too) say about them.

    The rules run here, in the view, rather than in a serializer's validate(): DRF calls validate()
    only when every field passed, which is exactly when the service reports the same rules itself
    (422); and the rules read the record being written (an activity's period, an indicator's
    kind), which the view has already loaded for the permission check."""
    serializer = serializer_class(data=data)
    if serializer.is_valid():
        return dict(serializer.validated_data)
    errors = dict(serializer.errors)
    if rules is not None:
        for field, messages in rules(_valid_values(serializer, data)).items():
            errors.setdefault(field, messages)
    raise ValidationError(errors)
