"""Reads of the results chain, in a fixed number of queries whatever the size of the plan (each
docstring names them). The monitoring engine reads the same facts for its roll-up."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from activities.models import (
    Activity,
    CategoryTarget,
    Measurement,
    MeasurementValue,
    MonitoringStatus,
)
from activities.permissions import is_manager
from activities.sensitivity_selectors import group_visible, visible_activities
from partnership.models import JointActionPlan
from results import rules
from results.models import (
    Contribution,
    Level,
    Result,
    ResultAssessment,
    ResultIndicator,
    ResultMeasurement,
)

# How many contributing activities an output lists on the results page and in the chain API
# (the count says how many there are in all).
ACTIVITIES_SHOWN = 5


@dataclass(slots=True)
class IndicatorRow:
    id: int
    result_id: int
    name: str
    unit: str
    kind: str
    method: str
    baseline: Decimal
    baseline_date: date
    target: Decimal
    target_date: date
    direction: str
    value: rules.IndicatorValue | None = None
    categories: list[rules.CategoryValue] = field(default_factory=list)

    @property
    def method_label(self) -> str:
        return str(ResultIndicator.Method(self.method).label)


@dataclass(slots=True)
class ResultNode:
    id: int
    parent_id: int | None
    level: str
    code: str
    title: str
    description: str
    is_illustrative: bool
    status: str = ""
    reasons: list[dict[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    sdg_targets: list[str] = field(default_factory=list)  # its own links
    sdg_rolled_up: list[str] = field(default_factory=list)  # its own and everything below it
    indicators: list[IndicatorRow] = field(default_factory=list)
    activity_count: int = 0
    activities: list[dict[str, Any]] = field(default_factory=list)  # the first few (outputs)
    children: list[ResultNode] = field(default_factory=list)

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)

    @property
    def status_label(self) -> str:
        return str(MonitoringStatus(self.status).label) if self.status else "Not rolled up"


@dataclass(slots=True)
class Chain:
    plan: JointActionPlan
    as_of: date | None  # the roll-up shown: the one asked for, or the latest before it
    assessed_dates: list[date]
    roots: list[ResultNode]
    by_id: dict[int, ResultNode]
    requested: date | None = None

    @property
    def between_roll_ups(self) -> bool:
        return self.requested is not None and self.requested != self.as_of

    def walk(self) -> Iterable[ResultNode]:
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


def results_of_plan(*, plan_id: int) -> list[ResultNode]:
    """The plan's results in tree order (one query), without statuses or children linked."""
    rows = (
        Result.objects.filter(plan_id=plan_id)
        .order_by("order", "code", "id")
        .values_list("id", "parent_id", "level", "code", "title", "description", "is_illustrative")
    )
    return [ResultNode(*row) for row in rows]


def _latest(model, owner: str, as_of: date, column: str) -> Subquery:
    """The `column` of the newest row of `model` owned by the outer row on or before as_of,
    through the (owner, measured_on) unique index."""
    rows = model.objects.filter(measured_on__lte=as_of, **{f"{owner}_id": OuterRef("pk")})
    return Subquery(rows.order_by("-measured_on").values(column)[:1])


