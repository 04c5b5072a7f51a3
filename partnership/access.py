"""Who may reach which URL before any per-object check, and who the client is.

Every page requires a signed-in user, except those marked with `login_not_required` (the login
page, /healthz). The API is left to DRF, which authenticates tokens as well as sessions and answers
401 rather than redirecting to a login page. A person's role is read from their Profile here; the
per-object rules built on it are `activities.permissions`.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import ObjectDoesNotExist

from partnership.models import Profile

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from django.http import HttpRequest

    User = AbstractBaseUser | AnonymousUser

Role = Profile.Role
MANAGING_ROLES = frozenset({Role.MANAGER, Role.ADMIN})


def role_of(user: User | None) -> str | None:
    """The user's role; None for anonymous or inactive users (they may do nothing at all). A user
    without a profile is a viewer and a superuser an administrator. Reads `user.profile`: one
    query unless it is cached on the user."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    try:
        return user.profile.role
    except ObjectDoesNotExist:
        return Role.VIEWER


def is_manager(user: User | None) -> bool:
    return role_of(user) in MANAGING_ROLES


class LoginRequiredExceptApiMiddleware(LoginRequiredMiddleware):
    api_prefix = "/api/"

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(self.api_prefix):
            return None
        # Checked before the user, unlike Django's: a public page (the portal) then never reads
        # the session, so it carries no Vary: Cookie and shared caches may keep one copy.
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, for the sign-in lockout (django-axes' AXES_CLIENT_IP_CALLABLE).

    With TRUSTED_PROXY_COUNT = 0 (the default) it is the connection's address, REMOTE_ADDR, and
    X-Forwarded-For is ignored: a client can write anything there. Behind N reverse proxies that
    each append the address they received the request from, the client is the N-th entry from
    the right of X-Forwarded-For (entries further left were sent by the client and are not
    trusted). This is the rule of DRF's throttles with NUM_PROXIES = TRUSTED_PROXY_COUNT, so the
    lockout and the API throttle see the same client. An entry that is not an IP address (a
    misconfigured proxy) falls back to REMOTE_ADDR rather than failing the sign-in.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies == 0 or not forwarded:
        return remote_addr
    entries = forwarded.split(",")
    candidate = entries[-min(proxies, len(entries))].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote_addr
