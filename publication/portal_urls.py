"""The public portal, mounted at /public/ by config.urls (no login)."""

from django.urls import path

from publication import portal

app_name = "public"

urlpatterns = [
    path("", portal.index, name="index"),
    path("snapshots/<int:snapshot_id>/", portal.snapshot_overview, name="snapshot"),
    path("snapshots/<int:snapshot_id>/activities/", portal.snapshot_activities, name="activities"),
    path(
        "snapshots/<int:snapshot_id>/activities.csv",
        portal.snapshot_activities_csv,
        name="activities-csv",
    ),
    path(
        "snapshots/<int:snapshot_id>/activities/<int:n>/",
        portal.snapshot_activity,
        name="activity",
    ),
    path("snapshots/<int:snapshot_id>/priorities/", portal.snapshot_priorities, name="priorities"),
    path("snapshots/<int:snapshot_id>/sdg/", portal.snapshot_sdg, name="sdg"),
    path("snapshots/<int:snapshot_id>/countries/", portal.snapshot_places, name="countries"),
]
