"""Reads the browser pages need beyond `activities.selectors`, each in a fixed number of queries
(stated per function), so a page costs the same however many activities, milestones or updates
there are."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from activities import selectors
from activities.charts import IndicatorChart, indicator_chart
from activities.models import (
    Activity,
    ActivityParticipation,
    FundingCommitment,
    Indicator,
    Measurement,
    Milestone,
    PriorityDesignation,
    ProgressUpdate,
)
from partnership.models import ActivityMatrix, Organization, ThematicArea

# --- the activity list ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FilterChoices:
    thematic_areas: list[tuple[str, str]]
    organizations: list[tuple[str, str]]
    priority_years: list[int]


def filter_choices() -> FilterChoices:
    """The options of the list's filters: thematic areas, the organizations that take part in at
    least one activity, the years with priorities: 3 queries."""
    areas = list(ThematicArea.objects.order_by("order").values_list("code", "name"))
    participating = ActivityParticipation.objects.filter(organization=OuterRef("pk"))
    organizations = [
        (acronym, f"{acronym} — {name}")
        for acronym, name in Organization.objects.filter(Exists(participating))
        .order_by("acronym")
        .values_list("acronym", "name")
    ]
    years = list(
        PriorityDesignation.objects.order_by("-year").values_list("year", flat=True).distinct()
    )
    return FilterChoices(thematic_areas=areas, organizations=organizations, priority_years=years)


# --- the activity page ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndicatorView:
    indicator: Indicator
    measurements: list[Measurement]
    chart: IndicatorChart
    latest: Measurement | None


@dataclass(frozen=True, slots=True)
class ActivityPage:
    activity: Activity
    participations: list[ActivityParticipation]
    milestones: list[Milestone]
    indicators: list[IndicatorView]
    updates: list[ProgressUpdate]
    funding: list[FundingCommitment]
    funding_summary: selectors.FundingSummary
    priority_years: list[int]


def activity_page(*, activity_id: int) -> ActivityPage:
    """Everything the activity page shows but its change history: `selectors.activity_detail`
    (the activity with matrix, plan, agreement and thematic area joined; participations with
    organizations; topics; SDG targets; priorities; milestones; indicators; measurements; funding
    with donors: 9 queries) and the progress updates with author and reviewer (1): 10 queries.
    Raises Activity.DoesNotExist."""
    activity = selectors.activity_detail(activity_id=activity_id)
    indicators = []
    for indicator in activity.indicators.all():
        measurements = sorted(indicator.measurements.all(), key=lambda m: m.measured_on)
        indicators.append(
            IndicatorView(
                indicator=indicator,
                measurements=measurements,
                chart=indicator_chart(indicator=indicator, measurements=measurements),
                latest=measurements[-1] if measurements else None,
            )
        )
    return ActivityPage(
        activity=activity,
        participations=list(activity.participations.all()),
        milestones=list(activity.milestones.all()),
        indicators=indicators,
        updates=list(selectors.progress_update_list(activity=activity)),
        funding=sorted(activity.funding.all(), key=lambda f: (f.date, f.pk)),
        funding_summary=selectors.funding_summary(activity),
        priority_years=sorted({p.year for p in activity.priorities.all()}),
    )


def activity_for_edit(*, activity_id: int) -> Activity:
    """One activity with its participations (what the permission check reads): 2 queries.
    Raises Activity.DoesNotExist."""
    return (
        Activity.objects.select_related("matrix__plan", "thematic_area")
        .prefetch_related("participations")
        .get(pk=activity_id)
    )


def milestone_of(*, activity: Activity, milestone_id: int) -> Milestone:
    """One milestone of the activity (1 query); the activity already loaded is attached, so the
    permission check runs no further query. Raises Milestone.DoesNotExist."""
    milestone = Milestone.objects.get(pk=milestone_id, activity=activity)
    milestone.activity = activity
    return milestone


def indicator_of(*, activity: Activity, indicator_id: int) -> Indicator:
    """One indicator of the activity (1 query), with the loaded activity attached. Raises
    Indicator.DoesNotExist."""
    indicator = Indicator.objects.get(pk=indicator_id, activity=activity)
    indicator.activity = activity
    return indicator


def measurements_of(*, indicator: Indicator) -> QuerySet[Measurement]:
    """The indicator's values, newest first, with who recorded them: 1 query."""
    return indicator.measurements.select_related("recorded_by").order_by("-measured_on")


