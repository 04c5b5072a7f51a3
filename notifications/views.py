"""The inbox, the notification settings and the managers' log: thin pages over
notifications.selectors and notifications.services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from notifications import selectors, services
from notifications.forms import MarkReadForm, PreferencesForm
from partnership.access import is_manager
from partnership.forms import add_service_errors

PAGE_SIZE = 30


@require_http_methods(["GET"])
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/inbox.html", {"page": page, "nav": "inbox"})


@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    form = MarkReadForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That is not a notification.")
        return redirect("notifications:inbox")
    one = form.cleaned_data["notification"]
    changed = services.mark_read(actor=request.user, notification_ids=[one] if one else None)
    if not one:
        messages.success(
            request, f"{changed} notification{'s' if changed != 1 else ''} marked read."
        )
    return redirect("notifications:inbox")


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    current = selectors.choices(user=request.user)
    form = PreferencesForm(request.POST or None, initial_choices=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.set_preferences(actor=request.user, choices=form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, "Your notification settings are saved.")
                return redirect("notifications:settings")
        else:
            status = 400
    return render(
        request, "notifications/settings.html", {"form": form, "nav": "inbox"}, status=status
    )


@require_http_methods(["GET"])
def log(request: HttpRequest) -> HttpResponse:
    if not is_manager(request.user):
        raise PermissionDenied("Only managers read the notification log.")
    page = Paginator(selectors.log(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/log.html", {"page": page, "nav": "inbox"})