def indicator_rows(*, plan_id: int, as_of: date) -> list[IndicatorRow]:
    """The plan's result indicators with their values on `as_of`, by category too (four
    queries; two when no indicator is computed): the indicators with their own latest
    measurement, each link to a source activity indicator with that source's latest
    measurement, those measurements' values by category, the sources' category targets."""
    indicators = (
        ResultIndicator.objects.filter(result__plan_id=plan_id)
        .annotate(
            own_on=_latest(ResultMeasurement, "indicator", as_of, "measured_on"),
            own_value=_latest(ResultMeasurement, "indicator", as_of, "value"),
        )
        .order_by("result_id", "id")
        .values_list(
            "id",
            "result_id",
            "name",
            "unit",
            "kind",
            "method",
            "baseline",
            "baseline_date",
            "target",
            "target_date",
            "direction",
            "own_on",
            "own_value",
        )
    )
    through = ResultIndicator.sources.through
    latest = Measurement.objects.filter(
        indicator_id=OuterRef("indicator_id"), measured_on__lte=as_of
    ).order_by("-measured_on")
    links = list(
        through.objects.filter(resultindicator__result__plan_id=plan_id)
        .annotate(
            on=Subquery(latest.values("measured_on")[:1]),
            value=Subquery(latest.values("value")[:1]),
            measurement_id=Subquery(latest.values("id")[:1]),
        )
        .values_list("resultindicator_id", "indicator_id", "on", "value", "measurement_id")
    )
    by_category, targets, names = _breakdowns_of(links)
    sources: dict[int, list[list[rules.Point]]] = defaultdict(list)
    reporting: dict[int, list[tuple]] = defaultdict(list)
    for indicator_id, source_id, on, value, measurement_id in links:
        sources[indicator_id].append([] if on is None else [rules.Point(on, Decimal(value))])
        if on is not None:
            reporting[indicator_id].append(
                (on, by_category.get(measurement_id, {}), targets.get(source_id, {}))
            )
    rows = []
    for *fields, own_on, own_value in indicators:
        row = IndicatorRow(*fields)
        own = [] if own_on is None else [rules.Point(own_on, Decimal(own_value))]
        row.value = rules.indicator_value(
            method=row.method, own=own, sources=sources.get(row.id, ()), as_of=as_of
        )
        row.categories = rules.category_values(
            method=row.method, sources=reporting.get(row.id, ()), names=names
        )
        rows.append(row)
    return rows


def _breakdowns_of(links: list[tuple]) -> tuple[dict, dict, dict]:
    """The source measurements' values by category and the sources' category targets (two
    queries; none for a plan without computed indicators)."""
    if not links:
        return {}, {}, {}
    names: dict[int, tuple[str, str]] = {}
    by_category: dict[int, dict[int, Decimal]] = defaultdict(dict)
    measurement_ids = [link[4] for link in links if link[4] is not None]
    for measurement_id, category_id, value, dimension, name in MeasurementValue.objects.filter(
        measurement_id__in=measurement_ids
    ).values_list(
        "measurement_id", "category_id", "value", "category__dimension__name", "category__name"
    ):
        by_category[measurement_id][category_id] = value
        names[category_id] = (dimension, name)
    targets: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for indicator_id, category_id, target in CategoryTarget.objects.filter(
        indicator_id__in={link[1] for link in links}
    ).values_list("indicator_id", "category_id", "target"):
        targets[indicator_id][category_id] = target
    return by_category, targets, names


def assessed_dates(*, plan_id: int) -> list[date]:
    """The dates the plan's chain was rolled up on, newest first (one query)."""
    return list(
        ResultAssessment.objects.filter(result__plan_id=plan_id)
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .distinct()
    )


