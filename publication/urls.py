"""The signed-in pages of publication, mounted at /publication/ by config.urls."""

from django.urls import path

from publication import views

app_name = "publication"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("checklist/", views.checklist_page, name="checklist"),
    path("publish/", views.publish, name="publish"),
    path("snapshots/<int:snapshot_id>/withdraw/", views.withdraw, name="withdraw"),
    path("activities/<int:activity_id>/", views.disclosure_edit, name="disclosure"),
    path("activities/<int:activity_id>/text/", views.disclosure_text, name="disclosure-text"),
]
