from django.urls import path

from partnership import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/token/", views.rotate_token, name="profile-token-rotate"),
]
