from django.urls import path

from geography import views, views_places

app_name = "geography"

urlpatterns = [
    path("dashboard/countries/", views.dashboard_countries, name="dashboard-countries"),
    path("map/", views.world_map, name="map"),
    path("map/countries/<str:code>/", views.country, name="country"),
    path("map/regions/<str:code>/", views.region, name="region"),
    path("activities/<int:pk>/places/", views_places.places_edit, name="places-edit"),
]
