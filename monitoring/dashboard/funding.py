"""The funding tab (efficiency): required, secured and gap per thematic area and currency, and
the activities with the largest gaps.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from activities.models import FundingCommitment
from activities.sensitivity_selectors import group_visible
from monitoring.dashboard.scope import plan_activities
from partnership.models import ThematicArea

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Decimal("0")


def _secured_by(as_of: dt.date) -> Coalesce:
    """Money secured (committed or received) for the activity, in its own currency, dated on or
    before `as_of`: one correlated aggregate."""
    secured = (
        FundingCommitment.objects.filter(
            activity=OuterRef("pk"),
            status__in=FundingCommitment.SECURED,
            currency=OuterRef("currency"),
            date__lte=as_of,
        )
        .order_by()
        .values("activity")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(secured, output_field=MONEY), Value(ZERO), output_field=MONEY)


@dataclass
class FundingRow:
    """Required, secured and gap of a group of activities, in one currency. The gap is the sum of
    each activity's own gap: one activity's surplus does not fill another's need."""

    key: int | None
    name: str
    currency: str
    activities: int = 0
    required: Decimal = ZERO
    secured: Decimal = ZERO
    gap: Decimal = ZERO
    with_gap: int = 0
    donors: list[str] = field(default_factory=list)

    @property
    def coverage_percent(self) -> int | None:
        if not self.required:
            return None
        return int(min(self.secured / self.required, Decimal(1)) * 100)


def _with_funding(plan_id: int, as_of: dt.date):
    return (
        plan_activities(plan_id)
        .annotate(secured=_secured_by(as_of))
        .annotate(
            gap=Greatest(F("budget_required") - F("secured"), Value(ZERO), output_field=MONEY)
        )
    )


def funding_by_area(
    *, plan_id: int, as_of: dt.date, areas: Sequence[ThematicArea]
) -> list[FundingRow]:
    """Per thematic area (in the order given) and currency: activities, required, secured by
    `as_of`, gap, activities with a gap, and the donors that had committed anything by then. Two
    queries: the sums per area and currency, the distinct donors per area."""
    sums = (
        _with_funding(plan_id, as_of)
        .values("thematic_area_id", "currency")
        .annotate(
            n=Count("id"),
            required=Sum("budget_required"),
            secured_total=Sum("secured"),
            gap_total=Sum("gap"),
            with_gap=Count("id", filter=Q(gap__gt=0)),
        )
        .order_by()
    )
    donors: dict[int, set[str]] = defaultdict(set)
    for area_id, acronym in (
        FundingCommitment.objects.filter(activity__matrix__plan_id=plan_id, date__lte=as_of)
        .order_by()
        .values_list("activity__thematic_area_id", "donor__acronym")
        .distinct()
    ):
        donors[area_id].add(acronym)
    names = {area.pk: area.name for area in areas}
    order = {area.pk: index for index, area in enumerate(areas)}
    rows = [
        FundingRow(
            key=row["thematic_area_id"],
            name=names.get(row["thematic_area_id"], ""),
            currency=row["currency"],
            activities=row["n"],
            required=row["required"] or ZERO,
            secured=row["secured_total"] or ZERO,
            gap=row["gap_total"] or ZERO,
            with_gap=row["with_gap"],
            donors=sorted(donors.get(row["thematic_area_id"], ())),
        )
        for row in sums
    ]
    return sorted(rows, key=lambda r: (order.get(r.key, len(order)), r.currency))


def funding_totals(rows: Sequence[FundingRow]) -> list[FundingRow]:
    """The plan's totals per currency, from the area rows (no query)."""
    totals: dict[str, FundingRow] = {}
    for row in rows:
        total = totals.setdefault(row.currency, FundingRow(None, "All areas", row.currency))
        total.activities += row.activities
        total.required += row.required
        total.secured += row.secured
        total.gap += row.gap
        total.with_gap += row.with_gap
        total.donors = sorted(set(total.donors) | set(row.donors))
    return [totals[currency] for currency in sorted(totals)]


@dataclass(frozen=True, slots=True)
class ActivityFunding:
    activity_id: int
    code: str
    title: str
    thematic_area: str
    currency: str
    required: Decimal
    secured: Decimal
    gap: Decimal
    donors: list[tuple[str, str]]  # (acronym, funding status label), as of the date


def funding_by_activity(
    *, plan_id: int, as_of: dt.date, viewer: Any, limit: int = 25
) -> list[ActivityFunding]:
    """The activities whose funding `viewer` may see with the largest funding gaps on `as_of`
    (at most `limit`), with their donors' commitments dated by then. Two queries: the activities
    (area joined, secured and gap computed in the database), their funding lines with donors."""
    activities = (
        _with_funding(plan_id, as_of)
        .filter(group_visible(viewer, "funding"), gap__gt=0)
        .select_related("thematic_area")
        .prefetch_related(
            Prefetch(
                "funding",
                queryset=FundingCommitment.objects.filter(date__lte=as_of)
                .select_related("donor")
                .order_by("donor__acronym", "date", "id"),
            )
        )
        .order_by("-gap", "code", "id")[:limit]
    )
    return [
        ActivityFunding(
            activity_id=a.pk,
            code=a.code,
            title=a.title,
            thematic_area=a.thematic_area.name,
            currency=a.currency,
            required=a.budget_required,
            secured=a.secured,
            gap=a.gap,
            donors=[(f.donor.acronym, f.get_status_display()) for f in a.funding.all()],
        )
        for a in activities
    ]
