"""What input is plausible for the records of an activity: pure functions over plain values.

No ORM, no request: the services call them before every write (so pages, API, admin and the plan
importer all get them), and the forms and the API call them again for input whose other fields
were refused, so a person sees every error at once. Each function returns `{field: [messages]}`
(empty when all is well); a message says what is allowed, not only what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

Errors = dict[str, list[str]]

CURRENCY = re.compile(r"^[A-Z]{3}$")


class IndicatorKind:
    """What an indicator's values can be. Plain strings, so rules need no model; the model's
    TextChoices (activities.models.Indicator.Kind) are made of them."""

    COUNT = "count"  # a whole number, never negative: officers trained, seizures
    PERCENTAGE = "percentage"  # 0 to 100
    NUMBER = "number"  # any value the field holds: tonnes, a ratio, a change


def day(value: dt.date) -> str:
    """A date as people read it: 1 Feb 2016."""
    return f"{value.day} {value:%b %Y}"


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    """The choice a person has, e.g. "from 1 Feb 2016 to 31 Dec 2016, the activity's period"."""
    if start and end:
        return f"from {day(start)} to {day(end)}, the activity's period"
    if start:
        return f"on or after {day(start)}, the activity's start"
    if end:
        return f"on or before {day(end)}, the activity's end"
    return "any date"


def inside(value: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether `value` lies inside the period (an open side allows anything on that side)."""
    return (start is None or value >= start) and (end is None or value <= end)


# --- activities -----------------------------------------------------------------------------------


def normalise_currency(code: str | None) -> str:
    """The one place a currency code is normalised: trimmed and upper case ("usd" is USD)."""
    return (code or "").strip().upper()


def currency_errors(code: str | None, *, field: str = "currency") -> Errors:
    if CURRENCY.match(normalise_currency(code)):
        return {}
    return {field: ["Use a three-letter ISO 4217 currency code, e.g. USD."]}


def activity_period_errors(*, start_date: dt.date | None, end_date: dt.date | None) -> Errors:
    if start_date and end_date and end_date <= start_date:
        return {"end_date": [f"The end date must be after the start date, {day(start_date)}."]}
    return {}


# --- progress updates -----------------------------------------------------------------------------


def update_period_errors(
    *,
    period_end: dt.date | None,
    activity_start: dt.date | None,
    activity_end: dt.date | None,
) -> Errors:
    """A progress update reports on a period ending inside the activity's period."""
    if period_end is None or inside(period_end, activity_start, activity_end):
        return {}
    return {"period_end": [f"Choose a date {period_text(activity_start, activity_end)}."]}


# --- milestones -----------------------------------------------------------------------------------


def milestone_due_errors(
    *,
    due_date: dt.date | None,
    activity_start: dt.date | None,
    activity_end: dt.date | None,
    outside_period_confirmed: bool = False,
) -> Errors:
    """A milestone is due inside the activity's period, unless the officer confirms that this one
    lies outside it (a follow-up meeting after the end, say)."""
    if due_date is None or outside_period_confirmed:
        return {}
    if inside(due_date, activity_start, activity_end):
        return {}
    return {
        "due_date": [
            f"Choose a date {period_text(activity_start, activity_end)}, or confirm that this "
            "milestone is due outside it."
        ]
    }


def milestone_needs_confirmation(
    *, due_date: dt.date | None, activity_start: dt.date | None, activity_end: dt.date | None
) -> bool:
    """Whether to offer the "due outside the activity's period" confirmation at all."""
    return due_date is not None and not inside(due_date, activity_start, activity_end)


# --- indicators -----------------------------------------------------------------------------------


def value_errors(kind: str, value: Decimal | None) -> list[str]:
    """What is wrong with one value of an indicator of this kind."""
    if value is None:
        return []
    whole = value == value.to_integral_value()
    if kind == IndicatorKind.COUNT and (value < 0 or not whole):
        return ["A count is a whole number, 0 or more."]
    if kind == IndicatorKind.PERCENTAGE and not Decimal(0) <= value <= Decimal(100):
        return ["A percentage lies from 0 to 100."]
    return []


