"""The admin machinery every app's admin shares, so that the admin writes as the pages and the API
do: through the services. Here, in the lowest app, because `activities` imports `partnership`,
never the reverse.

- `ViewOnly`: records only a service or the engine writes are shown, never added, changed or
  deleted.
- `ServiceAdmin`: `save_model` / `delete_model` call the subclass's service hooks; a service's
  refusal shows on the form (or as a message), never as a 500, and rolls the admin's transaction
  back.
- `HistoryServiceAdmin`: the same for records with django-simple-history, whose "revert" form
  (a plain `save()`) is refused.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import construct_instance
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from partnership.forms import add_service_errors


class ViewOnly:
    """Mix into a ModelAdmin or an inline before the admin class."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ServiceRefused(Exception):
    """A service refused the admin's write (invalid input, a stale version, a state that does not
    allow it). Raised out of `save_model` so that the admin's transaction rolls back."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(error)
        self.error = error


def _refusal(exc: Exception) -> ValidationError:
    return exc if isinstance(exc, ValidationError) else ValidationError(str(exc))


class NoRevert:
    """django-simple-history's "revert" form saves an old version with a plain `save()` (even on
    admins without change permission): refused, so that history is only read here."""

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("Reverting from the history would bypass the services.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyInline(ViewOnly, admin.TabularInline):
    """Shown for reference, changed in the child's own admin (which calls the services)."""

    extra = 0
    can_delete = False
    show_change_link = True


class ServiceForm(forms.ModelForm):
    """Checks the shape of the input only, as the pages' forms do: the model's own checks
    (constraints, uniqueness) are the service's `full_clean()`, whose messages name the rule."""

    def _post_clean(self) -> None:
        try:
            self.instance = construct_instance(
                self, self.instance, self._meta.fields, self._meta.exclude
            )
        except ValidationError as exc:
            self._update_errors(exc)


class VersionedForm(ServiceForm):
    """A change form that carries, hidden, the version the record had when the page was loaded:
    the service refuses the save if someone changed the record since (optimistic concurrency)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.version_of(self.instance)

    def version_of(self, instance: models.Model) -> int:
        return instance.version


def form_changes(form: forms.ModelForm, names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """The cleaned values of the named fields that the form had."""
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


class ServiceAdmin(admin.ModelAdmin):
    """`save_model` calls `create_through_service` / `change_through_service` and
    `delete_model` calls `delete_through_service`; the service writes the relations too, so
    `save_related` writes nothing.

    A service's refusal (one of `refusals`) rolls the admin's transaction back and the form is
    shown again, with the error beside the field it names (or at the top), as the pages do; never
    a 500. Only the permissions granted below are open: no delete, unless a subclass routes it to
    a service.
    """

    form = ServiceForm
    add_form: type[forms.ModelForm] = ServiceForm
    add_fields: list[str] | None = None
    change_fields: list[str] | None = None
    refusals: tuple[type[Exception], ...] = (ValidationError,)

    # -- hooks for subclasses
    def create_through_service(self, request: HttpRequest, obj: Any, form: Any) -> models.Model:
        raise NotImplementedError

    def change_through_service(self, request: HttpRequest, obj: Any, form: Any) -> models.Model:
        raise NotImplementedError

    def delete_through_service(self, request: HttpRequest, obj: Any) -> None:
        raise NotImplementedError

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    # -- forms
    def get_fields(self, request, obj=None):
        fields = self.change_fields if obj is not None else self.add_fields
        return fields if fields is not None else super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        form_class = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, "_service_refusal", None)
        if refused is None:
            return form_class

        class RefusedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                add_service_errors(self, refused)
                return cleaned

        return RefusedForm

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # nothing to show before it exists

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            # The first attempt's transaction has rolled back (and with it whatever it would have
            # announced); show the same input again with the service's error on the form.
            request._service_refusal = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceRefused as refused:
            for message in refused.error.messages:
                self.message_user(request, message, messages.ERROR)
            opts = self.model._meta
            return redirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
            )

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete would bypass the services
        return actions

    # -- writes
    def save_model(self, request, obj, form, change) -> None:
        try:
            if change:
                saved = self.change_through_service(request, obj, form)
            else:
                saved = self.create_through_service(request, obj, form)
        except self.refusals as exc:
            raise ServiceRefused(_refusal(exc)) from exc
        # The admin goes on with `obj` (log entry, message, redirect): give it what was saved.
        obj.pk = saved.pk
        obj._state.adding = False
        if hasattr(saved, "version"):
            obj.version = saved.version

    def save_related(self, request, form, formsets, change) -> None:
        """The service wrote the relations; the inlines are read-only."""

    def construct_change_message(self, request, form, formsets, add=False):
        return super().construct_change_message(request, form, [], add)  # inlines: unsaved

    def delete_model(self, request, obj) -> None:
        try:
            self.delete_through_service(request, obj)
        except self.refusals as exc:
            raise ServiceRefused(_refusal(exc)) from exc


class HistoryServiceAdmin(NoRevert, ServiceAdmin, SimpleHistoryAdmin):
    """A `ServiceAdmin` for a record with django-simple-history: its history is shown, and only
    read."""


class ReadOnlyHistoryAdmin(ViewOnly, NoRevert, SimpleHistoryAdmin):
    """Shown with its history; written only through the services."""
