"""ETags and If-Match for the records that carry a `version` (activities, milestones, progress
updates). An ETag names the version; an edit names the version it started from, in `If-Match`
(or, for clients that cannot set headers, a `version` field in the body)."""

import re

from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.request import Request

ETAG = re.compile(r'^(?:W/)?"v?(\d+)"$')


class PreconditionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Say which version you are editing: send the ETag from your last GET in an If-Match "
        "header (or the version number in a `version` field)."
    )
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "If-Match names no version of this record. Send the ETag from your last GET."
    default_code = "precondition_failed"


def etag_for(version: int) -> str:
    return f'"v{version}"'


def if_match_version(request: Request) -> int | None:
    """The version named by If-Match, or None when there is no header (or only `*`).

    A header that names no version cannot match any version of the record: 412."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    match = ETAG.match(header.split(",")[0].strip())
    if match is None:
        raise PreconditionFailed()
    return int(match.group(1))


def edit_version(request: Request, body_version: int | None) -> int | None:
    """The version an edit started from: If-Match first, else the body's `version`; one is
    required (428 otherwise), so no edit silently overwrites another.

    `If-Match: *` is HTTP's "any current version" (RFC 9110 §13.1.1): the client knowingly
    edits whatever is there now. It answers None, which the services read as "no version check";
    the record must still exist (404 otherwise)."""
    if request.headers.get("If-Match", "").strip() == "*":
        return None
    version = if_match_version(request)
    if version is None:
        version = body_version
    if version is None:
        raise PreconditionRequired()
    return version
