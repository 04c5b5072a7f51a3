"""The REST API v1, mounted at /api/v1/ by config.urls. Each app contributes its routes."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("partnership.api.urls")),
    path("", include("activities.api.urls")),
    path("", include("monitoring.api")),
    path("", include("exchange.api_urls")),
    path("", include("geography.api")),
    path("", include("notifications.api")),
    path("", include("notifications.api_inbox")),
    path("", include("notifications.api_conversation")),
    path("", include("results.api")),
]
