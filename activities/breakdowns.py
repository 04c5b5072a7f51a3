"""Pure rules of disaggregation (no ORM): an indicator's total against its categories.

An indicator declares dimensions (sex, country, agency…), each with its categories. A value
given by category is checked dimension by dimension: with every category of a dimension given,
they add up to the total, exactly; with some missing, they add up to no more than it (for
values that cannot be negative), and the dimension is "not all categories reported". A
percentage is a rate, not a quantity: its categories are not added up, each is a percentage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from activities.rules import IndicatorKind

NOT_ALL_REPORTED = "not all categories reported"


@dataclass(frozen=True, slots=True)
class CategoryRef:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class DimensionRef:
    id: int
    name: str
    categories: tuple[CategoryRef, ...]


@dataclass(frozen=True, slots=True)
class DimensionBreakdown:
    """One dimension of one value: the categories given, their sum, whether all were given."""

    dimension: DimensionRef
    values: tuple[tuple[CategoryRef, Decimal | None], ...]  # every category, None if not given
    total: Decimal

    @property
    def entries(self) -> list[dict[str, object]]:
        """The categories as plain rows (the API's shape)."""
        return [
            {"category": category.id, "name": category.name, "value": value}
            for category, value in self.values
        ]

    @property
    def reported(self) -> int:
        return sum(1 for _, value in self.values if value is not None)

    @property
    def complete(self) -> bool:
        return self.reported == len(self.values)

    @property
    def sum(self) -> Decimal:
        return sum((value for _, value in self.values if value is not None), Decimal("0"))

    @property
    def state(self) -> str:
        """ "complete", "not all categories reported" or "none reported"."""
        if self.complete:
            return "complete"
        return NOT_ALL_REPORTED if self.reported else "none reported"


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"


def breakdown(
    *, total: Decimal, given: Mapping[int, Decimal], dimensions: Sequence[DimensionRef]
) -> list[DimensionBreakdown]:
    """The value's breakdown along each declared dimension (every category listed)."""
    return [
        DimensionBreakdown(
            dimension=dimension,
            values=tuple((category, given.get(category.id)) for category in dimension.categories),
            total=total,
        )
        for dimension in dimensions
    ]


def breakdown_errors(
    *,
    total: Decimal,
    given: Mapping[int, Decimal],
    dimensions: Sequence[DimensionRef],
    kind: str,
    what: str = "total",
) -> list[str]:
    """Every reason the categories `given` (category id → value) do not fit the `total`
    (`what` names it in the messages: the total, the target)."""
    known = {category.id for dimension in dimensions for category in dimension.categories}
    problems = []
    if unknown := sorted(set(given) - known):
        problems.append(
            f"Categories {', '.join(map(str, unknown))} are not of this indicator's dimensions."
        )
    if kind == IndicatorKind.PERCENTAGE:
        return problems
    for row in breakdown(total=total, given=given, dimensions=dimensions):
        if not row.reported:
            continue
        name = row.dimension.name
        if row.complete and row.sum != total:
            problems.append(
                f"The categories of {name} add up to {_number(row.sum)}, not the {what} "
                f"{_number(total)}."
            )
        elif not row.complete and kind == IndicatorKind.COUNT and row.sum > total:
            problems.append(
                f"The categories of {name} given add up to {_number(row.sum)}, more than the "
                f"{what} {_number(total)}."
            )
    return problems
