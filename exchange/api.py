"""The exchange's API: the Activity Matrix workbook, and its upload (the dry run as JSON, and the
writes when asked to apply). Thin: `exchange.services` does the work."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from activities import permissions
from exchange import services
from exchange.report import MissingRows
from exchange.selectors import plan_rows
from exchange.workbook import XLSX_CONTENT_TYPE, file_name, write_workbook
from partnership.api.common import ERROR_RESPONSES, VALIDATION_ERROR
from partnership.api.inputs import validated
from partnership.models import JointActionPlan


class UploadInput(serializers.Serializer):
    file = serializers.FileField(help_text="The workbook, made from the plan's download.")
    missing = serializers.ChoiceField(
        choices=[m.value for m in MissingRows],
        help_text="Records of the plan that the file does not list: `keep` or `remove` them.",
    )
    apply = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Write the file if its dry run is clean (default: a dry run only).",
    )


REPORT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="The report: `applied`, `can_apply`, `changes`, `counts` per sheet and outcome, "
    "`errors` (sheet, row, column, message), `conflicts`, `rows` (each with its outcome and the "
    "old and new value of each changed cell) and `missing` (records not in the file, kept or "
    "removed).",
)


class MatrixWorkbookView(APIView):
    """The plan's Activity Matrix as an XLSX workbook: also the upload template."""

    @extend_schema(
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            **{code: ERROR_RESPONSES[code] for code in (401, 404)},
        }
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        plan = get_object_or_404(JointActionPlan, pk=pk)
        rows = plan_rows(plan_id=plan.pk, viewer=request.user)
        response = HttpResponse(write_workbook(rows), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{file_name(rows)}"'
        return response


class MatrixUploadView(APIView):
    """Upload an Activity Matrix workbook (managers): the dry run, as JSON; with `apply`, the
    writes, all or nothing. 200: the dry run, or the file applied; 409: `apply` was asked but
    rows are in conflict (changed by someone since the download); 422: `apply` was asked but rows
    have errors. Nothing is written unless `applied` is true."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": UploadInput},
        responses={
            200: REPORT,
            400: VALIDATION_ERROR,
            409: REPORT,
            422: REPORT,
            **ERROR_RESPONSES,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        if not permissions.is_manager(request.user):
            raise PermissionDenied("Only managers upload an Activity Matrix.")
        plan = get_object_or_404(JointActionPlan, pk=pk)
        data = validated(UploadInput, request.data)
        report = services.run_upload(
            actor=request.user,
            plan_id=plan.pk,
            content=data["file"].read(),
            missing_rows=MissingRows(data["missing"]),
            apply=data["apply"],
        )
        code = status.HTTP_200_OK
        if data["apply"] and not report.applied:
            code = (
                status.HTTP_422_UNPROCESSABLE_ENTITY
                if report.problems
                else status.HTTP_409_CONFLICT
            )
        return Response(report.as_dict(), status=code)
