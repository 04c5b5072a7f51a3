"""The status-history pages of one activity (mounted under /monitoring/ by config.urls)."""

from django.urls import path

from monitoring import views_history

app_name = "status_history"

urlpatterns = [
    path(
        "activities/<int:activity_id>/status-history/",
        views_history.activity_status_history,
        name="activity",
    ),
    path(
        "activities/<int:activity_id>/status-history/fragment/",
        views_history.activity_status_history_fragment,
        name="activity-fragment",
    ),
]