def update_of(*, activity: Activity, update_id: int) -> ProgressUpdate:
    """One progress update of the activity (1 query), with the loaded activity attached. Raises
    ProgressUpdate.DoesNotExist."""
    update = ProgressUpdate.objects.select_related("author").get(pk=update_id, activity=activity)
    update.activity = activity
    return update


# --- the approval queue ---------------------------------------------------------------------------


def approval_queue() -> list[ProgressUpdate]:
    """Submitted updates, oldest first, with activity, author, thematic area and the activity's
    participations with organizations: 2 queries."""
    return list(
        selectors.progress_update_queue()
        .select_related("activity__thematic_area")
        .prefetch_related("activity__participations__organization")
    )


def update_for_review(*, update_id: int) -> ProgressUpdate:
    """One update with its activity and author (1 query). Raises ProgressUpdate.DoesNotExist."""
    return ProgressUpdate.objects.select_related("activity", "author").get(pk=update_id)


# --- the change history ---------------------------------------------------------------------------

# Bookkeeping columns: they change with every save and say nothing a reader needs.
IGNORED_FIELDS = frozenset({"id", "version", "created_at", "updated_at"})
TEXT_PREVIEW = 120


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    """One recorded change: who did what to which record, when, and the fields from → to."""

    when: dt.datetime
    who: str
    action: str  # created | changed | deleted
    kind: str  # "milestone", "progress update", …
    subject: str
    changes: tuple[FieldChange, ...]
    history_id: int


ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def _tracked_models(activity_id: int) -> list[tuple[type[models.Model], dict[str, Any]]]:
    """Each audited model with the filter that finds its history rows for one activity. The rows
    of records since deleted are found too: the filter runs on the history tables."""
    indicator_ids = Subquery(
        Indicator.history.filter(activity_id=activity_id).values("id").distinct()
    )
    return [
        (Activity, {"id": activity_id}),
        (ActivityParticipation, {"activity_id": activity_id}),
        (PriorityDesignation, {"activity_id": activity_id}),
        (Milestone, {"activity_id": activity_id}),
        (Indicator, {"activity_id": activity_id}),
        (Measurement, {"indicator_id__in": indicator_ids}),
        (ProgressUpdate, {"activity_id": activity_id}),
        (FundingCommitment, {"activity_id": activity_id}),
    ]


def _fields(model: type[models.Model]) -> list[models.Field]:
    """The audited fields of a model, minus bookkeeping and the parent activity (never edited)."""
    historical = model.history.model
    names = {f.name for f in historical._meta.concrete_fields}
    return [
        f
        for f in model._meta.concrete_fields
        if f.name in names
        and f.name not in IGNORED_FIELDS
        and not (model is not Activity and f.name == "activity")
    ]


