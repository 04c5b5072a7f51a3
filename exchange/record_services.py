"""The writes of single activity records that the spreadsheet upload needs and
`activities.services` does not have yet: editing an indicator, removing a milestone, an indicator
or an activity, and adding, editing and removing funding lines.

They follow `activities.services`' conventions and use its helpers (permission, `full_clean`, the
conditional version claim, the audit user, the announcement). They live here, beside their one
caller, while other work adds record editing to the pages (issue 16); at merge they belong in
`activities.services`, next to whatever equivalents that work brings.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction

from activities import permissions, rules
from activities.exceptions import ConflictError, NotAllowed
from activities.models import Activity, FundingCommitment, Indicator, Milestone
from activities.services import (
    _attribute,
    _claim,
    _clean,
    _may_edit,
    _save,
    _unchanged,
    _values,
    announce_facts_changed,
)
from exchange.selectors import funding_fingerprint
from partnership.models import Organization

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    Actor = AbstractBaseUser | None


class FundingConflict(ConflictError):
    """A funding line changed since it was read: its fingerprint (funding lines keep no version
    number) is no longer the one the caller saw."""

    def __init__(self, *, expected: str, current: str) -> None:
        Exception.__init__(
            self,
            f"This funding line was changed by someone else after you loaded it (fingerprint "
            f"{expected}, now {current}).",
        )
        self.model_name = "funding line"
        self.expected_version = 0
        self.current_version = 0


def _locked_at_version(model: type, *, pk: int, version: int | None):
    """The row, locked, if it is still at `version` (None: any); ConflictError otherwise."""
    current = model._default_manager.select_for_update().filter(pk=pk).first()
    if current is None:
        raise model.DoesNotExist(f"{model._meta.verbose_name} {pk} does not exist.")
    if version is not None and current.version != version:
        raise ConflictError(
            model_name=str(model._meta.verbose_name),
            expected_version=version,
            current_version=current.version,
        )
    return current


# --- indicators -----------------------------------------------------------------------------------


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
    """Edit an indicator still at `version` (None: any). A change of baseline or target moves the
    trajectory monitoring checks, so it is announced."""
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
    fields = ("kind", "baseline", "target", "direction", "baseline_date", "target_date")
    _clean(fresh, rules.indicator_errors(_values(fresh, fields)))
    _save(fresh, actor)
    announce_facts_changed([fresh.activity_id], reason="indicator_edited")
    return fresh


@transaction.atomic
def delete_indicator(*, actor: Actor, indicator: Indicator, version: int | None) -> None:
    """Remove an indicator (and its measurements) still at `version`."""
    _may_edit(actor, indicator.activity)
    current = _locked_at_version(Indicator, pk=indicator.pk, version=version)
    _attribute(current, actor)
    current.delete()
    announce_facts_changed([indicator.activity_id], reason="indicator_removed")


# --- milestones -----------------------------------------------------------------------------------


@transaction.atomic
def delete_milestone(*, actor: Actor, milestone: Milestone, version: int | None) -> None:
    _may_edit(actor, milestone.activity)
    current = _locked_at_version(Milestone, pk=milestone.pk, version=version)
    _attribute(current, actor)
    current.delete()
    announce_facts_changed([milestone.activity_id], reason="milestone_removed")


# --- activities -----------------------------------------------------------------------------------


@transaction.atomic
def delete_activity(*, actor: Actor, activity: Activity, version: int | None) -> None:
    """Remove an activity with its milestones, indicators and funding (managers only). One with
    progress updates is refused: reports and their approvals are the partnership's record of
    accountability, not spreadsheet rows."""
    if actor is not None and not permissions.is_manager(actor):
        raise NotAllowed("Only managers remove activities.")
    current = _locked_at_version(Activity, pk=activity.pk, version=version)
    updates = current.updates.count()
    if updates:
        raise ValidationError(
            f"Activity {current.code} has {updates} progress update(s): it cannot be removed."
        )
    _attribute(current, actor)
    current.delete()


# --- funding --------------------------------------------------------------------------------------


class FundingChanges(TypedDict, total=False):
    donor: Organization
    amount: Decimal
    currency: str
    status: str
    date: dt.date


def _funding_errors(line: FundingCommitment) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if line.amount is not None and line.amount <= 0:
        errors["amount"] = ["The amount must be more than 0."]
    return errors


@transaction.atomic
def add_funding(
    *,
    actor: Actor,
    activity: Activity,
    donor: Organization,
    amount: Decimal,
    currency: str,
    status: str,
    date: dt.date,
) -> FundingCommitment:
    _may_edit(actor, activity)
    line = FundingCommitment(
        activity=activity,
        donor=donor,
        amount=amount,
        currency=rules.normalise_currency(currency),
        status=status,
        date=date,
    )
    _clean(line, _funding_errors(line))
    _save(line, actor)
    announce_facts_changed([activity.pk], reason="funding_added")
    return line


@transaction.atomic
def update_funding(
    *, actor: Actor, line: FundingCommitment, fingerprint: str | None, changes: FundingChanges
) -> FundingCommitment:
    """Edit a funding line that still has the `fingerprint` the caller read (None: any)."""
    _may_edit(actor, line.activity)
    unknown = set(changes) - set(FundingChanges.__annotations__)
    if unknown:
        raise ValueError(f"update_funding cannot change {sorted(unknown)}")
    fresh = FundingCommitment.objects.select_for_update().get(pk=line.pk)
    current = funding_fingerprint(fresh)
    if fingerprint is not None and current != fingerprint:
        raise FundingConflict(expected=fingerprint, current=current)
    for field, value in changes.items():
        setattr(fresh, field, value)
    fresh.currency = rules.normalise_currency(fresh.currency)
    _clean(fresh, _funding_errors(fresh))
    _save(fresh, actor)
    announce_facts_changed([fresh.activity_id], reason="funding_edited")
    return fresh


@transaction.atomic
def delete_funding(*, actor: Actor, line: FundingCommitment, fingerprint: str | None) -> None:
    _may_edit(actor, line.activity)
    fresh = FundingCommitment.objects.select_for_update().get(pk=line.pk)
    current = funding_fingerprint(fresh)
    if fingerprint is not None and current != fingerprint:
        raise FundingConflict(expected=fingerprint, current=current)
    _attribute(fresh, actor)
    fresh.delete()
    announce_facts_changed([line.activity_id], reason="funding_removed")
