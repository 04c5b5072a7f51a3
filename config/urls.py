from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.favicon import favicon
from config.health import healthz
from monitoring import views_home
from partnership import views as partnership_views
from partnership.urls import framework_urlpatterns

urlpatterns = [
    # The API first: its clients make most requests, and resolving a path tries the patterns in
    # order (no pattern below starts with "api/", so the order changes no match).
    path("api/v1/", include("config.api_urls")),
    # "/" is the home by role (liaison officer, manager; viewers see the dashboard there).
    path("", views_home.home, name="home"),
    # Published snapshots for everyone, no login (publication): the API and the portal.
    path("api/public/v1/", include("publication.api.urls")),
    path("public/", include("publication.portal_urls")),
    path("publication/", include("publication.urls")),
    path("admin/", admin.site.urls),
    # Before Django's own views: signing out says so (partnership.views.SignOutView).
    path("accounts/logout/", partnership_views.SignOutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("partnership.urls")),
    path("healthz", login_not_required(healthz), name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("notifications/", include("notifications.urls")),
    path("", include("notifications.urls_conversation")),
    path("", include("activities.urls")),
    path("monitoring/", include("monitoring.urls_history")),
    path("", include("monitoring.urls")),
    path("", include(framework_urlpatterns)),
    path("", include("exchange.urls")),
    path("", include("geography.urls")),
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
