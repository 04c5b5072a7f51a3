"""Token authentication for the API's cached lists (activities.api.cached_lists): DRF's
`TokenAuthentication`, with the list data revision (`activities.DataRevision`, see
`activities.list_cache`) read in the same statement.

Why: a cached list request needs the signed-in user and the revision, nothing else. Two round
trips to the database were most of its cost; one statement halves them. The rules are DRF's own:
an unknown key or an inactive user fails with DRF's messages, and the header is parsed by DRF.

The revision is read before the view reads any data (authentication runs first), which is what
`list_cache` requires of it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection
from django.utils.translation import gettext_lazy as _
from drf_spectacular.drainage import set_override
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from activities.models import DataRevision

NOT_READ = object()  # `list_revision_of` on a request authenticated some other way
EXTRA = ("list_revision_token", "list_revision_counter")  # columns read beside the user's


class TokenAuthenticationWithListRevision(TokenAuthentication):
    """`Authorization: Token <key>`, answered with one query that loads the user (through the
    ORM's `raw()`, which maps the columns onto the user model) together with the token and the
    list revision. The token it returns carries `list_revision`: (token, counter), or None while
    no write has created the revision."""

    def authenticate_credentials(self, key: str) -> tuple[AbstractBaseUser, Any]:
        token_model = self.get_model()
        user_model = get_user_model()
        token_user = token_model._meta.get_field("user")
        quote = connection.ops.quote_name
        token_key = quote(token_model._meta.pk.column)
        sql = (
            f"SELECT u.*, r.token AS {EXTRA[0]}, r.counter AS {EXTRA[1]} "
            f"FROM {quote(token_model._meta.db_table)} t "
            f"JOIN {quote(user_model._meta.db_table)} u "
            f"ON u.{quote(user_model._meta.pk.column)} = t.{quote(token_user.column)} "
            f"LEFT JOIN {quote(DataRevision._meta.db_table)} r ON r.id = %s "
            f"WHERE t.{token_key} = %s"
        )
        found = list(user_model.objects.raw(sql, [DataRevision.ROW, key]))
        if not found:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = found[0]
        revision_token, counter = (user.__dict__.pop(name) for name in EXTRA)
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        # The token as the ORM loads a saved instance (`created` deferred: read on access).
        token = token_model.from_db(
            connection.alias,
            [token_model._meta.pk.attname, token_user.attname],
            [key, user.pk],
        )
        token.user = user
        token.list_revision = None if revision_token is None else (revision_token, counter)
        return user, token


# The same "tokenAuth" scheme in the OpenAPI document as DRF's class (drf-spectacular's token
# extension matches subclasses); without this it warns that two classes share the name.
set_override(TokenAuthenticationWithListRevision, "suppress_collision_warning", True)


def list_revision_of(request: Any) -> object:
    """The list revision read while authenticating this request, or NOT_READ."""
    return getattr(request.auth, "list_revision", NOT_READ)
