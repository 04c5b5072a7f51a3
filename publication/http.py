"""Caching for the public portal and API: every answer carries an ETag and Cache-Control, and a
client that sends back the ETag it has gets 304 after a single query (the snapshot's metadata;
its content is not read).

A snapshot never changes, so its digest names its content; the ETag adds what else shapes the
answer (the path and query, the renderer's version), and a withdrawal changes the answer to 410.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags

# Bumped when the pages or the API's shape change, so caches do not keep the old rendering.
RENDER_VERSION = "1"
# Short enough that a withdrawal reaches every cache within minutes; the ETag makes revalidating
# cheap in the meantime.
CACHE_CONTROL = "public, max-age=300"


def etag_for(request: HttpRequest, *parts: object) -> str:
    key = "|".join([RENDER_VERSION, request.path, request.META.get("QUERY_STRING", "")])
    key += "|" + "|".join(str(p) for p in parts)
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:40] + '"'


def _matches(request: HttpRequest, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or etag in tags or etag.strip('"') in {t.strip('"') for t in tags}


def conditional(request: HttpRequest, etag: str, build: Callable[[], HttpResponse]) -> HttpResponse:
    """304 when the client has this ETag, otherwise `build()`; both with the caching headers."""
    response = HttpResponseNotModified() if _matches(request, etag) else build()
    if response.status_code in (200, 304):
        response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    return response
