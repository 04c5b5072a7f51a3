"""Error answers for requests that no API view handled: JSON under /api/, Django's pages elsewhere.

DRF's exception handler (config.api.exception_handler) answers every error that a DRF view
raises. What it never sees: a path that matches no URL pattern (404), an exception it does not
know (a bug: 500), and the errors Django raises before a view runs (a 400 for a suspicious
request, such as a body over DATA_UPLOAD_MAX_MEMORY_SIZE). A REST client must get JSON for those
too, in the same `{"detail": …}` shape, and never a traceback or an HTML page; the site's pages
keep Django's own error pages (and templates/403.html).

Wired up as handler400/403/404/500 in config.urls. With DEBUG on, Django shows its technical
pages for 404 and 500 instead, as usual.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

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
