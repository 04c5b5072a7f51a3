from django.urls import path

from partnership import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/token/", views.rotate_token, name="profile-token-rotate"),
    path("lockouts/", views.lockout_list, name="lockout-list"),
    path("lockouts/unlock/", views.unlock, name="lockout-unlock"),
]

# The framework documents, mounted at the site root by config.urls (the profile pages above live
# under /accounts/).
framework_urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement-detail"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
]
