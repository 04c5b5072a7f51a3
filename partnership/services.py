"""Writes on the framework records and on people's access."""

import logging

from axes.models import AccessAttempt
from axes.utils import reset as reset_axes_attempts
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from knox.models import AuthToken

from partnership.access import is_manager
from partnership.models import AccountUnlock

logger = logging.getLogger(__name__)


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