def indicator_value_errors(*, kind: str, values: Mapping[str, Decimal | None]) -> Errors:
    """Each of `values` (baseline, target, a measurement's value…) checked against the kind."""
    errors: Errors = {}
    for field, value in values.items():
        if problems := value_errors(kind, value):
            errors[field] = problems
    return errors


def indicator_target_errors(
    *,
    direction: str | None,
    baseline: Decimal | None,
    target: Decimal | None,
    baseline_date: dt.date | None,
    target_date: dt.date | None,
) -> Errors:
    errors: Errors = {}
    if baseline is not None and target is not None:
        if direction == "increase" and not target > baseline:
            errors["target"] = ["For an increasing indicator the target must exceed the baseline."]
        if direction == "decrease" and not target < baseline:
            errors["target"] = ["For a decreasing indicator the target must be below the baseline."]
    if baseline_date and target_date and target_date <= baseline_date:
        errors["target_date"] = [
            f"The target date must be after the baseline date: choose a date after "
            f"{day(baseline_date)}."
        ]
    return errors


# --- every rule of one record, over the values a caller has ------------------------------------
#
# `values` maps field names to values; an absent field (one the form or the schema refused, or
# one a partial edit leaves out) skips the rules that need it, so the rest still report.


def activity_errors(values: Mapping[str, Any]) -> Errors:
    errors = activity_period_errors(
        start_date=values.get("start_date"), end_date=values.get("end_date")
    )
    if "currency" in values:
        errors = merge(errors, currency_errors(values["currency"]))
    return errors


def milestone_errors(
    values: Mapping[str, Any], *, activity_start: dt.date | None, activity_end: dt.date | None
) -> Errors:
    return milestone_due_errors(
        due_date=values.get("due_date"),
        activity_start=activity_start,
        activity_end=activity_end,
        outside_period_confirmed=bool(values.get("outside_period_confirmed")),
    )


def indicator_errors(values: Mapping[str, Any]) -> Errors:
    kind = values.get("kind") or IndicatorKind.NUMBER
    return merge(
        indicator_value_errors(
            kind=kind,
            values={"baseline": values.get("baseline"), "target": values.get("target")},
        ),
        indicator_target_errors(
            direction=values.get("direction"),
            baseline=values.get("baseline"),
            target=values.get("target"),
            baseline_date=values.get("baseline_date"),
            target_date=values.get("target_date"),
        ),
    )


def measurement_errors(values: Mapping[str, Any], *, kind: str) -> Errors:
    return indicator_value_errors(kind=kind, values={"value": values.get("value")})


def update_errors(
    values: Mapping[str, Any], *, activity_start: dt.date | None, activity_end: dt.date | None
) -> Errors:
    return update_period_errors(
        period_end=values.get("period_end"),
        activity_start=activity_start,
        activity_end=activity_end,
    )


def funding_errors(values: Mapping[str, Any]) -> Errors:
    """A funding commitment: a positive amount in an ISO currency."""
    errors: Errors = {}
    amount = values.get("amount")
    if amount is not None and amount <= 0:
        errors["amount"] = ["The amount must be more than zero."]
    if "currency" in values:
        errors = merge(errors, currency_errors(values["currency"]))
    return errors


def ranking_errors(ranks: Sequence[int]) -> list[str]:
    """A year's priority ranks: each at least 1, none twice."""
    errors = []
    if any(rank < 1 for rank in ranks):
        errors.append("A rank is 1 or more.")
    repeated = sorted({rank for rank in ranks if ranks.count(rank) > 1})
    if repeated:
        errors.append(
            "Each rank is given once; given more than once: "
            + ", ".join(str(rank) for rank in repeated)
            + "."
        )
    return errors


def merge(*parts: Mapping[str, list[str]]) -> Errors:
    """Several rules' errors as one mapping, messages of the same field kept in order."""
    merged: Errors = {}
    for part in parts:
        for field, messages in part.items():
            merged.setdefault(field, []).extend(m for m in messages if m not in merged[field])
    return merged
