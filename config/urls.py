from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from monitoring.health import healthz

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
