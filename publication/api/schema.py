"""The public API's own OpenAPI document, apart from the signed-in API's (/api/schema/)."""

from __future__ import annotations

PUBLIC_PREFIX = "/api/public/"

SETTINGS = {
    "TITLE": "Partnership tracker public API",
    "DESCRIPTION": (
        "Published snapshots of the partnership's plans: what was chosen for the public, frozen "
        "on the day it was published. No authentication; read only; throttled per client "
        "address (429 past the limit). Every answer carries an ETag: send it back in "
        "If-None-Match to get 304 Not Modified. A withdrawn snapshot answers 410 Gone. "
        "Activities are numbered 1, 2, 3 … within their snapshot (`n`); an activity's `places` "
        "(the names of its countries, then of its regions) are present when published."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/public/v1",
    "PREPROCESSING_HOOKS": ["publication.api.schema.only_public_api"],
}


def only_public_api(endpoints: list) -> list:
    """Keep the public API's paths (the public schema)."""
    return [e for e in endpoints if e[0].startswith(PUBLIC_PREFIX)]


def without_public_api(endpoints: list) -> list:
    """Leave out the public API's paths (the signed-in API's schema, SPECTACULAR_SETTINGS)."""
    return [e for e in endpoints if not e[0].startswith(PUBLIC_PREFIX)]
