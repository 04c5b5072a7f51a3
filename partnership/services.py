"""Writes on the framework records and on people's access.

The framework records (organizations, partnerships, agreements, plans, matrices, thematic areas,
SDG targets, people's profiles) are written by three small services, whatever the caller (the
admin, `import_plan`): `create_framework_record`, `update_framework_record` and
`delete_framework_record`. Each checks the actor, `full_clean()`s the record and names the actor
in its audit history.

They announce nothing, and need not: no monitoring figure is stored from these records. The rules
read only an activity's own facts; the plan's period, which decides which dates a plan may be
assessed on and which assessed dates its dashboard offers, is read live by every page and run
request; names and titles are read live by every page. (Nor could they: the one announcement,
`activities.signals.activity_facts_changed`, and its `Event` row belong to `activities`, which this
app does not import.)
"""

import logging
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from axes.models import AccessAttempt
from axes.utils import reset as reset_axes_attempts
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from knox.models import AuthToken

from partnership.access import is_manager
from partnership.models import (
    AccountUnlock,
    ActivityMatrix,
    Agreement,
    JointActionPlan,
    Organization,
    Partnership,
    Profile,
    SDGTarget,
    ThematicArea,
)

logger = logging.getLogger(__name__)

FRAMEWORK_MODELS: tuple[type[models.Model], ...] = (
    Organization,
    Partnership,
    Agreement,
    JointActionPlan,
    ActivityMatrix,
    ThematicArea,
    SDGTarget,
    Profile,
)

R = TypeVar("R", bound=models.Model)


@transaction.atomic
def rotate_api_token(*, user: AbstractBaseUser) -> tuple[AuthToken, str]:
    """Replace the user's API token with a new one; the old one stops working at once.

    Returns the stored record (a digest, the lookup prefix, the expiry) and the token itself,
    which exists nowhere else: show it to its owner now, it cannot be shown again."""
    AuthToken.objects.filter(user=user).delete()
    return AuthToken.objects.create(user=user)


@transaction.atomic
def unlock_account(*, username: str, actor: AbstractBaseUser) -> AccountUnlock | None:
    """Lift the sign-in lockout of `username` at every address, as a manager: django-axes forgets
    the account's failed attempts (so its count starts again from zero), and an AccountUnlock row
    and a log line say who did it. None when there was nothing to clear (the lockout had already
    cooled off and been cleaned up, or another manager was quicker).

    Raises PermissionDenied for anyone but a manager or administrator, and ValidationError for a
    blank username (axes would read it as "every account").
    """
    if not is_manager(actor):
        raise PermissionDenied("Only managers unlock accounts.")
    if not username:
        raise ValidationError({"username": "Say which account to unlock."})
    addresses = sorted(
        set(
            AccessAttempt.objects.select_for_update()
            .filter(username=username)
            .values_list("ip_address", flat=True)
        ),
        key=str,
    )
    if not addresses:
        return None
    cleared = reset_axes_attempts(username=username)
    record = AccountUnlock(
        username=username,
        ip_addresses=[str(address) for address in addresses if address],
        attempts_cleared=cleared,
        unlocked_by=actor,
    )
    record.full_clean()
    record.save()
    logger.warning(
        "Sign-in lockout of %r lifted by %r (%d attempt records cleared, addresses %s).",
        username,
        actor.get_username(),
        cleared,
        ", ".join(record.ip_addresses) or "none",
    )
    return record


# --- the framework records ------------------------------------------------------------------------


def _may_write_framework(actor: AbstractBaseUser | None, model: type[models.Model]) -> None:
    """None is an operator command (import_plan run from the shell), which names nobody."""
    if model not in FRAMEWORK_MODELS:
        raise TypeError(f"{model.__name__} is not a framework record.")
    if actor is not None and not is_manager(actor):
        raise PermissionDenied("Only managers and administrators change the framework records.")


def _split(
    model: type[models.Model], values: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Iterable[models.Model]]]:
    """The values of the record's own columns, and those of its many-to-many relations (written
    once the record exists). An unknown name is a programming error (FieldDoesNotExist)."""
    relations = {f.name for f in model._meta.many_to_many}
    fields: dict[str, Any] = {}
    related: dict[str, Iterable[models.Model]] = {}
    for name, value in values.items():
        model._meta.get_field(name)
        (related if name in relations else fields)[name] = value
    return fields, related


def _save_framework_record(
    record: R, related: Mapping[str, Iterable[models.Model]], actor: AbstractBaseUser | None
) -> R:
    record.full_clean()
    if actor is not None:
        record._history_user = actor  # the audit history's author (records that keep one)
    record.save()
    for name, members in related.items():
        getattr(record, name).set(members)
    return record


@transaction.atomic
def create_framework_record(
    *, model: type[R], values: Mapping[str, Any], actor: AbstractBaseUser | None
) -> R:
    """Create one framework record from `values` (field name to value; many-to-many fields take
    the related records). Raises PermissionDenied for anyone but a manager or administrator, and
    ValidationError, with the fields at fault, for an invalid record."""
    _may_write_framework(actor, model)
    fields, related = _split(model, values)
    return _save_framework_record(model(**fields), related, actor)


@transaction.atomic
def update_framework_record(
    *, record: R, changes: Mapping[str, Any], actor: AbstractBaseUser | None
) -> R:
    """Apply `changes` (as `values` of `create_framework_record`) to the stored record, locked
    while it is written, and return it. Raises as `create_framework_record`."""
    model = type(record)
    _may_write_framework(actor, model)
    fields, related = _split(model, changes)
    fresh = model.objects.select_for_update().get(pk=record.pk)
    for name, value in fields.items():
        setattr(fresh, name, value)
    return _save_framework_record(fresh, related, actor)


def _referred_to_by(record: models.Model) -> list[str]:
    """What still refers to the record (one query per kind of reference): the records themselves
    are kept, and the reference would be lost or refuse the delete."""
    found = []
    for relation in record._meta.related_objects:
        if relation.hidden:  # audit history rows keep their own copy
            continue
        related = relation.related_model.objects.filter(**{relation.field.name: record})
        if related.exists():
            found.append(str(relation.related_model._meta.verbose_name_plural))
    return found


@transaction.atomic
def delete_framework_record(*, record: models.Model, actor: AbstractBaseUser | None) -> None:
    """Delete a framework record nothing refers to: a record still in use (an organization in a
    partnership, a target of an activity) is refused with a ValidationError naming what uses it,
    rather than removed from under them. Raises PermissionDenied as the other two."""
    model = type(record)
    _may_write_framework(actor, model)
    in_use = _referred_to_by(record)
    if in_use:
        raise ValidationError(
            f"{model._meta.verbose_name.capitalize()} “{record}” is still referred to by "
            f"{', '.join(in_use)}: it is kept."
        )
    if actor is not None:
        record._history_user = actor
    record.delete()


@transaction.atomic
def create_person(
    *,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    role: str = "",
    organization: Organization | None = None,
    actor: AbstractBaseUser | None,
) -> AbstractBaseUser:
    """A person who cannot sign in until an administrator sets their password, with a profile of
    `role` (and `organization`) when a role is given. Raises PermissionDenied for anyone but a
    manager or administrator, and ValidationError for an invalid user or profile."""
    _may_write_framework(actor, Profile)
    user = get_user_model()(
        username=username, first_name=first_name, last_name=last_name, email=email
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    if role:
        _save_framework_record(Profile(user=user, role=role, organization=organization), {}, actor)
    return user
