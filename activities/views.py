"""The browser pages of activities: find, read, update, report, approve.

Thin by design: forms check the shape of the input, `activities.services` make every write (and
check permissions again, so a hand-made POST is refused as well), `activities.selectors` and
`activities.page_selectors` read. The controls a user may not use are not shown; posting to them
anyway answers 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities import (
    history,
    page_selectors,
    period_selectors,
    permissions,
    search,
    selectors,
    services,
)
from activities.exceptions import ConflictError, InvalidTransition
from activities.forms import (
    ActivityFilterForm,
    ActivityForm,
    ApproveForm,
    MeasurementForm,
    MilestoneCompleteForm,
    MilestoneForm,
    ProgressUpdateForm,
    ReturnForm,
    SearchForm,
    SubmitUpdateForm,
)
from activities.models import Activity, Indicator, Milestone, ProgressUpdate
from activities.sensitivity import FIELD_GROUPS
from partnership.forms import add_service_errors

PAGE_SIZE = 25
HISTORY_ON_PAGE = 15

CONFLICT_ACTIVITY = (
    "Someone else changed this activity since you opened it. Your changes were not saved. "
    "Your input is kept below, next to the values saved now: check them, then save again to "
    "replace the other person's changes."
)
CONFLICT_MILESTONE = (
    "Someone else changed this milestone since you opened the page. Nothing was saved; the page "
    "now shows the milestone as it is."
)
CONFLICT_UPDATE = (
    "Someone else changed this progress update since you opened it. Your changes were not saved. "
    "Your input is kept below; check the update as it is now and save again."
)
CONFLICT_REVIEW = (
    "This update was changed since you opened the queue. Nothing was saved; look at it again."
)

# For a submit or withdraw button: there is no input of the person's to keep.
CONFLICT_UPDATE_SHORT = CONFLICT_UPDATE.split(" Your input")[0] + " Look at it again."
LOST_VERSION = "The form lost track of the version you opened; reload the page and try again."

# Sortable columns of the list: column → the ordering parameter that sorts by it.
SORTABLE = {"code": "code", "title": "title", "area": "thematic_area", "status": "status"}


def _in_sight_or_404(request: HttpRequest, pk: int, *groups: str) -> Activity:
    """The activity, if the person may see it and each of `groups` of it (404 otherwise, as for
    an activity that does not exist: a restricted one is not even named)."""
    try:
        activity, sight = page_selectors.activity_in_sight(activity_id=pk, viewer=request.user)
    except Activity.DoesNotExist as exc:
        raise Http404("No such activity.") from exc
    if not all(sight.sees(group) for group in groups):
        raise Http404("No such activity.")
    return activity


def _require_edit(request: HttpRequest, activity: Activity) -> None:
    if not permissions.can_edit_activity(request.user, activity):
        raise PermissionDenied(
            "Only liaison officers of an organization taking part in this activity, and "
            "managers, may change it."
        )


def _require_manager(request: HttpRequest) -> None:
    if not permissions.can_approve(request.user):
        raise PermissionDenied("Only managers review progress updates.")


def _detail_url(activity: Activity) -> str:
    """Where a write goes back to. No #anchor: the message saying what was saved (or refused) is
    at the top of the page, and jumping to a section further down scrolled it out of view."""
    return reverse("activities:detail", args=[activity.pk])


def _already_saved(request: HttpRequest, submitted: services.Submitted) -> HttpResponse:
    """A replayed create form (Back, then Save again): say what the first save made, and go
    where it is shown, instead of making it twice."""
    first = submitted.submission
    when = formats.date_format(timezone.localtime(first.created_at), "DATETIME_FORMAT")
    made = f" ({first.summary})" if first.summary else ""
    messages.info(
        request,
        f"This form was already saved on {when}{made}; nothing was saved a second time.",
    )
    return redirect(first.url or "/")


# --- list and detail ------------------------------------------------------------------------------


def _sort_columns(current: str) -> dict[str, dict[str, Any]]:
    """For each sortable column: the ordering a click asks for (ascending first, then reversed)
    and its aria-sort state."""
    columns = {}
    for column, key in SORTABLE.items():
        state = None
        if current == key:
            state = "ascending"
        elif current == f"-{key}":
            state = "descending"
        columns[column] = {
            "next": f"-{key}" if state == "ascending" else key,
            "aria_sort": state,
        }
    return columns


@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    choices = page_selectors.filter_choices()
    form = ActivityFilterForm(request.GET or None, choices=choices)
    if form.is_bound:
        form.is_valid()  # invalid filters are shown beside their field and left out
    params = form.filter_params()
    listing = selectors.activity_listing(viewer=request.user, filters=params)
    page = Paginator(listing, PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any(key not in ("ordering", "page") and value for key, value in request.GET.items())
    return render(
        request,
        "activities/activity_list.html",
        {
            "nav": "activities",
            "form": form,
            "page": page,
            "filtered": filtered,
            "sort": _sort_columns(params["ordering"]),
            # Managers and liaison officers (for activities their organization leads).
            "can_create": permissions.may_write_at_all(request.user),
        },
    )


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """The header's search box: activities, milestones and progress updates by text."""
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid():
        results = search.search(text=form.cleaned_data["q"], viewer=request.user)
    return render(
        request, "activities/search.html", {"nav": "search", "form": form, "results": results}
    )


