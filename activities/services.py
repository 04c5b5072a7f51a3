"""Every write of the activities domain: the API and the pages call these, nothing else writes.

Conventions (DESIGN.md §2): keyword-only typed arguments, one transaction per call,
`full_clean()` before every save, errors as Django `ValidationError` (field errors where a field is
at fault) or the domain exceptions of `activities.exceptions`.

`actor` is the person making the change: their permission is checked here (so no caller can
forget it) and they are recorded as author, reviewer or recorder. `actor=None` means a trusted
operator command (e.g. loading the demo data): no permission check, nobody recorded.

Optimistic concurrency: edits of activities, milestones and progress updates name the `version`
they started from. A stale version raises `ConflictError` and writes nothing.

Every write that changes an activity's record or what hangs off it (its dates, budget, partners,
priorities, milestones, indicators, measurements, an approved update) announces it
(`announce_facts_changed`): an `Event` row in the same transaction, then, after commit,
`activities.signals.activity_facts_changed` with the event's id; monitoring answers by delivering
the event (re-assessing the activities). This module never imports monitoring.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict, TypeVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from activities import breakdowns, periods, permissions, rules, selectors
from activities import evidence as evidence_rules
from activities.exceptions import (
    ConflictError,
    FourEyesViolation,
    FundingConflict,
    InvalidTransition,
    NotAllowed,
)
from activities.models import (
    Activity,
    ActivityParticipation,
    CategoryTarget,
    Dimension,
    Event,
    Evidence,
    FormSubmission,
    FundingCommitment,
    Indicator,
    IndicatorDimension,
    Measurement,
    MeasurementValue,
    Milestone,
    PriorityDesignation,
    ProgressUpdate,
    ReportingCalendar,
    ReportingPeriod,
    Topic,
)
from activities.signals import activity_facts_changed, event_recorded
from partnership.models import (
    ActivityMatrix,
    JointActionPlan,
    Organization,
    SDGTarget,
    ThematicArea,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    Actor = AbstractBaseUser | None

M = TypeVar("M", bound=models.Model)


# --- shared helpers -------------------------------------------------------------------------------


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _may_edit(actor: Actor, activity: Activity) -> None:
    if actor is not None:
        _require(
            permissions.can_edit_activity(actor, activity),
            "Only liaison officers of a participating organization, and managers, may change "
            f"activity {activity.code}.",
        )


def _may_review(actor: Actor) -> None:
    if actor is not None:
        _require(permissions.can_approve(actor), "Only managers may approve or return updates.")


def _clean(instance: models.Model, errors: dict[str, list[str]] | None = None) -> None:
    """`full_clean()`, adding the errors a service found itself (attached to their fields).

    Fields that already have an error are excluded from the model's own checks, so a broken
    CheckConstraint is reported once, by the field message, not a second time by constraint name.
    """
    errors = {key: list(messages) for key, messages in (errors or {}).items()}
    try:
        instance.full_clean(exclude=set(errors) - {NON_FIELD_ERRORS})
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _values(instance: models.Model, fields: Iterable[str]) -> dict[str, object]:
    """The instance's values of `fields`, as the pure rules (activities.rules) read them."""
    return {field: getattr(instance, field) for field in fields}


def _attribute(instance: models.Model, actor: Actor) -> None:
    """Name the actor in the audit history (django-simple-history reads `_history_user` first;
    its middleware cannot see users authenticated by an API token)."""
    if actor is not None:
        instance._history_user = actor


def _save(instance: models.Model, actor: Actor, **kwargs: object) -> None:
    _attribute(instance, actor)
    instance.save(**kwargs)


def _unchanged(model: type[M], *, pk: int, expected_version: int | None, changes: dict) -> M | None:
    """The row, locked, when `changes` would leave every field as it is; None when something
    changes. An edit that changes nothing is no edit: no new version (so the ETag stays), no
    history row, no announcement. A stale version is still refused (ConflictError): the
    person did not see the record as it is."""
    current = model._default_manager.select_for_update().filter(pk=pk).first()
    if current is None:
        raise model.DoesNotExist(f"{model._meta.verbose_name} {pk} does not exist.")
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(
            model_name=str(model._meta.verbose_name),
            expected_version=expected_version,
            current_version=current.version,
        )
    for field, value in changes.items():
        if getattr(current, field) != value:
            return None
    return current


def _claim(model: type[M], *, pk: int, expected_version: int | None) -> M:
    """Bump the row's version if it is still `expected_version`, and return the row as it now is.

    The conditional UPDATE is the check itself: two edits that started from the same version
    cannot both match it (PostgreSQL re-evaluates the WHERE clause once the first one commits), so
    the later one gets a ConflictError. With `expected_version=None` (state transitions that name
    no version) the UPDATE still queues concurrent writers of the row one behind the other.
    """
    rows = model._default_manager.filter(pk=pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if rows.update(version=F("version") + 1) == 0:
        current = model._default_manager.filter(pk=pk).values_list("version", flat=True).first()
        if current is None:
            raise model.DoesNotExist(f"{model._meta.verbose_name} {pk} does not exist.")
        raise ConflictError(
            model_name=str(model._meta.verbose_name),
            expected_version=expected_version or 0,
            current_version=current,
        )
    return model._default_manager.get(pk=pk)


_announcements_held: ContextVar[bool] = ContextVar("announcements_held", default=False)


@contextmanager
def announcements_held() -> Iterator[None]:
    """Services called inside this block write as usual but announce nothing; the caller announces
    what it wrote once, after the block, with `refresh_after_bulk_write`.

    For a writer that makes thousands of service calls on one plan (`import_plan`): one
    announcement per call would queue one re-assessment run per call, of the same activities."""
    token = _announcements_held.set(True)
    try:
        yield
    finally:
        _announcements_held.reset(token)


def announce_facts_changed(activity_ids: Iterable[int], *, reason: str) -> Event | None:
    """Record that these activities' facts changed, as an event row in the caller's transaction,
    and tell listeners (monitoring) once it commits: a write that rolls back announces nothing,
    and one that commits leaves its follow-up work in the database even if the message after
    commit never arrives (the sweeper delivers it). Returns the event, or None when nothing was
    announced (no ids, or inside `announcements_held`)."""
    if _announcements_held.get():
        return None
    ids = sorted({int(activity_id) for activity_id in activity_ids})
    if not ids:
        return None
    event = Event.objects.create(kind=Event.Kind.FACTS_CHANGED, activity_ids=ids, note=reason[:200])

    # A named function, not a lambda or partial: Django logs a robust callback's failure by its
    # __qualname__. Robust: the change is committed; a listener failing must not undo the answer.
    def send_facts_changed() -> None:
        activity_facts_changed.send(
            sender=Event, event_id=event.pk, activity_ids=ids, reason=event.note
        )

    transaction.on_commit(send_facts_changed, robust=True)
    return event


def record_event(
    *,
    kind: str,
    activity_ids: Iterable[int],
    actor: Actor = None,
    payload: dict | None = None,
    note: str = "",
    key: str = "",
) -> Event | None:
    """Record, in the caller's transaction, something people or REST clients should hear about
    (an update submitted, a milestone overdue, …), and queue its delivery once that commits
    (activities.signals.event_recorded; the sweeper delivers it should the message be lost).

    `key` names an event beat finds due (e.g. "milestone_overdue:12"): a second finding of the
    same key records nothing and returns None. Written only by services (this one's callers).
    Inside `announcements_held` (a bulk import) nothing is recorded: nobody is told of a load.
    """
    if _announcements_held.get():
        return None
    event = Event(
        kind=kind,
        activity_ids=sorted({int(activity_id) for activity_id in activity_ids}),
        actor=actor if actor is not None and actor.is_authenticated else None,
        payload=payload or {},
        note=note[:200],
        key=key,
    )
    _clean(event)
    if key:
        try:
            with transaction.atomic():  # a savepoint: the key's conflict leaves the caller's work
                event.save()
        except IntegrityError:
            return None
    else:
        event.save()

    def send_event_recorded() -> None:
        event_recorded.send(sender=Event, event_ids=[event.pk])

    transaction.on_commit(send_event_recorded, robust=True)
    return event


@dataclass(frozen=True, slots=True)
class KeyedEvent:
    """One event of a batch found due or set off in bulk (see `record_keyed_events`)."""

    kind: str
    activity_id: int
    key: str
    payload: dict


@transaction.atomic
def record_keyed_events(events: Sequence[KeyedEvent]) -> list[int]:
    """Record many keyed events at once (the engine's turned statuses, beat's reminders): one
    insert that skips the keys already recorded, and one read of the ids to queue, whatever
    their number; nothing at all when `events` is empty. Returns the ids of the pending events
    with these keys (one recorded earlier and still pending is queued again: delivery is
    idempotent)."""
    if not events or _announcements_held.get():
        return []
    rows = [
        Event(
            kind=spec.kind,
            activity_ids=[spec.activity_id],
            payload=spec.payload,
            key=spec.key,
        )
        for spec in events
    ]
    for row in rows:
        # The key's uniqueness is the insert's (ignore_conflicts); checking it here would cost
        # one query per row.
        row.full_clean(validate_unique=False, validate_constraints=False)
    Event.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        Event.objects.filter(key__in=[spec.key for spec in events], state=Event.State.PENDING)
        .order_by("id")
        .values_list("id", flat=True)
    )

    def send_events_recorded() -> None:
        if ids:
            event_recorded.send(sender=Event, event_ids=ids)

    transaction.on_commit(send_events_recorded, robust=True)
    return ids