def _user_label(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


class _Related:
    """Names of the records that foreign keys in history rows point to, loaded with one query per
    related model (whatever the number of rows)."""

    LOADERS: dict[type[models.Model], Callable[[], QuerySet]] = {
        ActivityMatrix: lambda: ActivityMatrix.objects.select_related("plan"),
    }
    NAMES: dict[type[models.Model], Callable[[Any], str]] = {
        ActivityMatrix: lambda m: f"{m.plan.title}, matrix edition {m.edition}",
        Organization: lambda o: o.acronym,
    }

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[int]] = defaultdict(set)
        self.loaded: dict[type[models.Model], dict[int, Any]] = {}

    def want(self, model: type[models.Model], pk: int | None) -> None:
        if pk is not None:
            self.wanted[model].add(pk)

    def load(self) -> None:
        for model, ids in self.wanted.items():
            loader = self.LOADERS.get(model, model._default_manager.all)
            self.loaded[model] = loader().in_bulk(sorted(ids))

    def name(self, model: type[models.Model], pk: int | None) -> str:
        if pk is None:
            return ""
        obj = self.loaded.get(model, {}).get(pk)
        if obj is None:
            return f"#{pk} (deleted)"
        if model is get_user_model():
            return _user_label(obj)
        return self.NAMES.get(model, str)(obj)


def _display(field: models.Field, value: Any, related: _Related) -> str:
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return related.name(field.related_model, value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    text = str(value)
    return text if len(text) <= TEXT_PREVIEW else text[: TEXT_PREVIEW - 1] + "…"


def _subject(model: type[models.Model], row: Any, related: _Related) -> str:
    if model is Activity:
        return f"{row.code} {row.title}"
    if model is ActivityParticipation:
        return related.name(Organization, row.organization_id)
    if model is PriorityDesignation:
        return f"{row.year} priority #{row.rank}"
    if model is Milestone:
        return row.title
    if model is Indicator:
        return row.name
    if model is Measurement:
        return f"{related.name(Indicator, row.indicator_id)}: {row.value} on {row.measured_on}"
    if model is ProgressUpdate:
        return f"update to {row.period_end}"
    if model is FundingCommitment:
        return f"{related.name(Organization, row.donor_id)} {row.amount} {row.currency}"
    return str(row.id)


def _entries_of(
    model: type[models.Model], rows: Iterable[Any], related: _Related
) -> list[ChangeEntry]:
    fields = _fields(model)
    kind = str(model._meta.verbose_name)
    entries = []
    previous: dict[int, Any] = {}
    for row in rows:  # oldest first, per record
        before = previous.get(row.id)
        previous[row.id] = row
        changes: list[FieldChange] = []
        if row.history_type == "~" and before is not None:
            for field in fields:
                old, new = getattr(before, field.attname), getattr(row, field.attname)
                if old != new:
                    changes.append(
                        FieldChange(
                            field=str(field.verbose_name),
                            old=_display(field, old, related),
                            new=_display(field, new, related),
                        )
                    )
            if not changes:
                continue  # a save that changed nothing audited (e.g. only the version)
        entries.append(
            ChangeEntry(
                when=row.history_date,
                who=_user_label(row.history_user) or "system",
                action=ACTIONS.get(row.history_type, row.history_type),
                kind=kind,
                subject=_subject(model, row, related),
                changes=tuple(changes),
                history_id=row.history_id,
            )
        )
    return entries


def change_history(*, activity_id: int, limit: int | None = None) -> list[ChangeEntry]:
    """Who changed what, and when, in the activity and every record hanging off it, newest first.

    Queries: one per audited model (the activity, participations, priorities, milestones,
    indicators, measurements, progress updates, funding: 8, each with the acting user joined),
    then one per kind of record the foreign keys name (matrices, thematic areas, organizations,
    indicators, users: at most 5). The number does not grow with the number of rows."""
    related = _Related()
    rows_by_model = []
    for model, lookup in _tracked_models(activity_id):
        rows = list(
            model.history.filter(**lookup)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        rows_by_model.append((model, rows))
        fk_fields = [f for f in _fields(model) if f.is_relation]
        for row in rows:
            for field in fk_fields:
                related.want(field.related_model, getattr(row, field.attname))
    related.load()
    entries = [
        entry for model, rows in rows_by_model for entry in _entries_of(model, rows, related)
    ]
    entries.sort(key=lambda e: (e.when, e.history_id), reverse=True)
    return entries if limit is None else entries[:limit]
