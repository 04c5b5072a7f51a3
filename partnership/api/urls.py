from django.urls import path

from partnership.api import views

urlpatterns = [
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path("thematic-areas/", views.ThematicAreaListView.as_view(), name="thematic-area-list"),
    path("sdg-targets/", views.SDGTargetListView.as_view(), name="sdg-target-list"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    path("plans/", views.PlanListView.as_view(), name="plan-list"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
]
