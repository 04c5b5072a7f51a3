from django.urls import path

from results import views, views_editing

app_name = "results"

urlpatterns = [
    path("plans/<int:pk>/results/", views.plan_results, name="plan"),
    path("plans/<int:pk>/results.csv", views.plan_results_csv, name="plan-csv"),
    path("plans/<int:pk>/results/new/", views_editing.result_new, name="result-new"),
    path("results/<int:result_id>/edit/", views_editing.result_edit, name="result-edit"),
    path("results/<int:result_id>/delete/", views_editing.result_delete, name="result-delete"),
    path(
        "results/<int:result_id>/contributions/",
        views_editing.contributions,
        name="contributions",
    ),
    path(
        "contributions/<int:contribution_id>/edit/",
        views_editing.contribution_edit,
        name="contribution-edit",
    ),
    path(
        "contributions/<int:contribution_id>/delete/",
        views_editing.contribution_delete,
        name="contribution-delete",
    ),
]
