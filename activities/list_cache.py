"""The response cache of the API's activity and priority lists (activities.api.cached_lists):
the rendered JSON of a page, kept in Django's default cache under the data revision it was
computed at (`selectors.list_data_revision`, moved by database triggers on every table those
lists read), so it is served again only while nothing it shows has changed.

Why it is never stale: the view reads the revision BEFORE the data. A write committed after that
read moves the revision, so the entry stored under the old one (whatever mix of old and new data
it holds) is never looked up again; a write committed before it is in the data read. The key
also holds everything else the bytes depend on: the absolute URL (scheme, host, path and full
query string — the page's `next`/`previous` links are absolute) and the negotiated media type.
Both lists are the same for every signed-in user, so the user is not in the key;
authentication, permissions and throttling run before the view, on every request.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpResponse
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

PREFIX = "activities:list:"


def cacheable(request: Request) -> bool:
    """Only plain JSON is cached: the browsable API (HTML, with forms and the user's name) is
    rendered every time."""
    return type(request.accepted_renderer) is JSONRenderer


def key_for(request: Request, revision: tuple[str, int] | None) -> str | None:
    """The cache key of this request's response at `revision`, or None (not cached) while no
    write has created the revision yet."""
    if revision is None:
        return None
    token, counter = revision
    parts = f"{token}\n{counter}\n{request.accepted_media_type}\n{request.build_absolute_uri()}"
    return PREFIX + hashlib.sha256(parts.encode()).hexdigest()


def cached(key: str) -> HttpResponse | None:
    """The stored response under `key`, or None."""
    entry = cache.get(key)
    if entry is None:
        return None
    content_type, body = entry
    return HttpResponse(body, content_type=content_type)


def store(key: str, response: Response) -> None:
    """Render `response` (a finalized 200 JSON response) and keep its bytes under `key`."""
    response.render()
    cache.set(key, (response["Content-Type"], response.content))
