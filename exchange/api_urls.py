from django.urls import path

from exchange import api

urlpatterns = [
    path("plans/<int:pk>/matrix.xlsx", api.MatrixWorkbookView.as_view(), name="matrix-workbook"),
    path("plans/<int:pk>/matrix-upload/", api.MatrixUploadView.as_view(), name="matrix-upload"),
]
