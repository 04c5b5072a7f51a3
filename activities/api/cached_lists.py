"""GET lists served from `activities.list_cache` while the list revision stays the same.

For list views whose responses read only the tables the revision's triggers watch (`TABLES` of
activities migration 0004). A view that reads any other table must not use it: a write there
would not move the revision, and the cached page would go stale. Each view that uses it is
checked against that list in tests/api/test_cached_lists_tables.py.
"""

from __future__ import annotations

from typing import Any

from django.http.response import HttpResponseBase
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

from activities import list_cache, selectors
from activities.api.authentication import (
    NOT_READ,
    TokenAuthenticationWithListRevision,
    list_revision_of,
)


class RevisionCachedListMixin:
    """Before a list view's `get`: answer from the cache entry of this URL at the current
    revision, if there is one; after it: store a 200 JSON answer under that revision."""

    # A token request reads the list revision in its authentication query (one round trip).
    authentication_classes = [TokenAuthenticationWithListRevision, SessionAuthentication]

    _cache_key: str | None = None  # where finalize_response stores this GET's JSON

    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Authentication, permissions and throttling have run by now. The revision is read
        # BEFORE the data, so a write committed meanwhile makes this entry unreachable.
        if list_cache.cacheable(request):
            revision = list_revision_of(request)
            if revision is NOT_READ:  # signed in with a session
                revision = selectors.list_data_revision()
            self._cache_key = list_cache.key_for(request, revision)
            hit = None if self._cache_key is None else list_cache.cached(self._cache_key)
            if hit is not None:
                self._cache_key = None
                return hit
        return super().get(request, *args, **kwargs)

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        if self._cache_key is not None and response.status_code == status.HTTP_200_OK:
            list_cache.store(self._cache_key, response)
        return response
