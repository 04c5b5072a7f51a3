from django.urls import path

from activities.api import evidence, reporting, views

urlpatterns = [
    path("activities/", views.ActivityListView.as_view(), name="activity-list"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity-detail"),
    path(
        "activities/<int:pk>/milestones/",
        views.ActivityMilestoneListView.as_view(),
        name="activity-milestones",
    ),
    path(
        "activities/<int:pk>/indicators/",
        views.ActivityIndicatorListView.as_view(),
        name="activity-indicators",
    ),
    path(
        "activities/<int:pk>/updates/",
        views.ActivityUpdateListView.as_view(),
        name="activity-updates",
    ),
    path(
        "activities/<int:pk>/history/",
        views.ActivityHistoryView.as_view(),
        name="activity-history",
    ),
    path("milestones/<int:pk>/", views.MilestoneDetailView.as_view(), name="milestone-detail"),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator-detail"),
    path(
        "indicators/<int:pk>/measurements/",
        views.IndicatorMeasurementListView.as_view(),
        name="indicator-measurements",
    ),
    path(
        "indicators/<int:pk>/breakdown/",
        views.IndicatorBreakdownView.as_view(),
        name="indicator-breakdown",
    ),
    path(
        "updates/<int:pk>/evidence/", evidence.UpdateEvidenceView.as_view(), name="update-evidence"
    ),
    path(
        "measurements/<int:pk>/evidence/",
        evidence.MeasurementEvidenceView.as_view(),
        name="measurement-evidence",
    ),
    path(
        "evidence/<int:pk>/download/",
        evidence.EvidenceDownloadView.as_view(),
        name="evidence-download",
    ),
    path("updates/", views.ProgressUpdateListView.as_view(), name="update-list"),
    path("updates/<int:pk>/", views.ProgressUpdateDetailView.as_view(), name="update-detail"),
    path(
        "updates/<int:pk>/submit/", views.ProgressUpdateSubmitView.as_view(), name="update-submit"
    ),
    path(
        "updates/<int:pk>/approve/",
        views.ProgressUpdateApproveView.as_view(),
        name="update-approve",
    ),
    path(
        "updates/<int:pk>/return/", views.ProgressUpdateReturnView.as_view(), name="update-return"
    ),
    path("priorities/<int:year>/", views.PriorityListView.as_view(), name="priority-list"),
    path("plans/<int:pk>/matrix/", views.PlanMatrixView.as_view(), name="plan-matrix"),
    *reporting.urlpatterns,
]
