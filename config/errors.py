"""Error answers for requests that no API view handled: JSON under /api/, the app's pages elsewhere.

DRF's exception handler (config.api.exception_handler) answers every error that a DRF view
raises. What it never sees: a path that matches no URL pattern (404), an exception it does not
know (a bug: 500), and the errors Django raises before a view runs (a 400 for a suspicious
request, such as a body over DATA_UPLOAD_MAX_MEMORY_SIZE). A REST client must get JSON for those
too, in the same `{"detail": …}` shape, and never a traceback or an HTML page; a person gets the
app's pages (templates/403.html, 404.html, 405.html, 500.html).

Wired up as handler400/403/404/500 in config.urls. With DEBUG on Django would show its technical
pages for 404 and 500 instead; `ErrorPagesMiddleware` keeps the app's pages there too, because
`make run` (DEBUG on) is where people try the demo, and Django's 404 page lists every URL pattern.
A developer who wants Django's pages asks for them with DEBUG_TECHNICAL_PAGES=1. The middleware
also gives a 405 (a GET of a POST-only page), which Django answers with an empty body, its page.
"""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.urls import Resolver404, get_resolver
from django.views import defaults

logger = logging.getLogger("django.request")

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _json(detail: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _json("Bad request.", 400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _json("You do not have permission to perform this action.", 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _json("Not found.", 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    # Nothing about the exception goes into the answer: it is logged (django.request) instead.
    if _is_api(request):
        return _json("A server error occurred.", 500)
    return defaults.server_error(request)


def method_not_allowed(request: HttpRequest, allowed: str) -> HttpResponse:
    if _is_api(request):
        response = _json(f'Method "{request.method}" not allowed.', 405)
    else:
        page = loader.render_to_string(
            "405.html", {"method": request.method, "allowed": allowed}, request
        )
        response = HttpResponse(page, status=405)
    response["Allow"] = allowed
    return response


class ErrorPagesMiddleware:
    """The app's error pages where Django would answer otherwise (see the module's docstring).

    Placed after the authentication and message middleware (the pages show the header) and
    inside CommonMiddleware, whose APPEND_SLASH redirect still turns a 404 for a path without
    its slash into a redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    @property
    def replace_debug_pages(self) -> bool:
        # Read per request, so a test (or an operator's override) changes it without a restart.
        return settings.DEBUG and not settings.DEBUG_TECHNICAL_PAGES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.replace_debug_pages:
            # Django resolves the path before any middleware sees an exception: a path no pattern
            # matches is answered here, before Django's technical 404 can be.
            try:
                get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
            except Resolver404 as exc:
                return page_not_found(request, exc)
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            return method_not_allowed(request, response.get("Allow", ""))
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not self.replace_debug_pages:
            return None  # Django's own handling: handler404/handler500, or the technical pages
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied | SuspiciousOperation | BadRequest):
            return None  # Django answers these with handler403/handler400, DEBUG or not
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exception,
            extra={"request": request},
        )
        return server_error(request)
