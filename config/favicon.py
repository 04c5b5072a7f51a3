"""/favicon.ico, which browsers ask for on every site whatever the page says: a redirect to the
static icon (served, cached and fingerprinted by WhiteNoise like every other asset)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@login_not_required
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    # Not permanent: the fingerprinted name changes with the file.
    return redirect(static("favicon.ico"))
