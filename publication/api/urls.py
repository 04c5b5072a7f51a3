"""The public API, mounted at /api/public/v1/ by config.urls, with its own schema and docs."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from publication.api import schema, views

app_name = "public-api"

urlpatterns = [
    path("snapshots/", views.SnapshotList.as_view(), name="snapshots"),
    path("snapshots/<int:snapshot_id>/", views.SnapshotDetail.as_view(), name="snapshot"),
    path(
        "snapshots/<int:snapshot_id>/activities/",
        views.SnapshotActivities.as_view(),
        name="activities",
    ),
    path(
        "snapshots/<int:snapshot_id>/activities/<int:n>/",
        views.SnapshotActivity.as_view(),
        name="activity",
    ),
    path(
        "snapshots/<int:snapshot_id>/countries/",
        views.SnapshotCountries.as_view(),
        name="countries",
    ),
    path(
        "snapshots/<int:snapshot_id>/countries/<str:iso>/",
        views.SnapshotCountry.as_view(),
        name="country",
    ),
    path(
        "schema/",
        SpectacularAPIView.as_view(
            custom_settings=schema.SETTINGS,
            authentication_classes=[],
            permission_classes=[AllowAny],
            http_method_names=["get", "head"],
        ),
        name="schema",
    ),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path(
        "docs/",
        login_not_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="public-api:schema",
                template_name="api/swagger_ui.html",
                authentication_classes=[],
                permission_classes=[AllowAny],
                title="Public API",
                # No OPTIONS: Swagger UI's HTML renderer has no template for its metadata.
                http_method_names=["get", "head"],
            )
        ),
        name="docs",
    ),
]
