from django.urls import path

from results import views

app_name = "results"

urlpatterns = [
    path("plans/<int:pk>/results/", views.plan_results, name="plan"),
    path("plans/<int:pk>/results.csv", views.plan_results_csv, name="plan-csv"),
]
