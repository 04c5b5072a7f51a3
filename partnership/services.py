"""Writes on the framework records and on people's access."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from rest_framework.authtoken.models import Token


@transaction.atomic
def rotate_api_token(*, user: AbstractBaseUser) -> Token:
    """Replace the user's API token with a new one; the old key stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)
