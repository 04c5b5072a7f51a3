"""Evidence pages: the files behind a progress update or a measurement, their upload, removal
and permission-checked download (deleting a draft with its files: views_editing.update_delete).

Files are never served from a public folder: every download goes through `evidence_download`,
which answers 404 to anyone who may not read the record (a draft for an outsider). Images and
PDFs open in the browser; anything else downloads as an attachment.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities import page_selectors, permissions, selectors, services
from activities.exceptions import InvalidTransition
from activities.forms import EvidenceForm
from activities.models import Activity, Evidence, Measurement, ProgressUpdate
from activities.sensitivity_selectors import group_visible
from activities.views import _in_sight_or_404
from partnership.forms import add_service_errors


def _readable_update_or_404(request: HttpRequest, activity: Activity, update_id: int):
    """The update, if this reader may read it: a draft is absent for everyone but its writers."""
    update = (
        selectors.visible_updates(
            ProgressUpdate.objects.filter(pk=update_id, activity=activity), viewer=request.user
        )
        .select_related("author")
        .first()
    )
    if update is None:
        raise Http404("No such progress update.")
    update.activity = activity
    return update


def _page(
    request, *, activity, subject, kind: str, evidence, back: str, status: int = 200, form=None
):
    can_edit = permissions.can_edit_activity(request.user, activity)
    approved = kind == "update" and subject.state == ProgressUpdate.State.APPROVED
    replaceable = [(e.pk, e.name) for e in evidence if approved and not e.is_superseded]
    if form is None and can_edit:
        form = EvidenceForm(replaceable=replaceable)
    context = {
        "nav": "activities",
        "activity": activity,
        "subject": subject,
        "kind": kind,
        "evidence": evidence,
        "form": form,
        "can_edit": can_edit,
        "approved": approved,
        "back": back,
        "max_bytes": settings.EVIDENCE_MAX_BYTES,
    }
    return render(request, "activities/evidence.html", context, status=status)


def _evidence_of(**subject) -> list[Evidence]:
    """The record's files, oldest first, with who uploaded them and whether a correction
    superseded each (one query)."""
    rows = list(
        Evidence.objects.filter(**subject)
        .select_related("uploaded_by", "supersedes")
        .order_by("uploaded_at", "id")
    )
    superseded = {e.supersedes_id for e in rows if e.supersedes_id}
    for row in rows:
        row.is_superseded = row.pk in superseded
    return rows


def _upload(request, *, activity, subject, kind, back, **target) -> HttpResponse:
    evidence = _evidence_of(**{kind: subject})
    if request.method != "POST":
        return _page(
            request, activity=activity, subject=subject, kind=kind, evidence=evidence, back=back
        )
    if not permissions.can_edit_activity(request.user, activity):
        raise PermissionDenied("Only the activity's liaison officers and managers attach files.")
    approved = kind == "update" and subject.state == ProgressUpdate.State.APPROVED
    replaceable = [(e.pk, e.name) for e in evidence if approved and not e.is_superseded]
    form = EvidenceForm(request.POST, request.FILES, replaceable=replaceable)
    if form.is_valid():
        supersedes_id = form.cleaned_data.get("supersedes")
        supersedes = next((e for e in evidence if e.pk == supersedes_id), None)
        try:
            made = services.attach_evidence(
                actor=request.user,
                upload=form.cleaned_data["file"],
                supersedes=supersedes,
                **target,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"“{made.name}” attached.")
            return redirect(request.path)
    return _page(
        request,
        activity=activity,
        subject=subject,
        kind=kind,
        evidence=evidence,
        back=back,
        status=400,
        form=form,
    )


@require_http_methods(["GET", "POST"])
def update_evidence(request: HttpRequest, pk: int, update_id: int) -> HttpResponse:
    activity = _in_sight_or_404(request, pk, "progress")
    update = _readable_update_or_404(request, activity, update_id)
    back = reverse("activities:detail", args=[activity.pk]) + f"#update-{update.pk}"
    return _upload(
        request, activity=activity, subject=update, kind="update", back=back, update=update
    )


@require_http_methods(["GET", "POST"])
def measurement_evidence(request: HttpRequest, pk: int, measurement_id: int) -> HttpResponse:
    activity = _in_sight_or_404(request, pk, "indicators")
    measurement = (
        Measurement.objects.select_related("indicator")
        .filter(pk=measurement_id, indicator__activity=activity)
        .first()
    )
    if measurement is None:
        raise Http404("No such measurement.")
    measurement.indicator.activity = activity
    back = (
        reverse("activities:detail", args=[activity.pk]) + f"#indicator-{measurement.indicator_id}"
    )
    return _upload(
        request,
        activity=activity,
        subject=measurement,
        kind="measurement",
        back=back,
        measurement=measurement,
    )


def _readable_evidence_or_404(request: HttpRequest, evidence_id: int) -> Evidence:
    # A file is evidence of a progress report or of an indicator's value: read by those who may
    # see that field group of the activity.
    user = request.user
    in_sight = (Q(update__isnull=False) & group_visible(user, "progress", "update__activity__")) | (
        Q(measurement__isnull=False)
        & group_visible(user, "indicators", "measurement__indicator__activity__")
    )
    evidence = (
        Evidence.objects.select_related("update", "measurement__indicator")
        .filter(Q(pk=evidence_id) & in_sight)
        .first()
    )
    if evidence is None:
        raise Http404("No such file.")
    if evidence.update_id is not None:
        visible = selectors.visible_updates(
            ProgressUpdate.objects.filter(pk=evidence.update_id), viewer=request.user
        )
        if not visible.exists():
            raise Http404("No such file.")
    return evidence


@require_GET
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    """The file, to those who may read its record (404 for anyone else, as for the record)."""
    evidence = _readable_evidence_or_404(request, evidence_id)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=not evidence.shown_inline,
        filename=evidence.name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def evidence_remove(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = _readable_evidence_or_404(request, evidence_id)
    activity_id = (
        evidence.update.activity_id
        if evidence.update_id
        else evidence.measurement.indicator.activity_id
    )
    activity = page_selectors.activity_or_404(activity_id)
    if evidence.update_id:
        evidence.update.activity = activity
        back = reverse("activities:update-evidence", args=[activity.pk, evidence.update_id])
    else:
        evidence.measurement.indicator.activity = activity
        back = reverse(
            "activities:measurement-evidence", args=[activity.pk, evidence.measurement_id]
        )
    try:
        services.remove_evidence(actor=request.user, evidence=evidence)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{evidence.name}” removed.")
    return redirect(back)
