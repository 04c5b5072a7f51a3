"""Evidence in the REST API v1: the metadata of the files behind a progress update or a
measurement, and their download, with the permission the record itself needs (a draft's files
are 404 to anyone who may not read the draft). Files are attached on the pages."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from activities import selectors
from activities.models import Evidence, Measurement, ProgressUpdate
from partnership.api.common import READ_ERRORS


class EvidenceSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    superseded = serializers.SerializerMethodField(help_text="A correction supersedes it.")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "update",
            "measurement",
            "name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "supersedes",
            "superseded",
            "download_url",
        ]

    def get_superseded(self, evidence: Evidence) -> bool:
        return evidence.pk in self.context.get("superseded", set())

    def get_download_url(self, evidence: Evidence) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api:evidence-download", args=[evidence.pk])
        )


def _listing(request: Request, **subject) -> Response:
    rows = list(
        Evidence.objects.filter(**subject)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "id")
    )
    superseded = {row.supersedes_id for row in rows if row.supersedes_id}
    data = EvidenceSerializer(
        rows, many=True, context={"request": request, "superseded": superseded}
    ).data
    return Response(data)


class UpdateEvidenceView(generics.GenericAPIView):
    """The files attached to a progress update (three queries: the token, the update as the
    reader may see it, its files)."""

    serializer_class = EvidenceSerializer
    queryset = ProgressUpdate.objects.none()
    pagination_class = None  # a record has a handful of files: the whole list, unpaged

    @extend_schema(responses={200: EvidenceSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        visible = selectors.visible_updates(
            ProgressUpdate.objects.filter(pk=pk), viewer=request.user
        )
        if not visible.exists():
            raise Http404("No such progress update.")
        return _listing(request, update_id=pk)


class MeasurementEvidenceView(generics.GenericAPIView):
    """The files attached to a measurement."""

    serializer_class = EvidenceSerializer
    queryset = Measurement.objects.none()
    pagination_class = None

    @extend_schema(responses={200: EvidenceSerializer(many=True), **READ_ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        get_object_or_404(Measurement.objects.only("pk"), pk=pk)
        return _listing(request, measurement_id=pk)


class EvidenceDownloadView(generics.GenericAPIView):
    """The file itself: images and PDFs inline, anything else as an attachment."""

    queryset = Evidence.objects.none()

    @extend_schema(
        responses={
            200: OpenApiResponse(OpenApiTypes.BINARY, description="The file."),
            **READ_ERRORS,
        }
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        evidence = get_object_or_404(Evidence, pk=pk)
        if evidence.update_id is not None:
            visible = selectors.visible_updates(
                ProgressUpdate.objects.filter(pk=evidence.update_id), viewer=request.user
            )
            if not visible.exists():
                raise Http404("No such file.")
        response = FileResponse(
            evidence.file.open("rb"),
            as_attachment=not evidence.shown_inline,
            filename=evidence.name,
            content_type=evidence.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
