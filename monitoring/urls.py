"""The managers' pages, mounted at the site root by config.urls ("/" is the home by role,
monitoring.views_home)."""

from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/priorities/", views.priorities, name="priorities"),
    path("dashboard/funding/", views.funding, name="funding"),
    path("dashboard/sdg/", views.sdg, name="sdg"),
    path("dashboard/reporting/", views.reporting, name="reporting"),
    path("matrix/", views.matrix, name="matrix"),
    path("reports/monitoring/", views.report, name="report"),
    path("monitoring/runs/request/", views.run_request, name="run-request"),
    path("monitoring/runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("monitoring/runs/<int:pk>/progress.json", views.run_progress, name="run-progress"),
    path("exports/activities.csv", views.export_csv, name="export-csv"),
    path("exports/activities.xlsx", views.export_xlsx, name="export-xlsx"),
]
