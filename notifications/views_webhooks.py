"""The managers' webhooks page: register a subscription, see each one's delivery log, disable
or enable it. Thin: notifications.webhooks writes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from activities.exceptions import ConflictError
from notifications import webhooks
from notifications.forms import WebhookForm, WebhookToggleForm
from notifications.models import WebhookDelivery, WebhookSubscription
from partnership.access import is_manager
from partnership.forms import add_service_errors

LOG_SIZE = 50


def _managers_only(request: HttpRequest) -> None:
    if not is_manager(request.user):
        raise PermissionDenied("Only managers register webhooks.")


@require_http_methods(["GET", "POST"])
def subscriptions(request: HttpRequest) -> HttpResponse:
    _managers_only(request)
    form = WebhookForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                created = webhooks.create_subscription(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(
                    request,
                    f"Webhook to {created.url} registered. Its secret, shown this once: "
                    f"{created.secret}",
                )
                return redirect("notifications:webhook", pk=created.pk)
        else:
            status = 400
    rows = WebhookSubscription.objects.filter(owner=request.user).order_by("id")
    return render(
        request,
        "notifications/webhooks.html",
        {"nav": "inbox", "form": form, "subscriptions": rows},
        status=status,
    )


@require_http_methods(["GET"])
def subscription(request: HttpRequest, pk: int) -> HttpResponse:
    _managers_only(request)
    found = get_object_or_404(WebhookSubscription, pk=pk, owner=request.user)
    log = (
        WebhookDelivery.objects.filter(subscription=found)
        .select_related("event")
        .prefetch_related("attempt_log")
        .order_by("-created_at", "-id")[:LOG_SIZE]
    )
    return render(
        request,
        "notifications/webhook_detail.html",
        {"nav": "inbox", "subscription": found, "log": log},
    )


@require_POST
def toggle(request: HttpRequest, pk: int) -> HttpResponse:
    _managers_only(request)
    found = get_object_or_404(WebhookSubscription, pk=pk, owner=request.user)
    form = WebhookToggleForm(request.POST)
    if form.is_valid():
        try:
            webhooks.update_subscription(
                actor=request.user,
                subscription=found,
                version=form.cleaned_data["version"],
                changes={"active": form.cleaned_data["active"]},
            )
        except ConflictError:
            messages.error(request, "The webhook changed since you opened the page; look again.")
    return redirect("notifications:webhook", pk=pk)
