"""API token authentication: django-rest-knox, which keeps only a digest (SHA-512) of each token.

The token itself is shown once, when it is issued (the profile page, `create_api_token`); the
database, and so every backup, holds its digest and the first 15 characters knox looks it up by.
Clients keep sending `Authorization: Token <token>`.
"""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.models import AuthToken
from knox.signals import token_expired


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's authentication, with one query per request instead of two.

    On every request knox also loads all the user's other tokens to delete those that expired.
    A user here holds one token at a time (issuing a new one deletes the others), so only this
    token's own expiry matters; it is checked, and an expired token refused and deleted, as knox
    does."""

    def _cleanup_token(self, auth_token: AuthToken) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


class TokenScheme(OpenApiAuthenticationExtension):
    """The schema's security scheme, under the name it had with DRF's tokens (`tokenAuth`):
    clients see the same `Authorization: Token <token>` header as before."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema) -> dict:
        return build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix=self.target.authenticate_header(None),
        )
