"""The audit trail of one activity: who changed what, when, from what to what, in the activity and
every record hanging off it. One read serves the activity page, its full change-history page and
the API (`GET /api/v1/activities/{id}/history/`).

The rows come from django-simple-history's tables, so records since deleted still show. Apps above
`activities` (monitoring's status overrides) add their own audited models with `track()` from
their `AppConfig.ready()`, so this module never imports them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, QuerySet, Subquery
from django.utils import timezone

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
from activities.selectors import drafts_visible_to
from partnership.models import ActivityMatrix, Organization

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser

# Bookkeeping columns: they change with every save and say nothing a reader needs.
IGNORED_FIELDS = frozenset({"id", "version", "created_at", "updated_at"})
TEXT_PREVIEW = 120
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True, slots=True)
class FieldChange:
    name: str  # the field's name, e.g. "due_date"
    field: str  # its label, e.g. "due date"
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    """One recorded change: who did what to which record, when, and the fields from → to."""

    when: dt.datetime
    who: str  # full name, else username; "system" when no person is recorded
    username: str  # "" when no person is recorded
    action: str  # created | changed | deleted
    model: str  # "milestone", "progressupdate", … (the model's name)
    kind: str  # "milestone", "progress update", … (its label)
    object_id: int
    subject: str
    changes: tuple[FieldChange, ...]
    history_id: int


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


Subject = Callable[[Any, _Related], str]


@dataclass(frozen=True, slots=True)
class Tracked:
    """An audited model under an activity: how to find its history rows for one activity (the
    filter runs on the history table, so deleted records are found too) and how to name a row."""

    model: type[models.Model]
    lookup: Callable[[int], dict[str, Any]]
    subject: Subject


def _by_activity(activity_id: int) -> dict[str, Any]:
    return {"activity_id": activity_id}


def _measurements(activity_id: int) -> dict[str, Any]:
    indicator_ids = Subquery(
        Indicator.history.filter(activity_id=activity_id).values("id").distinct()
    )
    return {"indicator_id__in": indicator_ids}


_TRACKED: list[Tracked] = [
    Tracked(Activity, lambda pk: {"id": pk}, lambda row, rel: f"{row.code} {row.title}"),
    Tracked(
        ActivityParticipation,
        _by_activity,
        lambda row, rel: rel.name(Organization, row.organization_id),
    ),
    Tracked(PriorityDesignation, _by_activity, lambda row, rel: f"{row.year} priority #{row.rank}"),
    Tracked(Milestone, _by_activity, lambda row, rel: row.title),
    Tracked(Indicator, _by_activity, lambda row, rel: row.name),
    Tracked(
        Measurement,
        _measurements,
        lambda row, rel: (
            f"{rel.name(Indicator, row.indicator_id)}: {row.value} on {row.measured_on}"
        ),
    ),
    Tracked(ProgressUpdate, _by_activity, lambda row, rel: f"update to {row.period_end}"),
    Tracked(
        FundingCommitment,
        _by_activity,
        lambda row, rel: f"{rel.name(Organization, row.donor_id)} {row.amount} {row.currency}",
    ),
]


def track(
    model: type[models.Model],
    *,
    subject: Subject,
    lookup: Callable[[int], dict[str, Any]] = _by_activity,
) -> None:
    """Add an audited model of another app (one with an `activity` foreign key by default) to the
    activity's history. Called from that app's `AppConfig.ready()`; calling it twice is harmless."""
    if all(t.model is not model for t in _TRACKED):
        _TRACKED.append(Tracked(model, lookup, subject))


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


def _entries_of(tracked: Tracked, rows: Iterable[Any], related: _Related) -> list[ChangeEntry]:
    model = tracked.model
    fields = _fields(model)
    entries = []
    previous: dict[int, Any] = {}
    for row in rows:  # oldest first, per record
        before = previous.get(row.id)
        previous[row.id] = row
        if not getattr(row, "visible", True):
            # A version the reader may not see (a draft): left out, but still the version the
            # next one is compared with, so that one shows only what it changed itself.
            continue
        changes: list[FieldChange] = []
        if row.history_type == "~" and before is not None:
            for field in fields:
                old, new = getattr(before, field.attname), getattr(row, field.attname)
                if old != new:
                    changes.append(
                        FieldChange(
                            name=field.name,
                            field=str(field.verbose_name),
                            old=_display(field, old, related),
                            new=_display(field, new, related),
                        )
                    )
            if not changes:
                continue  # a save that changed nothing audited (e.g. only the version)
        user = row.history_user
        entries.append(
            ChangeEntry(
                when=row.history_date,
                who=_user_label(user) or "system",
                username=user.get_username() if user is not None else "",
                action=ACTIONS.get(row.history_type, row.history_type),
                model=model._meta.model_name,
                kind=str(model._meta.verbose_name),
                object_id=row.id,
                subject=tracked.subject(row, related),
                changes=tuple(changes),
                history_id=row.history_id,
            )
        )
    return entries


def change_history(
    *, activity_id: int, viewer: User | None, limit: int | None = None
) -> list[ChangeEntry]:
    """Who changed what, and when, in the activity and every record hanging off it, newest first.

    Versions of progress updates saved while they were drafts show only to the people who may
    read the draft (`selectors.drafts_visible_to`; `viewer=None`: everything, for trusted
    callers); the check runs inside the query that reads the updates' history.

    Queries: one per audited model (the activity, participations, priorities, milestones,
    indicators, measurements, progress updates, funding, and those other apps `track()`: status
    overrides, publication settings, contributions to results; 11, each with the acting user
    joined), then one per kind of
    record the foreign keys name (matrices, thematic areas, organizations, indicators, users: at
    most 5).
    The number does not grow with the number of rows."""
    related = _Related()
    rows_by_model = []
    drafts_visible = drafts_visible_to(viewer)
    for tracked in _TRACKED:
        rows = (
            tracked.model.history.filter(**tracked.lookup(activity_id))
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        if tracked.model is ProgressUpdate and drafts_visible is not None:
            rows = rows.annotate(
                visible=ExpressionWrapper(drafts_visible, output_field=BooleanField())
            )
        rows = list(rows)
        rows_by_model.append((tracked, rows))
        fk_fields = [f for f in _fields(tracked.model) if f.is_relation]
        for row in rows:
            for field in fk_fields:
                related.want(field.related_model, getattr(row, field.attname))
    related.load()
    entries = [
        entry for tracked, rows in rows_by_model for entry in _entries_of(tracked, rows, related)
    ]
    entries.sort(key=lambda e: (e.when, e.history_id), reverse=True)
    return entries if limit is None else entries[:limit]
