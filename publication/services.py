"""Every write of the publication app: an activity's tiers and public texts, publishing a snapshot,
withdrawing one. The pages and the commands call these; nothing else writes.

Conventions as in `activities.services`: keyword-only typed arguments, one transaction per call,
`full_clean()` before saving, every error at once as a `ValidationError`, permissions checked here
(`actor=None` only for trusted operator commands where stated), a stale `version` refused with
`ConflictError` and nothing written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from activities.exceptions import ConflictError, InvalidTransition, NotAllowed
from activities.models import Activity
from publication import permissions, rules, selectors
from publication.checklist import checklist
from publication.models import Disclosure, Snapshot
from publication.public_view import public_view

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    Actor = AbstractBaseUser | None


def _clean(instance: Disclosure | Snapshot, errors: dict[str, list[str]]) -> None:
    """`full_clean()` plus the errors found before it, raised together."""
    errors = {key: list(messages) for key, messages in errors.items()}
    try:
        instance.full_clean(exclude=set(errors) - {NON_FIELD_ERRORS})
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def canonical_json(content: Any) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest_of(content: Any) -> str:
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


# --- sensitivity tiers ----------------------------------------------------------------------------


@transaction.atomic
def set_disclosure(
    *,
    actor: Actor,
    activity_id: int,
    version: int | None,
    tier: str,
    field_tiers: Mapping[str, str],
    public_summary: str = "",
    public_status_reason: str = "",
) -> Disclosure:
    """Set an activity's tiers and the texts written for the public. Managers and liaison officers
    of the lead organization only (`actor=None`: a trusted command). `version` is the one the
    editor started from (None: whatever it is now). Audited: the history row names the actor."""
    activity = Activity.objects.prefetch_related("participations").get(pk=activity_id)
    if actor is not None and not permissions.can_set_disclosure(actor, activity):
        raise NotAllowed(
            "Only managers and liaison officers of the lead organization may change what is "
            f"published of activity {activity.code}."
        )
    current = Disclosure.objects.select_for_update().filter(activity_id=activity_id).first()
    current_version = current.version if current is not None else 1
    if version is not None and version != current_version:
        raise ConflictError(
            model_name="publication settings",
            expected_version=version,
            current_version=current_version,
        )
    changes: dict[str, Any] = {
        "tier": tier,
        **{f"{name}_tier": field_tiers.get(name) for name in rules.FIELD_GROUPS},
        "public_summary": public_summary.strip(),
        "public_status_reason": public_status_reason.strip(),
    }
    row = current if current is not None else Disclosure(activity_id=activity_id)
    if current is not None and all(getattr(row, k) == v for k, v in changes.items()):
        return row  # nothing changes: no new version, no history row
    for field, value in changes.items():
        setattr(row, field, value)
    _clean(row, rules.tier_problems(tier, field_tiers))
    if current is not None:
        row.version = current.version + 1
    if actor is not None:
        row._history_user = actor
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        # Two first edits at once: the other one created the row.
        raise ConflictError(
            model_name="publication settings", expected_version=1, current_version=2
        ) from exc
    return row


# --- snapshots ------------------------------------------------------------------------------------


def _may_publish(actor: AbstractBaseUser) -> None:
    if not permissions.can_publish(actor):
        raise NotAllowed("Only managers publish and withdraw snapshots.")


@transaction.atomic
def publish_snapshot(
    *, actor: AbstractBaseUser, plan_id: int, as_of: dt.date, note: str = ""
) -> Snapshot:
    """Freeze what the public may see of the plan as of an assessed date (`public_view`), after
    the checklist: with problems, only with a note saying why it is published anyway. The
    snapshot never changes afterwards."""
    _may_publish(actor)
    errors: dict[str, list[str]] = {}
    if as_of not in selectors.publishable_dates(plan_id=plan_id):
        errors["as_of"] = [
            "Choose a date the plan was assessed as of (a finished monitoring run): a snapshot "
            "shows the status on that date."
        ]
    elif Snapshot.objects.filter(plan_id=plan_id, as_of=as_of, withdrawn_at__isnull=True).exists():
        errors["as_of"] = [
            "A snapshot of the plan as of this date is published; withdraw it first to publish "
            "a corrected one."
        ]
    if errors:
        raise ValidationError(errors)
    facts = selectors.plan_facts(plan_id=plan_id, as_of=as_of)
    found = checklist(facts)
    note = note.strip()
    if found.problems and not note:
        raise ValidationError(
            {
                "note": [
                    f"The checklist found {len(found.problems)} problem(s): fix them, or publish "
                    "anyway with a note saying why."
                ]
            }
        )
    content = public_view(facts)
    snapshot = Snapshot(
        plan_id=plan_id,
        as_of=as_of,
        content={key: value for key, value in content.items() if key != "activities"},
        activities=content["activities"],
        digest=digest_of(content),
        activity_count=content["activity_count"],
        plan_title=content["plan"]["title"],
        partnership_name=content["partnership"]["name"],
        problems=[p.as_dict() for p in found.problems],
        problem_count=len(found.problems),
        note=note,
        published_by=actor,
        published_at=timezone.now(),
    )
    _clean(snapshot, {})
    try:
        with transaction.atomic():
            snapshot.save()
    except IntegrityError as exc:
        # Another manager published the same date a moment before (the unique constraint).
        raise ValidationError(
            {"as_of": ["A snapshot of the plan as of this date was just published."]}
        ) from exc
    return snapshot


@transaction.atomic
def withdraw_snapshot(*, actor: AbstractBaseUser, snapshot_id: int, reason: str) -> Snapshot:
    """Take a snapshot off the public portal and API, with a reason (kept internally): its pages
    then answer 410 Gone. Its content stays as it was."""
    _may_publish(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ["Say why the snapshot is withdrawn."]})
    if len(reason) > 2000:
        raise ValidationError({"reason": ["Keep the reason to 2,000 characters."]})
    # The conditional UPDATE is the check: a snapshot is withdrawn once, and only these columns
    # are ever written after publishing.
    done = Snapshot.objects.filter(pk=snapshot_id, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=actor, withdrawal_reason=reason
    )
    if not done:
        if not Snapshot.objects.filter(pk=snapshot_id).exists():
            raise Snapshot.DoesNotExist(f"Snapshot {snapshot_id} does not exist.")
        raise InvalidTransition("This snapshot was already withdrawn.")
    return Snapshot.objects.get(pk=snapshot_id)
