"""The pages of the exchange: download the Activity Matrix workbook, upload it (dry run, then the
manager's confirmation) and the IATI activity file. Thin: `exchange.services` and
`exchange.selectors` do the work."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities import permissions
from exchange import iati, services
from exchange.forms import MissingRowsForm, UploadForm
from exchange.models import Upload
from exchange.report import MissingRows
from exchange.selectors import plan_rows
from exchange.workbook import XLSX_CONTENT_TYPE, file_name, write_workbook
from partnership.models import JointActionPlan


def _plan_or_404(pk: int) -> JointActionPlan:
    plan = JointActionPlan.objects.filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan.")
    return plan


def _require_manager(request: HttpRequest) -> None:
    if not permissions.is_manager(request.user):
        raise PermissionDenied("Only managers upload an Activity Matrix.")


@require_GET
def matrix_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The workbook, also the upload template (everyone signed in reads the matrix)."""
    try:
        rows = plan_rows(plan_id=pk, viewer=request.user)
    except JointActionPlan.DoesNotExist:
        raise Http404("No such plan.") from None
    response = HttpResponse(write_workbook(rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name(rows)}"'
    return response


@require_http_methods(["GET", "POST"])
def matrix_upload(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    plan = _plan_or_404(pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            upload = services.stage_upload(
                actor=request.user, plan=plan, file_name=file.name, content=file.read()
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            url = reverse("exchange:upload-review", args=[plan.pk, upload.pk])
            return redirect(f"{url}?missing={form.cleaned_data['missing']}")
    return render(
        request,
        "exchange/upload.html",
        {"plan": plan, "form": form, "nav": "framework"},
        status=400 if form.errors else 200,
    )


def _upload_or_404(request: HttpRequest, plan: JointActionPlan, upload_id: int) -> Upload:
    upload = Upload.objects.filter(pk=upload_id, plan=plan, uploaded_by=request.user).first()
    if upload is None:
        raise Http404("No such upload (it may have been applied or discarded).")
    return upload


def _review(
    request: HttpRequest, plan: JointActionPlan, upload: Upload, choice: MissingRowsForm
) -> HttpResponse:
    missing = MissingRows(choice.cleaned_data["missing"])
    report = services.run_upload(
        actor=request.user,
        plan_id=plan.pk,
        content=bytes(upload.content),
        missing_rows=missing,
        apply=False,
    )
    context = {
        "plan": plan,
        "upload": upload,
        "report": report,
        "counts": report.counts(),
        "missing": missing.value,
        "other_missing": MissingRows.REMOVE if missing == MissingRows.KEEP else MissingRows.KEEP,
        "changed_rows": [r for r in report.rows if r.outcome != "unchanged"],
        "unchanged": sum(1 for r in report.rows if r.outcome == "unchanged"),
        "nav": "framework",
    }
    return render(request, "exchange/review.html", context)


@require_GET
def upload_review(request: HttpRequest, pk: int, upload_id: int) -> HttpResponse:
    """The dry run of a staged file, for the choice about missing rows the query names."""
    _require_manager(request)
    plan = _plan_or_404(pk)
    upload = _upload_or_404(request, plan, upload_id)
    choice = MissingRowsForm(request.GET)
    if not choice.is_valid():
        return render(
            request,
            "exchange/upload.html",
            {"plan": plan, "form": UploadForm(), "nav": "framework", "choose_again": True},
            status=400,
        )
    return _review(request, plan, upload, choice)


@require_POST
def upload_confirm(request: HttpRequest, pk: int, upload_id: int) -> HttpResponse:
    """Apply the staged file, if its dry run, run again now, is clean; else show why not."""
    _require_manager(request)
    plan = _plan_or_404(pk)
    upload = _upload_or_404(request, plan, upload_id)
    choice = MissingRowsForm(request.POST)
    if "discard" in request.POST:
        services.discard_upload(upload=upload)
        messages.info(request, "The upload was discarded; nothing was written.")
        return redirect("plan-detail", pk=plan.pk)
    if not choice.is_valid():
        return redirect(reverse("exchange:upload-review", args=[plan.pk, upload.pk]))
    report = services.run_upload(
        actor=request.user,
        plan_id=plan.pk,
        content=bytes(upload.content),
        missing_rows=MissingRows(choice.cleaned_data["missing"]),
        apply=True,
    )
    if not report.applied:
        messages.error(
            request,
            "Nothing was written: the plan changed since the dry run. Here is the dry run now.",
        )
        return _review(request, plan, upload, choice)
    services.discard_upload(upload=upload)
    messages.success(request, f"Applied {report.change_count} change(s) from {upload.file_name}.")
    return redirect("plan-detail", pk=plan.pk)


@require_GET
def iati_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's activities as an IATI 2.03 activity file (exchange.iati)."""
    try:
        content = iati.iati_activities(plan_id=pk, viewer=request.user)
    except JointActionPlan.DoesNotExist:
        raise Http404("No such plan.") from None
    response = HttpResponse(content, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="iati-activities-plan-{pk}.xml"'
    return response
