from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.health import healthz
from monitoring import views as monitoring_views
from partnership.urls import framework_urlpatterns

urlpatterns = [
    # The API first: its clients make most requests, and resolving a path tries the patterns in
    # order (no pattern below starts with "api/", so the order changes no match).
    path("api/v1/", include("config.api_urls")),
    # "/" is the managers' dashboard (monitoring.urls); "home" stays a name for it.
    path("", monitoring_views.dashboard, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("partnership.urls")),
    path("healthz", login_not_required(healthz), name="healthz"),
    path("", include("activities.urls")),
    path("monitoring/", include("monitoring.urls_history")),
    path("", include("monitoring.urls")),
    path("", include(framework_urlpatterns)),
    path("", include("results.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file (?script=): no inline script,
    # so the page works under the Content-Security-Policy.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="api/swagger_ui.html"
        ),
        name="api-docs",
    ),
]

# JSON under /api/, Django's pages elsewhere (config.errors says why).
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
