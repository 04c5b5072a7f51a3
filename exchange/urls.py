from django.urls import path

from exchange import views

app_name = "exchange"

urlpatterns = [
    path("plans/<int:pk>/matrix.xlsx", views.matrix_download, name="matrix-download"),
    path("plans/<int:pk>/iati-activities.xml", views.iati_export, name="iati-export"),
    path("plans/<int:pk>/matrix/upload/", views.matrix_upload, name="matrix-upload"),
    path(
        "plans/<int:pk>/matrix/uploads/<int:upload_id>/",
        views.upload_review,
        name="upload-review",
    ),
    path(
        "plans/<int:pk>/matrix/uploads/<int:upload_id>/confirm/",
        views.upload_confirm,
        name="upload-confirm",
    ),
]