@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        page = page_selectors.activity_page(activity_id=pk, viewer=request.user)
    except Activity.DoesNotExist as exc:
        raise Http404("No such activity.") from exc
    # The change history names old and new values of every field: shown only to those who may
    # see every field group.
    changes = (
        []
        if page.withheld
        else history.change_history(activity_id=pk, viewer=request.user, limit=HISTORY_ON_PAGE + 1)
    )
    return render(
        request,
        "activities/activity_detail.html",
        {
            "nav": "activities",
            "p": page,
            "activity": page.activity,
            "can_edit": permissions.can_edit_activity(request.user, page.activity),
            "is_manager": permissions.can_approve(request.user),
            "history": changes[:HISTORY_ON_PAGE],
            "more_history": len(changes) > HISTORY_ON_PAGE,
            "today": timezone.localdate(),
            "reports": period_selectors.activity_reports(
                activity=page.activity, today=timezone.localdate()
            ),
        },
    )


@require_GET
def activity_changes(request: HttpRequest, pk: int) -> HttpResponse:
    # The history names old and new values of every field group.
    activity = _in_sight_or_404(request, pk, *FIELD_GROUPS)
    page = Paginator(history.change_history(activity_id=pk, viewer=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "activities/activity_changes.html",
        {"nav": "activities", "activity": activity, "page": page},
    )


# --- editing the activity -------------------------------------------------------------------------


def _saved_values(form: ActivityForm, activity: Activity) -> list[dict[str, str]]:
    """The fields where what is saved now differs from what the user typed, to show side by side
    after a conflict."""
    rows = []
    typed = form.cleaned_data if form.is_valid() else {}
    for name in ActivityForm.CHANGE_FIELDS:
        saved = getattr(activity, name)
        mine = typed.get(name, form.data.get(name))
        if str(saved or "") != str(mine or ""):
            field = form.fields[name]
            display = getattr(activity, f"get_{name}_display", None)
            rows.append(
                {
                    "label": field.label or name.replace("_", " ").capitalize(),
                    "saved": display() if display else (saved if saved not in (None, "") else "—"),
                    "mine": mine if mine not in (None, "") else "—",
                }
            )
    return rows


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = page_selectors.activity_or_404(pk)
    _require_edit(request, activity)
    conflict: list[dict[str, str]] | None = None
    status = 200
    if request.method == "POST":
        form = ActivityForm(request.POST)
        if form.is_valid():
            try:
                services.update_activity(
                    actor=request.user,
                    activity=activity,
                    version=form.cleaned_data["version"],
                    changes=form.changes(),
                )
            except ConflictError:
                current = page_selectors.activity_or_404(pk)
                # Keep every value the user typed; only the version moves on, so that saving
                # again is a deliberate choice made with the saved values in view.
                data = request.POST.copy()
                data["version"] = str(current.version)
                form = ActivityForm(data)
                conflict = _saved_values(form, current)
                form.add_error(None, CONFLICT_ACTIVITY)
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Activity {activity.code} saved.")
                return redirect(_detail_url(activity))
    else:
        form = ActivityForm(initial=ActivityForm.initial_for(activity))
    return render(
        request,
        "activities/activity_form.html",
        {"nav": "activities", "activity": activity, "form": form, "conflict": conflict},
        status=status,
    )


# --- milestones -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    activity = page_selectors.activity_or_404(pk)
    _require_edit(request, activity)
    if request.method == "POST":
        form = MilestoneForm(request.POST, activity=activity)
        if form.is_valid():
            try:
                submitted = services.submit_once(
                    actor=request.user,
                    token=form.cleaned_data["token"],
                    kind="milestone",
                    create=lambda: services.add_milestone(
                        actor=request.user, activity=activity, **form.fields_for_service()
                    ),
                    describe=lambda milestone: (
                        f"milestone “{milestone.title}”",
                        _detail_url(activity),
                    ),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if not submitted.created:
                    return _already_saved(request, submitted)
                messages.success(request, f"Milestone “{submitted.record.title}” added.")
                return redirect(_detail_url(activity))
    else:
        form = MilestoneForm(activity=activity)
    return render(
        request,
        "activities/milestone_form.html",
        {"nav": "activities", "activity": activity, "form": form},
    )


@require_POST
def milestone_complete(request: HttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    activity = page_selectors.activity_or_404(pk)
    _require_edit(request, activity)
    try:
        milestone = page_selectors.milestone_of(activity=activity, milestone_id=milestone_id)
    except Milestone.DoesNotExist as exc:
        raise Http404("No such milestone.") from exc
    form = MilestoneCompleteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_detail_url(activity))
    try:
        services.complete_milestone(
            actor=request.user,
            milestone=milestone,
            version=form.cleaned_data["version"],
            completed_on=form.cleaned_data["completed_on"],
        )
    except ConflictError:
        messages.error(request, CONFLICT_MILESTONE)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"“{milestone.title}” was not completed: {message}")
    else:
        messages.success(request, f"Milestone “{milestone.title}” marked complete.")
    return redirect(_detail_url(activity))


# --- indicators -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def measurement_add(request: HttpRequest, pk: int, indicator_id: int) -> HttpResponse:
    activity = page_selectors.activity_or_404(pk)
    _require_edit(request, activity)
    try:
        indicator = page_selectors.indicator_of(activity=activity, indicator_id=indicator_id)
    except Indicator.DoesNotExist as exc:
        raise Http404("No such indicator.") from exc
    dimensions = selectors.dimension_refs(indicator_id=indicator.pk)
    if request.method == "POST":
        form = MeasurementForm(request.POST, indicator=indicator, dimensions=dimensions)
        if form.is_valid():
            try:
                submitted = services.submit_once(
                    actor=request.user,
                    token=form.cleaned_data["token"],
                    kind="measurement",
                    create=lambda: services.record_measurement(
                        actor=request.user, indicator=indicator, **form.fields_for_service()
                    ),
                    describe=lambda measurement: (
                        f"{measurement.value} for “{indicator.name}” on {measurement.measured_on}",
                        _detail_url(activity),
                    ),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if not submitted.created:
                    return _already_saved(request, submitted)
                messages.success(request, f"Value recorded for “{indicator.name}”.")
                return redirect(_detail_url(activity))
    else:
        form = MeasurementForm(indicator=indicator, dimensions=dimensions)
    return render(
        request,
        "activities/measurement_form.html",
        {
            "nav": "activities",
            "activity": activity,
            "indicator": indicator,
            "measurements": page_selectors.measurements_of(indicator=indicator),
            "form": form,
        },
    )


# --- progress updates -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def update_new(request: HttpRequest, pk: int) -> HttpResponse:
    activity = page_selectors.activity_or_404(pk)
    _require_edit(request, activity)
    if request.method == "POST":
        form = ProgressUpdateForm(request.POST, activity=activity, creating=True)
        if form.is_valid():
            submit = request.POST.get("action") == ProgressUpdateForm.SUBMIT
            try:
                submitted = services.submit_once(
                    actor=request.user,
                    token=form.cleaned_data["token"],
                    kind="progress_update",
                    create=lambda: services.create_progress_update(
                        actor=request.user,
                        activity=activity,
                        submit=submit,
                        **form.fields_for_service(),
                    ),
                    describe=lambda update: (
                        f"progress update to {update.period_end}, {update.get_state_display()}",
                        _detail_url(activity),
                    ),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if not submitted.created:
                    return _already_saved(request, submitted)
                messages.success(
                    request,
                    "Progress update submitted for approval."
                    if submit
                    else "Progress update saved as a draft.",
                )
                return redirect(_detail_url(activity))
    else:
        form = ProgressUpdateForm(activity=activity, creating=True)
    return render(
        request,
        "activities/update_form.html",
        {"nav": "activities", "activity": activity, "form": form, "update": None},
    )


def _editable_update(activity: Activity, update_id: int) -> ProgressUpdate:
    try:
        return page_selectors.update_of(activity=activity, update_id=update_id)
    except ProgressUpdate.DoesNotExist as exc:
        raise Http404("No such progress update.") from exc


@require_http_methods(["GET", "POST"])
def update_edit(request: HttpRequest, pk: int, update_id: int) -> HttpResponse:
    activity = page_selectors.activity_or_404(pk)
    _require_edit(request, activity)
    update = _editable_update(activity, update_id)
    if update.state not in services.EDITABLE_UPDATE_STATES:
        messages.error(
            request,
            f"This update is {update.get_state_display().lower()}; it can no longer be edited.",
        )
        return redirect(_detail_url(activity))
    status = 200
    if request.method == "POST":
        form = ProgressUpdateForm(request.POST, activity=activity)
        if form.is_valid() and form.cleaned_data["version"] is None:
            form.add_error("version", form.fields["version"].error_messages["required"])
        if form.is_valid():
            submit = request.POST.get("action") == ProgressUpdateForm.SUBMIT
            try:
                # Saving and submitting are one step for the user: both or neither.
                with transaction.atomic():
                    saved = services.edit_progress_update(
                        actor=request.user,
                        update=update,
                        version=form.cleaned_data["version"],
                        changes=form.fields_for_service(),
                    )
                    if submit:
                        services.submit_progress_update(
                            actor=request.user, update=saved, version=saved.version
                        )
            except ConflictError:
                current = _editable_update(activity, update_id)
                data = request.POST.copy()
                data["version"] = str(current.version)
                form = ProgressUpdateForm(data, activity=activity)
                form.is_valid()
                form.add_error(None, CONFLICT_UPDATE)
                update = current
                status = 409
            except InvalidTransition as exc:
                messages.error(request, str(exc))
                return redirect(_detail_url(activity))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    "Progress update submitted for approval." if submit else "Draft saved.",
                )
                return redirect(_detail_url(activity))
    else:
        form = ProgressUpdateForm(
            activity=activity,
            initial={
                "version": update.version,
                "period_end": update.period_end,
                "percent_complete": update.percent_complete,
                "narrative": update.narrative,
                "risks": update.risks,
            },
        )
    return render(
        request,
        "activities/update_form.html",
        {"nav": "activities", "activity": activity, "form": form, "update": update},
        status=status,
    )


@require_POST
def update_submit(request: HttpRequest, pk: int, update_id: int) -> HttpResponse:
    activity = page_selectors.activity_or_404(pk)
    _require_edit(request, activity)
    update = _editable_update(activity, update_id)
    form = SubmitUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, LOST_VERSION)
        return redirect(_detail_url(activity))
    try:
        services.submit_progress_update(
            actor=request.user, update=update, version=form.cleaned_data["version"]
        )
    except ConflictError:
        messages.error(request, CONFLICT_UPDATE_SHORT)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Progress update submitted for approval.")
    return redirect(_detail_url(activity))


# --- approvals ------------------------------------------------------------------------------------


def _queue_page(
    request: HttpRequest,
    *,
    bound: dict[int, dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    items = []
    for update in page_selectors.approval_queue():
        forms_of = bound.get(update.pk, {})
        items.append(
            {
                "update": update,
                "own": update.author_id == request.user.pk,
                # Changed its content in some version (four-eyes rule): may return, not approve.
                "contributed": request.user.pk in update.contributors,
                "approve": forms_of.get("approve")
                or ApproveForm(initial={"version": update.version}, prefix=f"a{update.pk}"),
                "return": forms_of.get("return")
                or ReturnForm(initial={"version": update.version}, prefix=f"r{update.pk}"),
            }
        )
    return render(
        request,
        "activities/approval_queue.html",
        {"nav": "approvals", "items": items},
        status=status,
    )


@require_GET
def approval_queue(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    return _queue_page(request)


def _update_for_review_or_404(update_id: int) -> ProgressUpdate:
    try:
        return page_selectors.update_for_review(update_id=update_id)
    except ProgressUpdate.DoesNotExist as exc:
        raise Http404("No such progress update.") from exc


@require_POST
def approval_approve(request: HttpRequest, update_id: int) -> HttpResponse:
    _require_manager(request)
    update = _update_for_review_or_404(update_id)
    form = ApproveForm(request.POST, prefix=f"a{update.pk}")
    if not form.is_valid():
        if "version" in form.errors:
            messages.error(request, LOST_VERSION)
            return redirect("activities:approvals")
        return _queue_page(request, bound={update.pk: {"approve": form}}, status=400)
    try:
        services.approve_progress_update(
            actor=request.user,
            update=update,
            version=form.cleaned_data["version"],
            note=form.cleaned_data["note"],
        )
    except (ConflictError, InvalidTransition) as exc:
        messages.error(request, CONFLICT_REVIEW if isinstance(exc, ConflictError) else str(exc))
    else:
        messages.success(
            request,
            f"Update of {update.activity.code} to {update.period_end} approved; the activity's "
            "status is being re-assessed.",
        )
    return redirect("activities:approvals")


@require_POST
def approval_return(request: HttpRequest, update_id: int) -> HttpResponse:
    _require_manager(request)
    update = _update_for_review_or_404(update_id)
    form = ReturnForm(request.POST, prefix=f"r{update.pk}")
    if not form.is_valid() and "version" in form.errors:
        messages.error(request, LOST_VERSION)
        return redirect("activities:approvals")
    if form.is_valid():
        try:
            services.return_progress_update(
                actor=request.user,
                update=update,
                version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
            )
        except (ConflictError, InvalidTransition) as exc:
            messages.error(request, CONFLICT_REVIEW if isinstance(exc, ConflictError) else str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Update of {update.activity.code} returned to its authors with your note."
            )
            return redirect("activities:approvals")
        if not form.errors:
            return redirect("activities:approvals")
    return _queue_page(request, bound={update.pk: {"return": form}}, status=400)