def readable_contributions(viewer: Any = None) -> QuerySet[Contribution]:
    """The contributions of the activities `viewer` may list (all without one), each with
    `words_shown`: whether they may read its words, which say what the activity does and so are
    of its description's field group (activities.sensitivity). No query by itself; the
    conditions are subqueries of the query that reads them."""
    if viewer is None or is_manager(viewer):
        return Contribution.objects.annotate(words_shown=Value(True, BooleanField()))
    return Contribution.objects.filter(visible_activities(viewer, "activity__")).annotate(
        words_shown=Case(
            When(group_visible(viewer, "description", "activity__"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def _words(viewer: Any) -> Case | F:
    """A contribution's words, or "" where `viewer` may not read them (readable_contributions)."""
    if viewer is None or is_manager(viewer):
        return F("description")
    return Case(
        When(group_visible(viewer, "description", "activity__"), then=F("description")),
        default=Value(""),
        output_field=CharField(),
    )


def chain(*, plan: JointActionPlan, as_of: date | None = None, viewer: Any = None) -> Chain:
    """The plan's results chain as a tree, with the statuses rolled up on `as_of` (by default
    the latest date rolled up), indicators and their values, SDG targets (their own and rolled
    up from below, activities included) and, for outputs, the contributing activities.

    Twelve queries (ten when no indicator is computed from activity indicators): the dates
    rolled up, the results, their assessments on the date, the indicators with their sources and
    the sources' values and targets by category (indicator_rows: four, or two), the results' own
    SDG links, the activities' SDG targets by output, the contributions counted by output, the
    first few of each output (by activity id), and those with their activities.

    With a `viewer`, of the contributions of activities they may list only (counted, named,
    and their SDG targets rolled up), and their words only where they may read the activity's
    description (readable_contributions); the conditions are subqueries, so the queries are
    the same.
    """
    contributing = readable_contributions(viewer)
    dates = assessed_dates(plan_id=plan.pk)
    requested = as_of
    if as_of is None:
        as_of = dates[0] if dates else None
    else:
        # A date between roll-ups shows the latest one before it (its statuses held until the
        # next run); a date before the first shows none.
        as_of = next((on for on in dates if on <= as_of), None)
    nodes = results_of_plan(plan_id=plan.pk)
    by_id = {node.id: node for node in nodes}
    if as_of is not None:
        for result_id, status, reasons, counts in ResultAssessment.objects.filter(
            result__plan_id=plan.pk, as_of=as_of
        ).values_list("result_id", "status", "reasons", "counts"):
            node = by_id[result_id]
            node.status, node.reasons, node.counts = status, reasons, counts
        for row in indicator_rows(plan_id=plan.pk, as_of=as_of):
            by_id[row.result_id].indicators.append(row)
    else:
        # Never rolled up: the indicators with the latest values known.
        for row in indicator_rows(plan_id=plan.pk, as_of=date.max):
            by_id[row.result_id].indicators.append(row)

    own_sdg = Result.sdg_targets.through.objects.filter(result__plan_id=plan.pk).values_list(
        "result_id", "sdgtarget__code"
    )
    below_sdg: dict[int, set[str]] = defaultdict(set)
    for result_id, code in own_sdg:
        by_id[result_id].sdg_targets.append(code)
        below_sdg[result_id].add(code)
    activity_sdg = (
        contributing.filter(output__plan_id=plan.pk, activity__sdg_targets__isnull=False)
        .values_list("output_id", "activity__sdg_targets__code")
        .distinct()
    )
    for output_id, code in activity_sdg:
        below_sdg[output_id].add(code)

    in_plan = contributing.filter(output__plan_id=plan.pk)
    for output_id, total in in_plan.values_list("output_id").annotate(n=Count("id")).order_by():
        by_id[output_id].activity_count = total
    contributions = (
        Contribution.objects.filter(id__in=_first_contributions(plan_id=plan.pk, viewer=viewer))
        .annotate(words=_words(viewer))
        .order_by("output_id", "activity_id")
        .values_list(
            "output_id",
            "activity_id",
            "activity__code",
            "activity__title",
            "activity__status",
            "share",
            "words",
        )
    )
    for output_id, activity_id, code, title, status, share, words in contributions:
        by_id[output_id].activities.append(
            {
                "id": activity_id,
                "code": code,
                "title": title,
                "status": status,
                "status_label": MonitoringStatus(status).label if status else "Not assessed",
                "share": share,
                "description": words,
            }
        )

    roots: list[ResultNode] = []
    for node in nodes:
        node.sdg_targets.sort(key=_sdg_key)
        if node.parent_id is None:
            roots.append(node)
        else:
            by_id[node.parent_id].children.append(node)
    # SDG targets roll up: a result contributes to whatever its children contribute to.
    for level in (Level.OUTPUT, Level.OUTCOME, Level.OBJECTIVE):
        for node in nodes:
            if node.level == level:
                rolled = set(below_sdg[node.id])
                for child in node.children:
                    rolled.update(child.sdg_rolled_up)
                node.sdg_rolled_up = sorted(rolled, key=_sdg_key)
    return Chain(
        plan=plan, as_of=as_of, assessed_dates=dates, roots=roots, by_id=by_id, requested=requested
    )


def _first_contributions(*, plan_id: int, viewer: Any = None) -> list[int]:
    """The ids of the first few contributions of each output of the plan, by activity id, of
    the activities `viewer` may list (all without one; one query). On PostgreSQL one short index
    scan per output, as an array per output; elsewhere a ranking of all the plan's
    contributions (fine at the sizes SQLite serves: on PostgreSQL it cost a 100,000-activity
    plan 240 ms, the arrays about 1)."""
    readable = readable_contributions(viewer)
    first = (
        readable.filter(output_id=OuterRef("pk"))
        .order_by("activity_id")
        .values("id")[:ACTIVITIES_SHOWN]
    )
    if connection.vendor == "postgresql":
        from django.contrib.postgres.expressions import ArraySubquery

        arrays = (
            Result.objects.filter(plan_id=plan_id, level=Level.OUTPUT)
            .annotate(first=ArraySubquery(first))
            .values_list("first", flat=True)
        )
        return [pk for ids in arrays for pk in ids]
    ranked = (
        readable.filter(output__plan_id=plan_id)
        .annotate(rank=Window(RowNumber(), partition_by=[F("output_id")], order_by="activity_id"))
        .filter(rank__lte=ACTIVITIES_SHOWN)
        .values_list("id", flat=True)
    )
    return list(ranked)


LEVEL_DEPTH = {Level.OBJECTIVE: 0, Level.OUTCOME: 1, Level.OUTPUT: 2}


def filtered(roots: list[ResultNode], *, level: str = "", status: str = "") -> list[ResultNode]:
    """The tree down to `level` (all levels when empty), and with a `status`, only the results
    that have it and the results above them (so each stays in its place in the chain). Builds
    new nodes; the chain's own are left as they were."""
    depth = LEVEL_DEPTH.get(level, 2)

    def keep(node: ResultNode) -> ResultNode | None:
        children = []
        if LEVEL_DEPTH[node.level] < depth:
            children = [kept for child in node.children if (kept := keep(child)) is not None]
        if status and node.status != status and not children:
            return None
        copy = ResultNode(**{name: getattr(node, name) for name in ResultNode.__slots__})
        copy.children = children
        return copy

    return [kept for root in roots if (kept := keep(root)) is not None]


def _sdg_key(code: str) -> tuple:
    """16.10 after 16.9, 16.a after the numbers (the order of the official list)."""
    goal, _, target = code.partition(".")
    return (int(goal) if goal.isdigit() else 0, not target.isdigit(), target.zfill(3))


def output_choices(*, plan_id: int) -> list[tuple[int, str]]:
    """The plan's outputs, for choosing where an activity contributes (one query)."""
    return list(
        Result.objects.filter(plan_id=plan_id, level=Level.OUTPUT)
        .order_by("order", "code")
        .values_list("id", "code")
    )


def contribution_shares(*, activity_id: int, exclude_output_id: int | None = None) -> list:
    """The shares the activity already gives its outputs (one query)."""
    rows = Contribution.objects.filter(activity_id=activity_id, share__isnull=False)
    if exclude_output_id is not None:
        rows = rows.filter(~Q(output_id=exclude_output_id))
    return list(rows.values_list("share", flat=True))


def plan_activity(*, plan_id: int, code: str) -> Activity | None:
    """The plan's activity with this code, in its newest matrix edition where several have it
    (one query)."""
    return (
        Activity.objects.filter(matrix__plan_id=plan_id, code=code)
        .select_related("matrix")
        .order_by("-matrix__edition", "-id")
        .first()
    )


def output_contributions(*, output_id: int, viewer: Any = None) -> QuerySet[Contribution]:
    """An output's contributions with their activities, by activity code (one query): of the
    activities `viewer` may list, with `words_shown` (readable_contributions)."""
    return (
        readable_contributions(viewer)
        .filter(output_id=output_id)
        .select_related("activity")
        .order_by("activity__code", "activity_id")
    )
