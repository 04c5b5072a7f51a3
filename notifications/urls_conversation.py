from django.urls import path

from notifications import views_conversation as views

app_name = "conversation"

urlpatterns = [
    path("activities/<int:pk>/conversation/", views.thread, name="thread"),
    path("activities/<int:pk>/conversation/fragment/", views.fragment, name="fragment"),
    path("comments/<int:comment_id>/edit/", views.edit, name="edit"),
]
