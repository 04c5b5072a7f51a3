"""Writes on the framework records and on people's access."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from knox.models import AuthToken


@transaction.atomic
def rotate_api_token(*, user: AbstractBaseUser) -> tuple[AuthToken, str]:
    """Replace the user's API token with a new one; the old one stops working at once.

    Returns the stored record (a digest, the lookup prefix, the expiry) and the token itself,
    which exists nowhere else: show it to its owner now, it cannot be shown again."""
    AuthToken.objects.filter(user=user).delete()
    return AuthToken.objects.create(user=user)
