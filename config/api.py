"""What every API view shares: pagination and the mapping of domain errors to HTTP answers.

Referenced from settings.REST_FRAMEWORK by dotted path (the apps never import config).
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, pagination, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from activities.exceptions import ConflictError, InvalidTransition
from partnership.limits import ID_MAX, parse_id


class PageNumberPagination(pagination.PageNumberPagination):
    """`count`, `next`, `previous`, `results`; `?page=` and `?page_size=` (1 to 200).

    Strict, unlike DRF's, which reads `page_size=ji` or `page_size=5000` as "the default" or
    "the maximum": a client that asked for something else is told, with a 400, and the schema
    says the bounds."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        value = parse_id(raw)
        if value is None or value > self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        f"Give a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return value

    def get_page_number(self, request, paginator) -> int:
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        value = parse_id(raw)  # DRF reads "" as page 1 and "last" as the last page
        if value is None:
            raise exceptions.ValidationError(
                {self.page_query_param: ["Give a whole number from 1."]}
            )
        return value

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            elif parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1, maximum=ID_MAX)
        return parameters


def _field_errors(exc: DjangoValidationError) -> dict | list:
    if hasattr(exc, "error_dict"):
        return {
            (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): messages
            for key, messages in exc.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


def _throttled_instead(exc: exceptions.APIException, context: dict) -> exceptions.APIException:
    """Count a request refused for want of authentication against the view's throttles.

    DRF checks permissions before throttles, so a client without a (valid) token got its 401
    and was never counted: the anonymous throttle never applied to the data endpoints, and
    guessing tokens was unlimited. Counted here, every DRF view's 401s share the anonymous
    client's budget, and past it the answer is 429 (with Retry-After)."""
    view, request = context.get("view"), context.get("request")
    if view is None or request is None:
        return exc
    try:
        view.check_throttles(request)
    except exceptions.Throttled as throttled:
        return throttled
    return exc


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, plus: a 401 counts against the throttles (429 past them); a service's
    Django ValidationError → 422 with field errors (400 stays for input the schema refuses);
    ConflictError (a stale version) → 412 with the
    current version's ETag; InvalidTransition → 409 (code `invalid_transition`, or `four_eyes`
    when the reviewer changed the update's content); a record that vanished under a write → 404."""
    if isinstance(exc, ConflictError):
        return Response(
            {
                "detail": str(exc),
                "code": "stale_version",
                "current_version": exc.current_version,
            },
            status=status.HTTP_412_PRECONDITION_FAILED,
            headers={"ETag": f'"v{exc.current_version}"'},
        )
    if isinstance(exc, InvalidTransition):
        return Response(
            {"detail": str(exc), "code": getattr(exc, "code", "invalid_transition")},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        exc = _throttled_instead(exc, context)
    if isinstance(exc, DjangoValidationError):
        # A service refused what the schema allows (a business rule: one lead organization, a
        # target below a decreasing indicator's baseline): 422, where 400 says the request
        # broke the published schema. Field errors in the same shape as a 400's.
        return Response(_field_errors(exc), status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    elif isinstance(exc, RequestDataTooBig):
        # Django's own answer is an HTML 400; API clients read JSON.
        exc = exceptions.ParseError(
            f"The request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes; "
            "send less.",
            code="too_large",
        )
    return drf_exception_handler(exc, context)


# --- OpenAPI --------------------------------------------------------------------------------------

BIGINT_MAX = 2**63 - 1
# Components every error answer refers to (put into the schema by the hook below).
ERROR_COMPONENTS = {
    "Error": {
        "type": "object",
        "description": "Every error answer under /api/ is JSON with a human-readable `detail` "
        "(some add a machine-readable `code`); never an HTML page or a traceback.",
        "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
        "required": ["detail"],
        "additionalProperties": True,
    },
    "FieldErrors": {
        "type": "object",
        "description": "`{field: [messages]}`; errors not tied to one field under "
        "`non_field_errors`. A request Django refuses before any view runs answers `Error`.",
        "additionalProperties": True,
    },
}
_ERROR = {"$ref": "#/components/schemas/Error"}
_FIELD_ERRORS = {"$ref": "#/components/schemas/FieldErrors"}
_COMMON_ERRORS = {
    "400": ("Invalid input or query parameters; nothing was written.", _FIELD_ERRORS),
    "401": ("Not signed in: no token, or a bad, expired or revoked one.", _ERROR),
    "404": ("No such record (or page, or path).", _ERROR),
    "429": ("Too many requests: slow down (see Retry-After).", _ERROR),
}
_WRITE_ERRORS = {
    "403": ("Signed in, but not allowed to do this.", _ERROR),
    "422": (
        "The input keeps to this schema but breaks a rule of the partnership (e.g. one lead "
        "organization per activity); nothing was written.",
        _FIELD_ERRORS,
    ),
}
# An operation cannot list the answer to a method its path does not have, so the schema says it
# once, in the description: any other method answers 405, JSON, with an Allow header.
METHOD_NOT_ALLOWED = (
    '\n\n**Errors.** Every error under `/api/` is JSON (`Error`: `{"detail": …}`), including a '
    "path that does not exist (404) and a server error (500, no details). A method that a path "
    "does not list answers 405 with an `Allow` header."
)


def document_error_responses(result: dict, generator, request, public) -> dict:
    """drf-spectacular post-processing hook: every API operation documents the errors any of them
    can answer (bad input, no authentication, not found, throttled; refusal for writes), so
    clients and schema checks know every status code and content type the API uses; integer path
    parameters say the range the URL patterns accept."""
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter["schema"].get("type") == "integer":
                    # Django's <int:…> converter matches digits only: ids are 0 … 2^63-1.
                    parameter["schema"].update(minimum=0, maximum=BIGINT_MAX)
            errors = dict(_COMMON_ERRORS)
            if method in ("post", "put", "patch", "delete"):
                errors.update(_WRITE_ERRORS)
            responses = operation.setdefault("responses", {})
            for code, (description, schema) in errors.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": schema}},
                    },
                )
    result.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_COMPONENTS)
    info = result.setdefault("info", {})
    info["description"] = info.get("description", "") + METHOD_NOT_ALLOWED
    return result
