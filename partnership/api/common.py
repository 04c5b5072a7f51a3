"""Small HTTP helpers shared by every app's API (partnership is the lowest layer, so all may import
it)."""

import hashlib
import json
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers


def content_etag(data: Any) -> str:
    """A strong ETag for a read-only representation: a digest of its JSON."""
    digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
    return f'"{digest[:32]}"'


ErrorSerializer = inline_serializer(
    name="Error", fields={"detail": serializers.CharField(help_text="What went wrong.")}
)

ERROR_RESPONSES = {
    401: OpenApiResponse(ErrorSerializer, description="Not signed in (no or a bad token)."),
    403: OpenApiResponse(ErrorSerializer, description="Signed in, but not allowed."),
    404: OpenApiResponse(ErrorSerializer, description="No such record."),
}
READ_ERRORS = {code: ERROR_RESPONSES[code] for code in (401, 404)}

VALIDATION_ERROR = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Invalid input, nothing written: `{field: [messages]}` "
    "(errors not tied to one field under `non_field_errors`).",
)

# The answers of an edit at a version (activities.api.concurrency): besides the write's errors,
# a stale version and a missing one.
EDIT_ERRORS = {
    400: VALIDATION_ERROR,
    **ERROR_RESPONSES,
    412: OpenApiResponse(
        OpenApiTypes.OBJECT, description="Someone changed the record since your version."
    ),
    428: OpenApiResponse(OpenApiTypes.OBJECT, description="No version named (If-Match)."),
}
