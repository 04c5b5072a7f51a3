from django.urls import path

from notifications import views, views_webhooks

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_read, name="mark-read"),
    path("settings/", views.preferences, name="settings"),
    path("log/", views.log, name="log"),
    path("webhooks/", views_webhooks.subscriptions, name="webhooks"),
    path("webhooks/<int:pk>/", views_webhooks.subscription, name="webhook"),
    path("webhooks/<int:pk>/toggle/", views_webhooks.toggle, name="webhook-toggle"),
]
