from django.urls import path

from geography import views

app_name = "geography"

urlpatterns = [
    path("map/", views.world_map, name="map"),
    path("map/countries/<str:code>/", views.country, name="country"),
    path("map/regions/<str:code>/", views.region, name="region"),
]