@transaction.atomic
def refresh_after_bulk_write(*, plan_ids: Sequence[int], reason: str) -> int:
    """Announce that a bulk writer (the demo loader, the synthetic portfolio generator, the plan
    import) changed these plans' activities without announcing them one record at a time: the one
    call such a writer ends with. Returns how many activities were announced (one query)."""
    ids = list(
        Activity.objects.filter(matrix__plan_id__in=plan_ids)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if ids:
        announce_facts_changed(ids, reason=reason)
    return len(ids)


# --- activities -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParticipationSpec:
    """One organization's part in an activity, as a caller asks for it."""

    organization: Organization
    role: str
    contribution: str = ""


class ActivityChanges(TypedDict, total=False):
    """The fields `update_activity` may change; absent keys stay as they are."""

    code: str
    title: str
    description: str
    thematic_area: ThematicArea
    cooperation_type: str
    horizon: str
    lifecycle: str
    start_date: dt.date | None
    end_date: dt.date | None
    budget_required: Decimal
    currency: str
    topics: Sequence[Topic]
    sdg_targets: Sequence[SDGTarget]
    participations: Sequence[ParticipationSpec]


ACTIVITY_FIELDS = (
    "code",
    "title",
    "description",
    "thematic_area",
    "cooperation_type",
    "horizon",
    "lifecycle",
    "start_date",
    "end_date",
    "budget_required",
    "currency",
)


def _activity_errors(activity: Activity) -> dict[str, list[str]]:
    return rules.activity_errors(_values(activity, ("start_date", "end_date", "currency")))


def _same_activity_relations(activity: Activity, changes: ActivityChanges) -> bool:
    """Whether the many-to-many and participation parts of `changes` match what is stored."""
    for name in ("topics", "sdg_targets"):
        if name in changes:
            stored = set(getattr(activity, name).values_list("pk", flat=True))
            if stored != {item.pk for item in changes[name]}:
                return False
    if "participations" in changes:
        stored = set(activity.participations.values_list("organization_id", "role", "contribution"))
        wanted = {(p.organization.pk, p.role, p.contribution) for p in changes["participations"]}
        if stored != wanted or len(wanted) != len(changes["participations"]):
            return False
    return True


def participation_errors(participations: Sequence[ParticipationSpec]) -> list[str]:
    """What is wrong with a set of participations: exactly one lead, each organization once."""
    errors: list[str] = []
    if not participations:
        return ["List at least the lead organization."]
    roles = set(ActivityParticipation.Role.values)
    for spec in participations:
        if spec.role not in roles:
            errors.append(f"{spec.organization}: '{spec.role}' is not a participation role.")
    leads = [spec.organization.acronym for spec in participations if spec.role == "lead"]
    if len(leads) != 1:
        named = f" (got {len(leads)}: {', '.join(leads)})" if leads else ""
        errors.append(f"An activity needs exactly one lead organization{named}.")
    seen: set[int] = set()
    for spec in participations:
        if spec.organization.pk in seen:
            errors.append(f"{spec.organization} is listed more than once.")
        seen.add(spec.organization.pk)
    return errors


def _write_participations(
    activity: Activity, participations: Sequence[ParticipationSpec], actor: Actor
) -> list[ActivityParticipation]:
    """Make the activity's participations exactly `participations`, keeping existing rows (and so
    their history) where the organization stays. The lead is written last: the database allows one
    lead at a time, so the old lead must be demoted or removed first."""
    wanted = {spec.organization.pk: spec for spec in participations}
    existing = {p.organization_id: p for p in activity.participations.all()}
    for org_id, participation in existing.items():
        if org_id not in wanted:
            _attribute(participation, actor)
            participation.delete()
    ordered = sorted(participations, key=lambda spec: spec.role == "lead")
    result = []
    for spec in ordered:
        participation = existing.get(spec.organization.pk) or ActivityParticipation(
            activity=activity, organization=spec.organization
        )
        if (
            participation.pk
            and participation.role == spec.role
            and participation.contribution == spec.contribution
        ):
            result.append(participation)
            continue
        participation.role = spec.role
        participation.contribution = spec.contribution
        _clean(participation)
        _save(participation, actor)
        result.append(participation)
    return result


@transaction.atomic
def create_topic(*, actor: Actor, code: str, name: str) -> Topic:
    """A new topic, for activities to name (a new topic is on no activity yet, so nothing is
    announced). Managers only; None is an operator command."""
    if actor is not None:
        _require(permissions.is_manager(actor), "Only managers add topics.")
    topic = Topic(code=code, name=name)
    _clean(topic)
    topic.save()
    return topic


@transaction.atomic
def create_activity(
    *,
    actor: Actor,
    matrix: ActivityMatrix,
    code: str,
    title: str,
    thematic_area: ThematicArea,
    cooperation_type: str,
    horizon: str,
    participations: Sequence[ParticipationSpec],
    lifecycle: str = Activity.Lifecycle.PIPELINE,
    description: str = "",
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    budget_required: Decimal = Decimal("0"),
    currency: str = "USD",
    topics: Sequence[Topic] = (),
    sdg_targets: Sequence[SDGTarget] = (),
    is_illustrative: bool = False,
    liaison_officers: Sequence[AbstractBaseUser] = (),
) -> Activity:
    if actor is not None:
        _require(
            permissions.can_create_activity(actor, [s.organization.pk for s in participations]),
            "Only managers, or liaison officers for an activity in which their own organization "
            "participates, may create activities.",
        )
    activity = Activity(
        matrix=matrix,
        code=code,
        title=title,
        description=description,
        thematic_area=thematic_area,
        cooperation_type=cooperation_type,
        horizon=horizon,
        lifecycle=lifecycle,
        start_date=start_date,
        end_date=end_date,
        budget_required=budget_required,
        currency=rules.normalise_currency(currency),
        is_illustrative=is_illustrative,
    )
    errors = _activity_errors(activity)
    if problems := participation_errors(participations):
        errors["participations"] = problems
    _clean(activity, errors)
    _save(activity, actor)
    activity.topics.set(topics)
    activity.sdg_targets.set(sdg_targets)
    activity.liaison_officers.set(liaison_officers)
    _write_participations(activity, participations, actor)
    announce_facts_changed([activity.pk], reason="activity_created")
    return activity


@transaction.atomic
def update_activity(
    *, actor: Actor, activity: Activity, version: int | None, changes: ActivityChanges
) -> Activity:
    """Apply `changes` to the activity if it is still at `version` (None: whatever version is
    current, as `If-Match: *`); returns the fresh activity, its version bumped by one, or as it
    was when the changes change nothing."""
    _may_edit(actor, activity)
    unknown = set(changes) - set(ActivityChanges.__annotations__)
    if unknown:
        raise ValueError(f"update_activity cannot change {sorted(unknown)}")
    fields = {field: changes[field] for field in ACTIVITY_FIELDS if field in changes}
    if "currency" in fields:
        fields["currency"] = rules.normalise_currency(fields["currency"])
    same = _unchanged(Activity, pk=activity.pk, expected_version=version, changes=fields)
    if same is not None and _same_activity_relations(same, changes):
        return same
    activity = _claim(Activity, pk=activity.pk, expected_version=version)
    for field, value in fields.items():
        setattr(activity, field, value)
    errors = _activity_errors(activity)
    participations = changes.get("participations")
    if participations is not None and (problems := participation_errors(participations)):
        errors["participations"] = problems
    _clean(activity, errors)
    _save(activity, actor)
    if "topics" in changes:
        activity.topics.set(changes["topics"])
    if "sdg_targets" in changes:
        activity.sdg_targets.set(changes["sdg_targets"])
    if participations is not None:
        _write_participations(activity, participations, actor)
    announce_facts_changed([activity.pk], reason="activity_edited")
    return activity


@transaction.atomic
def delete_activity(*, actor: Actor, activity: Activity, version: int | None) -> None:
    """Remove an activity still at `version` (None: any) with its milestones, indicators and
    funding (managers only). One with progress updates is refused: reports and their approvals
    are the partnership's record of accountability."""
    if actor is not None:
        _require(permissions.is_manager(actor), "Only managers remove activities.")
    fresh = _claim(Activity, pk=activity.pk, expected_version=version)
    updates = fresh.updates.count()
    if updates:
        raise ValidationError(
            f"Activity {fresh.code} has {updates} progress update(s): it cannot be removed."
        )
    names = list(
        Evidence.objects.filter(measurement__indicator__activity=fresh).values_list(
            "file", flat=True
        )
    )
    _attribute(fresh, actor)
    fresh.delete()
    _delete_files_on_commit(names)


@transaction.atomic
def set_participations(
    *,
    actor: Actor,
    activity: Activity,
    version: int,
    participations: Sequence[ParticipationSpec],
) -> list[ActivityParticipation]:
    """Replace who takes part in the activity (exactly one lead). Participations are part of the
    activity's record, so this names and bumps the activity's version."""
    _may_edit(actor, activity)
    if problems := participation_errors(participations):
        raise ValidationError({"participations": problems})
    activity = _claim(Activity, pk=activity.pk, expected_version=version)
    _save(activity, actor, update_fields=["updated_at"])
    written = _write_participations(activity, participations, actor)
    announce_facts_changed([activity.pk], reason="participations_changed")
    return written


@transaction.atomic
def designate_priority(
    *, actor: Actor, activity: Activity, year: int, rank: int, rationale: str = ""
) -> PriorityDesignation:
    if actor is not None:
        _require(permissions.can_designate_priority(actor), "Only managers designate priorities.")
    priority = PriorityDesignation(activity=activity, year=year, rank=rank, rationale=rationale)
    _clean(priority)
    _save(priority, actor)
    announce_facts_changed([activity.pk], reason="priority_designated")
    return priority


@dataclass(frozen=True, slots=True)
class RankedPriority:
    """One activity's place among a year's priorities, as a caller asks for it."""

    activity: Activity
    rank: int
    rationale: str = ""


def priority_fingerprint(priorities: Iterable[PriorityDesignation]) -> str:
    """What a year's priorities look like now, as the ranking form read them: its optimistic
    check (PriorityDesignation has no version of its own; the year's list is what is edited)."""
    rows = sorted((p.activity_id, p.rank, p.rationale) for p in priorities)
    return ";".join(f"{activity}:{rank}:{len(rationale)}" for activity, rank, rationale in rows)


@transaction.atomic
def set_priorities(
    *, actor: Actor, year: int, expected: str | None, priorities: Sequence[RankedPriority]
) -> list[PriorityDesignation]:
    """Make the year's priorities exactly `priorities`, in their ranks: new ones designated,
    dropped ones removed, the others re-ranked. `expected` is `priority_fingerprint` of the
    year's priorities as the caller saw them (None: whatever they are); if they changed since,
    ConflictError and nothing is written. Every activity whose designation changed is
    announced."""
    if actor is not None:
        _require(permissions.can_designate_priority(actor), "Only managers designate priorities.")
    errors: dict[str, list[str]] = {}
    if problems := rules.ranking_errors([p.rank for p in priorities]):
        errors["priorities"] = problems
    ids = [p.activity.pk for p in priorities]
    if len(set(ids)) != len(ids):
        errors.setdefault("priorities", []).append("An activity is listed more than once.")
    if not 1990 <= year <= 2100:
        errors["year"] = ["Give a year between 1990 and 2100."]
    if errors:
        raise ValidationError(errors)
    current = {
        p.activity_id: p
        for p in PriorityDesignation.objects.select_for_update().filter(year=year).order_by("id")
    }
    if expected is not None and priority_fingerprint(current.values()) != expected:
        raise ConflictError(model_name="list of priorities", expected_version=0, current_version=0)
    wanted = {p.activity.pk for p in priorities}
    changed: set[int] = set()
    for activity_id, designation in current.items():
        if activity_id not in wanted:
            _attribute(designation, actor)
            designation.delete()
            changed.add(activity_id)
    result = []
    for spec in priorities:
        designation = current.get(spec.activity.pk)
        if designation is not None and (designation.rank, designation.rationale) == (
            spec.rank,
            spec.rationale,
        ):
            result.append(designation)
            continue
        designation = designation or PriorityDesignation(activity=spec.activity, year=year)
        designation.rank = spec.rank
        designation.rationale = spec.rationale
        _clean(designation)
        _save(designation, actor)
        changed.add(spec.activity.pk)
        result.append(designation)
    announce_facts_changed(changed, reason="priorities_ranked")
    return result


# --- milestones -----------------------------------------------------------------------------------


class MilestoneChanges(TypedDict, total=False):
    title: str
    due_date: dt.date
    weight: int
    completed_on: dt.date | None
    outside_period_confirmed: bool


def _milestone_errors(milestone: Milestone, *, due_date_set: bool = True) -> dict[str, list[str]]:
    """`due_date_set`: whether this write sets the due date (or its confirmation). A milestone
    written before the rule existed keeps its date through edits that leave the date alone
    (marking it complete, say); moving it is checked."""
    errors: dict[str, list[str]] = {}
    if milestone.weight is not None and milestone.weight < 1:
        errors["weight"] = ["The weight must be at least 1."]
    if not due_date_set:
        return errors
    activity = milestone.activity
    return rules.merge(
        errors,
        rules.milestone_errors(
            _values(milestone, ("due_date", "outside_period_confirmed")),
            activity_start=activity.start_date,
            activity_end=activity.end_date,
        ),
    )


@transaction.atomic
def add_milestone(
    *,
    actor: Actor,
    activity: Activity,
    title: str,
    due_date: dt.date,
    weight: int = 1,
    completed_on: dt.date | None = None,
    outside_period_confirmed: bool = False,
) -> Milestone:
    _may_edit(actor, activity)
    milestone = Milestone(
        activity=activity,
        title=title,
        due_date=due_date,
        weight=weight,
        completed_on=completed_on,
        outside_period_confirmed=outside_period_confirmed,
    )
    _clean(milestone, _milestone_errors(milestone))
    _save(milestone, actor)
    reason = "milestone_completed" if completed_on is not None else "milestone_added"
    announce_facts_changed([activity.pk], reason=reason)
    return milestone


@transaction.atomic
def update_milestone(
    *, actor: Actor, milestone: Milestone, version: int | None, changes: MilestoneChanges
) -> Milestone:
    """Edit a milestone that is still at `version` (None: any). Setting or clearing
    `completed_on` changes the activity's monitoring facts, so monitoring is told. Changes that
    change nothing leave the milestone (and its version) as it was."""
    _may_edit(actor, milestone.activity)
    unknown = set(changes) - set(MilestoneChanges.__annotations__)
    if unknown:
        raise ValueError(f"update_milestone cannot change {sorted(unknown)}")
    same = _unchanged(Milestone, pk=milestone.pk, expected_version=version, changes=dict(changes))
    if same is not None:
        return same
    fresh = _claim(Milestone, pk=milestone.pk, expected_version=version)
    was_completed_on = fresh.completed_on
    for field, value in changes.items():
        setattr(fresh, field, value)
    due_date_set = bool({"due_date", "outside_period_confirmed"} & set(changes))
    _clean(fresh, _milestone_errors(fresh, due_date_set=due_date_set))
    _save(fresh, actor)
    if fresh.completed_on == was_completed_on:
        reason = "milestone_edited"
    else:
        reason = "milestone_completed" if fresh.completed_on else "milestone_reopened"
    announce_facts_changed([fresh.activity_id], reason=reason)
    return fresh


def complete_milestone(
    *, actor: Actor, milestone: Milestone, version: int | None, completed_on: dt.date | None = None
) -> Milestone:
    """Mark a milestone complete (today unless a date is given)."""
    return update_milestone(
        actor=actor,
        milestone=milestone,
        version=version,
        changes={"completed_on": completed_on or timezone.localdate()},
    )


@transaction.atomic
def delete_milestone(*, actor: Actor, milestone: Milestone, version: int | None) -> None:
    """Remove a milestone still at `version` (None: any); its history keeps what it was. The
    activity's progress and overdue findings change with it, so monitoring is told."""
    _may_edit(actor, milestone.activity)
    fresh = _claim(Milestone, pk=milestone.pk, expected_version=version)
    activity_id = fresh.activity_id
    _attribute(fresh, actor)
    fresh.delete()
    announce_facts_changed([activity_id], reason="milestone_deleted")


# --- funding commitments --------------------------------------------------------------------------


class FundingChanges(TypedDict, total=False):
    donor: Organization
    amount: Decimal
    currency: str
    status: str
    date: dt.date


def _funding_errors(commitment: FundingCommitment) -> dict[str, list[str]]:
    return rules.funding_errors(_values(commitment, ("amount", "currency")))


def _claim_activity_for_funding(actor: Actor, activity: Activity, version: int | None) -> Activity:
    """Funding is part of the activity's record (its secured share is a monitoring fact), so its
    writes name and bump the activity's version, as participations do."""
    _may_edit(actor, activity)
    claimed = _claim(Activity, pk=activity.pk, expected_version=version)
    _save(claimed, actor, update_fields=["updated_at"])
    return claimed


@transaction.atomic
def add_funding(
    *,
    actor: Actor,
    activity: Activity,
    version: int | None,
    donor: Organization,
    amount: Decimal,
    status: str,
    date: dt.date,
    currency: str = "USD",
) -> FundingCommitment:
    commitment = FundingCommitment(
        activity=activity,
        donor=donor,
        amount=amount,
        currency=rules.normalise_currency(currency),
        status=status,
        date=date,
    )
    _may_edit(actor, activity)
    _clean(commitment, _funding_errors(commitment))
    _claim_activity_for_funding(actor, activity, version)
    _save(commitment, actor)
    announce_facts_changed([activity.pk], reason="funding_added")
    return commitment


def _check_fingerprint(commitment: FundingCommitment, fingerprint: str | None) -> None:
    """A funding line keeps no version of its own: a caller that read one line (the Activity
    Matrix workbook) names its fingerprint, and a line changed since is a conflict."""
    if fingerprint is None:
        return
    current = selectors.funding_fingerprint(commitment)
    if current != fingerprint:
        raise FundingConflict(expected=fingerprint, current=current)


@transaction.atomic
def update_funding(
    *,
    actor: Actor,
    commitment: FundingCommitment,
    version: int | None,
    changes: FundingChanges,
    fingerprint: str | None = None,
) -> FundingCommitment:
    """Change a commitment; `version` is its activity's, `fingerprint` (optional) the line's as
    the caller read it. Either being stale is a ConflictError; None checks nothing."""
    unknown = set(changes) - set(FundingChanges.__annotations__)
    if unknown:
        raise ValueError(f"update_funding cannot change {sorted(unknown)}")
    _claim_activity_for_funding(actor, commitment.activity, version)
    fresh = FundingCommitment.objects.select_for_update().get(pk=commitment.pk)
    _check_fingerprint(fresh, fingerprint)
    for field, value in changes.items():
        setattr(fresh, field, rules.normalise_currency(value) if field == "currency" else value)
    _clean(fresh, _funding_errors(fresh))
    _save(fresh, actor)
    announce_facts_changed([fresh.activity_id], reason="funding_changed")
    return fresh


@transaction.atomic
def remove_funding(
    *,
    actor: Actor,
    commitment: FundingCommitment,
    version: int | None,
    fingerprint: str | None = None,
) -> None:
    """Remove a commitment; `version` is its activity's, `fingerprint` as in `update_funding`."""
    _claim_activity_for_funding(actor, commitment.activity, version)
    fresh = FundingCommitment.objects.select_for_update().get(pk=commitment.pk)
    _check_fingerprint(fresh, fingerprint)
    activity_id = fresh.activity_id
    _attribute(fresh, actor)
    fresh.delete()
    announce_facts_changed([activity_id], reason="funding_removed")


# --- indicators and measurements ------------------------------------------------------------------


def _indicator_errors(indicator: Indicator) -> dict[str, list[str]]:
    fields = ("kind", "baseline", "target", "direction", "baseline_date", "target_date")
    return rules.indicator_errors(_values(indicator, fields))


@transaction.atomic
def add_indicator(
    *,
    actor: Actor,
    activity: Activity,
    name: str,
    unit: str,
    baseline: Decimal,
    baseline_date: dt.date,
    target: Decimal,
    target_date: dt.date,
    direction: str,
    kind: str = Indicator.Kind.NUMBER,
) -> Indicator:
    _may_edit(actor, activity)
    indicator = Indicator(
        activity=activity,
        name=name,
        unit=unit,
        kind=kind,
        baseline=baseline,
        baseline_date=baseline_date,
        target=target,
        target_date=target_date,
        direction=direction,
    )
    _clean(indicator, _indicator_errors(indicator))
    _save(indicator, actor)
    announce_facts_changed([activity.pk], reason="indicator_added")
    return indicator


def _category_errors(
    indicator: Indicator, given: Mapping[int, Decimal], *, total: Decimal, what: str
) -> list[str]:
    """The breakdown's problems: each category's value kept to the indicator's kind, and the
    categories against the total (activities.breakdowns). One query for the declared
    dimensions."""
    problems = [
        f"{message} (category {category_id})"
        for category_id, category_value in given.items()
        for message in rules.measurement_errors({"value": category_value}, kind=indicator.kind).get(
            "value", []
        )
    ]
    dimensions = selectors.dimension_refs(indicator_id=indicator.pk)
    if given and not dimensions:
        return [*problems, "This indicator declares no dimensions to break its values down by."]
    return problems + breakdowns.breakdown_errors(
        total=total, given=given, dimensions=dimensions, kind=indicator.kind, what=what
    )


class IndicatorChanges(TypedDict, total=False):
    name: str
    unit: str
    kind: str
    direction: str
    baseline: Decimal
    baseline_date: dt.date
    target: Decimal
    target_date: dt.date


@transaction.atomic
def update_indicator(
    *, actor: Actor, indicator: Indicator, version: int | None, changes: IndicatorChanges
) -> Indicator:
    """Edit an indicator still at `version` (None: any). Its baseline and target make the
    trajectory monitoring checks, so a change is announced; changes that change nothing leave
    the indicator (and its version) as it was."""
    _may_edit(actor, indicator.activity)
    unknown = set(changes) - set(IndicatorChanges.__annotations__)
    if unknown:
        raise ValueError(f"update_indicator cannot change {sorted(unknown)}")
    same = _unchanged(Indicator, pk=indicator.pk, expected_version=version, changes=dict(changes))
    if same is not None:
        return same
    fresh = _claim(Indicator, pk=indicator.pk, expected_version=version)
    for field, value in changes.items():
        setattr(fresh, field, value)
    _clean(fresh, _indicator_errors(fresh))
    _save(fresh, actor)
    announce_facts_changed([fresh.activity_id], reason="indicator_edited")
    return fresh


@transaction.atomic
def delete_indicator(*, actor: Actor, indicator: Indicator, version: int | None) -> None:
    """Remove an indicator (and its measurements) still at `version` (None: any); the
    measurements' evidence files go once this commits."""
    _may_edit(actor, indicator.activity)
    fresh = _claim(Indicator, pk=indicator.pk, expected_version=version)
    activity_id = fresh.activity_id
    names = list(
        Evidence.objects.filter(measurement__indicator=fresh).values_list("file", flat=True)
    )
    _attribute(fresh, actor)
    fresh.delete()
    _delete_files_on_commit(names)
    announce_facts_changed([activity_id], reason="indicator_deleted")


@transaction.atomic
def record_measurement(
    *,
    actor: Actor,
    indicator: Indicator,
    measured_on: dt.date,
    value: Decimal,
    note: str = "",
    breakdown: Mapping[int, Decimal] | None = None,
) -> Measurement:
    """One value per indicator and day, optionally by category (`breakdown`: category id →
    value, of the indicator's declared dimensions; a dimension given in full adds up to the
    total). A new value is a monitoring fact (indicator trajectory)."""
    _may_edit(actor, indicator.activity)
    measurement = Measurement(
        indicator=indicator,
        measured_on=measured_on,
        value=value,
        note=note,
        recorded_by=actor,
    )
    errors = rules.measurement_errors({"value": value}, kind=indicator.kind)
    if indicator.measurements.filter(measured_on=measured_on).exists():
        errors["measured_on"] = ["A value is already recorded for this indicator on this day."]
    given = dict(breakdown or {})
    if given and (problems := _category_errors(indicator, given, total=value, what="total")):
        errors["breakdown"] = problems
    _clean(measurement, errors)
    _save(measurement, actor)
    MeasurementValue.objects.bulk_create(
        MeasurementValue(measurement=measurement, category_id=category_id, value=category_value)
        for category_id, category_value in given.items()
    )
    announce_facts_changed([indicator.activity_id], reason="measurement_recorded")
    return measurement


@transaction.atomic
def set_measurement_breakdown(
    *, actor: Actor, measurement: Measurement, breakdown: Mapping[int, Decimal]
) -> Measurement:
    """A recorded value's breakdown by category (category id → value), replacing any given
    before; held to the same rules as when recorded with it."""
    indicator = measurement.indicator
    _may_edit(actor, indicator.activity)
    given = dict(breakdown)
    if problems := _category_errors(indicator, given, total=measurement.value, what="total"):
        raise ValidationError({"breakdown": problems})
    measurement.breakdown.all().delete()
    MeasurementValue.objects.bulk_create(
        MeasurementValue(measurement=measurement, category_id=category_id, value=value)
        for category_id, value in given.items()
    )
    announce_facts_changed([indicator.activity_id], reason="measurement_breakdown_set")
    return measurement


@transaction.atomic
def declare_dimensions(
    *, actor: Actor, indicator: Indicator, dimensions: Sequence[Dimension]
) -> list[Dimension]:
    """The indicator's values are broken down by these dimensions too (those already declared
    stay)."""
    _may_edit(actor, indicator.activity)
    have = set(indicator.dimension_links.values_list("dimension_id", flat=True))
    IndicatorDimension.objects.bulk_create(
        IndicatorDimension(indicator=indicator, dimension=dimension)
        for dimension in dimensions
        if dimension.pk not in have
    )
    return list(Dimension.objects.filter(indicator_links__indicator=indicator).order_by("name"))


@transaction.atomic
def set_category_targets(
    *, actor: Actor, indicator: Indicator, targets: Mapping[int, Decimal]
) -> list[CategoryTarget]:
    """The indicator's targets by category (category id → target), replacing those set before;
    a dimension given in full adds up to the indicator's target."""
    _may_edit(actor, indicator.activity)
    problems = _category_errors(indicator, dict(targets), total=indicator.target, what="target")
    if problems:
        raise ValidationError({"targets": problems})
    indicator.category_targets.exclude(category_id__in=list(targets)).delete()
    rows = []
    for category_id, target in targets.items():
        row, _ = CategoryTarget.objects.update_or_create(
            indicator=indicator, category_id=category_id, defaults={"target": target}
        )
        rows.append(row)
    announce_facts_changed([indicator.activity_id], reason="category_targets_set")
    return rows


# --- progress updates -----------------------------------------------------------------------------


class ProgressUpdateChanges(TypedDict, total=False):
    period_end: dt.date
    period: ReportingPeriod  # checked against period_end, which places the update
    percent_complete: int
    narrative: str
    risks: str


EDITABLE_UPDATE_STATES = (ProgressUpdate.State.DRAFT, ProgressUpdate.State.RETURNED)


def _update_errors(
    update: ProgressUpdate, named_period: ReportingPeriod | None = None
) -> dict[str, list[str]]:
    activity = update.activity
    errors = rules.merge(
        rules.update_errors(
            _values(update, ("period_end",)),
            activity_start=activity.start_date,
            activity_end=activity.end_date,
        ),
        _place_in_period(update),
    )
    return rules.merge(errors, _named_period_errors(update, named_period))


def _named_period_errors(
    update: ProgressUpdate, named: ReportingPeriod | None
) -> dict[str, list[str]]:
    """The period an API client named must be the one the update's period end places it in:
    the date decides (as on the page), the name only guards against reporting on the wrong one.
    Reads the named period's calendar (a query unless it was loaded with it)."""
    if named is None or named.pk == update.period_id:
        return {}
    if named.calendar.plan_id != update.activity.matrix.plan_id:
        return {"period": ["That period is not in the reporting calendar of this activity's plan."]}
    return {
        "period": [
            f"{named.label} runs from {named.starts_on:%d %B %Y} to {named.ends_on:%d %B %Y}; "
            f"the period end {update.period_end:%d %B %Y} lies outside it."
        ]
    }


def _place_in_period(update: ProgressUpdate) -> dict[str, list[str]]:
    """Set the update's reporting period (the one of its plan's calendar that contains its
    period end) and, when that period already has an approved update, make it a correction of
    it: an approved update locks its period. Errors when the plan has a calendar and no period
    contains the date. One query, two when the plan's calendar has no such period."""
    if update.period_end is None:
        return {}
    plan_id = update.activity.matrix.plan_id
    period = (
        ReportingPeriod.objects.filter(
            calendar__plan_id=plan_id,
            starts_on__lte=update.period_end,
            ends_on__gte=update.period_end,
        )
        .order_by("starts_on")
        .first()
    )
    update.period = period
    if period is None:
        update.corrects_id = None
        if ReportingCalendar.objects.filter(plan_id=plan_id).exists():
            return {"period_end": ["No reporting period of this plan contains this date."]}
        return {}
    approved = (
        period.updates.filter(activity_id=update.activity_id, state=ProgressUpdate.State.APPROVED)
        .exclude(pk=update.pk)
        .order_by("-reviewed_at", "-id")
        .first()
    )
    # A correction corrects the period's original, not an earlier correction.
    update.corrects_id = None if approved is None else (approved.corrects_id or approved.pk)
    return {}


def _window_errors(update: ProgressUpdate, today: dt.date) -> dict[str, list[str]]:
    """A report is submitted once its period's window has opened."""
    period = update.period
    if period is not None and today < period.opens_on:
        return {
            "period_end": [
                f"Reports for {period.label} can be submitted from {period.opens_on:%d %B %Y}."
            ]
        }
    return {}


def _transition(update: ProgressUpdate, allowed_from: Iterable[str], action: str) -> None:
    if update.state not in allowed_from:
        raise InvalidTransition(
            f"This update is {update.get_state_display().lower()}; it cannot be {action}."
        )


@transaction.atomic
def create_progress_update(
    *,
    actor: AbstractBaseUser,
    activity: Activity,
    period_end: dt.date,
    percent_complete: int,
    narrative: str,
    risks: str = "",
    submit: bool = False,
    period: ReportingPeriod | None = None,
) -> ProgressUpdate:
    """Write a progress update as a draft, or submitted for approval straight away. Its
    reporting period is the one that contains `period_end` (`period`, when given, must be that
    one); a period whose update was approved is locked, and the new update is a correction of
    that update."""
    _may_edit(actor, activity)
    update = ProgressUpdate(
        activity=activity,
        period_end=period_end,
        percent_complete=percent_complete,
        narrative=narrative,
        risks=risks,
        author=actor,
        state=ProgressUpdate.State.SUBMITTED if submit else ProgressUpdate.State.DRAFT,
        submitted_at=timezone.now() if submit else None,
    )
    errors = _update_errors(update, period)
    if submit:
        errors = rules.merge(errors, _window_errors(update, timezone.localdate()))
    _clean(update, errors)
    _save(update, actor)
    if submit:
        _record_update_event(Event.Kind.UPDATE_SUBMITTED, update, actor)
    return update


def _record_update_event(kind: str, update: ProgressUpdate, actor: Actor) -> None:
    record_event(
        kind=kind,
        activity_ids=[update.activity_id],
        actor=actor,
        payload={
            "update_id": update.pk,
            "author_id": update.author_id,
            "period_end": update.period_end.isoformat(),
        },
        note=update.review_note if kind == Event.Kind.UPDATE_RETURNED else "",
    )


@transaction.atomic
def edit_progress_update(
    *, actor: Actor, update: ProgressUpdate, version: int | None, changes: ProgressUpdateChanges
) -> ProgressUpdate:
    """Change a draft or returned update that is still at `version` (None: any). Changes that
    change nothing leave the update (and its version) as it was."""
    _may_edit(actor, update.activity)
    unknown = set(changes) - set(ProgressUpdateChanges.__annotations__)
    if unknown:
        raise ValueError(f"edit_progress_update cannot change {sorted(unknown)}")
    same = _unchanged(ProgressUpdate, pk=update.pk, expected_version=version, changes=dict(changes))
    if same is not None:
        _transition(same, EDITABLE_UPDATE_STATES, "edited")
        return same
    fresh = _claim(ProgressUpdate, pk=update.pk, expected_version=version)
    _transition(fresh, EDITABLE_UPDATE_STATES, "edited")
    named_period = changes.get("period")
    for field, value in changes.items():
        if field != "period":  # the period end places the update; `period` only checks it
            setattr(fresh, field, value)
    # As for milestones: the period is checked when this edit sets it.
    placing = "period_end" in changes or named_period is not None
    _clean(fresh, _update_errors(fresh, named_period) if placing else None)
    _save(fresh, actor)
    return fresh


@transaction.atomic
def submit_progress_update(
    *, actor: Actor, update: ProgressUpdate, version: int | None = None
) -> ProgressUpdate:
    """Send a draft (or a returned update, once reworked) for approval."""
    _may_edit(actor, update.activity)
    fresh = _claim(ProgressUpdate, pk=update.pk, expected_version=version)
    _transition(fresh, EDITABLE_UPDATE_STATES, "submitted")
    fresh.state = ProgressUpdate.State.SUBMITTED
    fresh.submitted_at = timezone.now()
    _clean(fresh, _window_errors(fresh, timezone.localdate()))
    _save(fresh, actor)
    _record_update_event(Event.Kind.UPDATE_SUBMITTED, fresh, actor)
    return fresh


def _may_take_back(actor: Actor, update: ProgressUpdate) -> None:
    """Only its author takes back an update (an operator command, actor None, may too)."""
    _may_edit(actor, update.activity)
    if actor is not None:
        _require(update.author_id == actor.pk, "Only its author may take back a progress update.")


@transaction.atomic
def delete_progress_update(
    *, actor: Actor, update: ProgressUpdate, version: int | None = None
) -> None:
    """The author throws away their draft (nothing else: a submitted, returned or approved update
    is part of the record, see withdraw_progress_update), with its evidence: the stored files go
    once this commits. Its history keeps the update."""
    _may_take_back(actor, update)
    fresh = _claim(ProgressUpdate, pk=update.pk, expected_version=version)
    _transition(fresh, [ProgressUpdate.State.DRAFT], "deleted")
    names = list(fresh.evidence.values_list("file", flat=True))
    _attribute(fresh, actor)
    fresh.delete()
    _delete_files_on_commit(names)


@transaction.atomic
def withdraw_progress_update(
    *, actor: Actor, update: ProgressUpdate, version: int | None
) -> ProgressUpdate:
    """The author takes a submitted update back before it is reviewed: a draft again."""
    _may_take_back(actor, update)
    fresh = _claim(ProgressUpdate, pk=update.pk, expected_version=version)
    _transition(fresh, [ProgressUpdate.State.SUBMITTED], "withdrawn")
    fresh.state = ProgressUpdate.State.DRAFT
    fresh.submitted_at = None
    _clean(fresh)
    _save(fresh, actor)
    return fresh


@transaction.atomic
def approve_progress_update(
    *, actor: AbstractBaseUser, update: ProgressUpdate, version: int | None = None, note: str = ""
) -> ProgressUpdate:
    """A manager accepts a submitted update; it becomes a monitoring fact.

    The four-eyes rule (accountability: two people see every reported figure): nobody approves
    their own update (NotAllowed), nor one whose content they changed in any version, e.g. by
    editing it after returning it (FourEyesViolation). Who changed the content is read from the
    update's audit history, which every save writes (`selectors.update_contributors`); it is read
    after the row is claimed, so no edit can slip in between the check and the approval."""
    _may_review(actor)
    _require(update.author_id != actor.pk, "You cannot approve your own progress update.")
    fresh = _claim(ProgressUpdate, pk=update.pk, expected_version=version)
    _transition(fresh, [ProgressUpdate.State.SUBMITTED], "approved")
    if actor is not None:
        contributors = selectors.update_contributors(update_ids=[fresh.pk]).get(fresh.pk, set())
        if actor.pk in contributors | {fresh.author_id}:
            raise FourEyesViolation(
                "You changed the content of this update, so another manager must approve it "
                "(four-eyes rule). You may still return it with a note."
            )
    if fresh.period_id is not None and fresh.corrects_id is None:
        # Another update of the period may have been approved since this one was written: this
        # one then becomes its correction.
        _place_in_period(fresh)
    fresh.state = ProgressUpdate.State.APPROVED
    fresh.reviewer = actor
    fresh.reviewed_at = timezone.now()
    fresh.review_note = note
    _clean(fresh)
    _save(fresh, actor)
    announce_facts_changed([fresh.activity_id], reason="update_approved")
    _record_update_event(Event.Kind.UPDATE_APPROVED, fresh, actor)
    return fresh


@transaction.atomic
def return_progress_update(
    *, actor: AbstractBaseUser, update: ProgressUpdate, note: str, version: int | None = None
) -> ProgressUpdate:
    """A manager sends a submitted update back to its authors, saying why."""
    _may_review(actor)
    if not note.strip():
        raise ValidationError({"note": ["Say what needs to change before the update is returned."]})
    fresh = _claim(ProgressUpdate, pk=update.pk, expected_version=version)
    _transition(fresh, [ProgressUpdate.State.SUBMITTED], "returned")
    fresh.state = ProgressUpdate.State.RETURNED
    fresh.reviewer = actor
    fresh.reviewed_at = timezone.now()
    fresh.review_note = note.strip()
    _clean(fresh)
    _save(fresh, actor)
    _record_update_event(Event.Kind.UPDATE_RETURNED, fresh, actor)
    return fresh


# --- one-time form tokens -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Submitted:
    """What a create form's submission did: `created` False when its token was spent before
    (a replay), and `submission` says what that first submission made."""

    created: bool
    submission: FormSubmission
    record: models.Model | None = None


R = TypeVar("R", bound=models.Model)


@transaction.atomic
def submit_once(
    *,
    actor: AbstractBaseUser,
    token: uuid.UUID,
    kind: str,
    create: Callable[[], R],
    describe: Callable[[R], tuple[str, str]],
) -> Submitted:
    """Run `create` (a service call) once per form token.

    The token's row is inserted first, in this transaction: a second submission of the same
    token (the browser's Back and Save again, a double click, a retried POST) meets the unique
    constraint, waits for the first to commit, and gets back what it made instead of making it
    again. Should `create` refuse the input (ValidationError), the row rolls back with it and the
    corrected form may use the same token. `describe` gives the record's summary and URL."""
    try:
        with transaction.atomic():
            submission = FormSubmission.objects.create(token=token, user=actor, kind=kind)
    except IntegrityError:
        return Submitted(created=False, submission=FormSubmission.objects.get(token=token))
    record = create()
    submission.object_id = record.pk
    submission.summary, submission.url = describe(record)
    _clean(submission)
    submission.save(update_fields=["object_id", "summary", "url"])
    return Submitted(created=True, submission=submission, record=record)


# --- reporting calendars --------------------------------------------------------------------------


def calendar_fingerprint(
    calendar: ReportingCalendar | None, rows: Iterable[ReportingPeriod] | None = None
) -> str:
    """What a plan's calendar looks like now, as the calendar page read it: its optimistic check
    (a calendar keeps no version; its settings and periods are what is edited). `rows`: its
    periods when the caller has them, else one query reads them."""
    if calendar is None:
        return "none"
    if rows is None:
        rows = calendar.periods.all()
    settings = (calendar.frequency, calendar.due_after_days, calendar.opens_before_days)
    lines = sorted(f"{p.label};{p.starts_on};{p.ends_on};{p.opens_on};{p.due_on}" for p in rows)
    text = "|".join([";".join(map(str, settings)), *lines])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@transaction.atomic
def set_reporting_calendar(
    *,
    actor: Actor,
    plan: JointActionPlan,
    frequency: str,
    due_after_days: int = 15,
    opens_before_days: int = 0,
    custom_periods: Sequence[periods.PeriodSpec] = (),
    expected: str | None = None,
) -> ReportingCalendar:
    """Give a plan its reporting calendar: monthly or quarterly periods over the plan's period,
    each due `due_after_days` after it ends and open from `opens_before_days` before; or the
    `custom_periods` given. Managers only. A calendar whose periods were reported on is kept
    as it is (ValidationError): reports name their period. `expected`: the calendar's
    `calendar_fingerprint` as the caller read it (None: no check); changed since, it is a
    ConflictError and nothing is written."""
    if actor is not None:
        _require(permissions.is_manager(actor), "Only managers set reporting calendars.")
    if frequency not in ReportingCalendar.Frequency.values:
        raise ValidationError({"frequency": [f"'{frequency}' is not a frequency."]})
    if frequency == ReportingCalendar.Frequency.CUSTOM:
        specs = list(custom_periods)
    else:
        specs = periods.generate(
            frequency,
            start=plan.period_start,
            end=plan.period_end,
            due_after_days=due_after_days,
            opens_before_days=opens_before_days,
        )
    problems = periods.calendar_errors(
        specs, plan_start=plan.period_start, plan_end=plan.period_end
    )
    calendar = ReportingCalendar.objects.select_for_update().filter(plan=plan).first()
    if expected is not None and calendar_fingerprint(calendar) != expected:
        raise ConflictError(model_name="reporting calendar", expected_version=0, current_version=0)
    if calendar is not None and ProgressUpdate.objects.filter(period__calendar=calendar).exists():
        problems.append("Reports name this calendar's periods: it can no longer be changed.")
    if problems:
        raise ValidationError({"periods": problems})
    calendar = calendar or ReportingCalendar(plan=plan)
    calendar.frequency = frequency
    calendar.due_after_days = due_after_days
    calendar.opens_before_days = opens_before_days
    _clean(calendar)
    _save(calendar, actor)
    calendar.periods.all().delete()
    rows = [
        ReportingPeriod(
            calendar=calendar,
            label=spec.label,
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
            opens_on=spec.opens_on,
            due_on=spec.due_on,
        )
        for spec in specs
    ]
    for row in rows:
        row.full_clean(exclude={"calendar"}, validate_constraints=False)
    ReportingPeriod.objects.bulk_create(rows)
    return calendar


# --- evidence -------------------------------------------------------------------------------------


def _subject_activity(update: ProgressUpdate | None, measurement: Measurement | None) -> Activity:
    if (update is None) == (measurement is None):
        raise ValueError("Evidence belongs to a progress update or to a measurement, not both.")
    return update.activity if update is not None else measurement.indicator.activity


def _delete_files_on_commit(names: Iterable[str]) -> None:
    """Remove stored files once the rows pointing at them are gone for good (after commit):
    a rolled-back delete keeps its files."""
    names = [name for name in names if name]

    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    if names:
        transaction.on_commit(delete)


@transaction.atomic
def attach_evidence(
    *,
    actor: AbstractBaseUser,
    upload: UploadedFile,
    update: ProgressUpdate | None = None,
    measurement: Measurement | None = None,
    supersedes: Evidence | None = None,
) -> Evidence:
    """Attach a file to a progress update or a measurement. The type is read from the content
    (activities.evidence), the size held to EVIDENCE_MAX_BYTES; a file refused for either is
    never stored. An approved update takes a file only as a correction that `supersedes` one of
    its own (the superseded file stays, marked so)."""
    activity = _subject_activity(update, measurement)
    _may_edit(actor, activity)
    errors: dict[str, list[str]] = {}
    name = (upload.name or "").rsplit("/", 1)[-1].strip()[:255] or "unnamed"
    if update is not None and update.state == ProgressUpdate.State.APPROVED and supersedes is None:
        errors["file"] = [
            "This update is approved: its evidence cannot change, only be corrected by a file "
            "that supersedes one of its files."
        ]
    if supersedes is not None:
        same = supersedes.update_id == getattr(update, "pk", None) and (
            supersedes.measurement_id == getattr(measurement, "pk", None)
        )
        if not same:
            errors["supersedes"] = ["A correction supersedes a file of the same record."]
        elif Evidence.objects.filter(supersedes=supersedes).exists():
            errors["supersedes"] = ["That file has already been superseded."]
    upload.seek(0)
    head = upload.read(evidence_rules.HEAD_BYTES)
    check = evidence_rules.check_file(
        name=name, size=upload.size, head=head, max_bytes=settings.EVIDENCE_MAX_BYTES
    )
    if check.problems:
        errors.setdefault("file", []).extend(check.problems)
    if errors:
        raise ValidationError(errors)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    evidence = Evidence(
        update=update,
        measurement=measurement,
        name=name,
        content_type=check.content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
        supersedes=supersedes,
    )
    upload.seek(0)
    evidence.file.save(name, upload, save=False)
    try:
        _clean(evidence)
        evidence.save()
    except Exception:
        default_storage.delete(evidence.file.name)
        raise
    return evidence


@transaction.atomic
def remove_evidence(*, actor: AbstractBaseUser, evidence: Evidence) -> None:
    """Remove a file from an update not yet approved, or from a measurement; its stored file
    goes once this commits."""
    activity = _subject_activity(evidence.update, evidence.measurement)
    _may_edit(actor, activity)
    if evidence.update is not None and evidence.update.state == ProgressUpdate.State.APPROVED:
        raise InvalidTransition(
            "This update is approved: its evidence cannot be removed, only superseded by a "
            "correction."
        )
    if Evidence.objects.filter(supersedes=evidence).exists():
        raise InvalidTransition("A file that a correction supersedes stays with its correction.")
    name = evidence.file.name
    evidence.delete()
    _delete_files_on_commit([name])
