"""The site's URLs plus `/bench/bare/`: a Django view that returns a constant JSON document without
touching the database — the ceiling the benchmark measures the API's throughput against. Mounted
only by devtools.settings (the benchmarks)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


@login_not_required
def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *site_urlpatterns]
