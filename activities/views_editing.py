"""The pages that edit the rest of an activity (issue 16): create one, its participations, topics
and SDG targets, funding, editing and deleting milestones, taking back one's own update, and a
year's priorities. As thin as `activities.views`: forms check the input, `activities.services`
check the permissions and rules again and write, and every edit names the version it started
from, so a stale page is told so instead of overwriting someone's change."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from activities import page_selectors, permissions, services
from activities.exceptions import ConflictError, InvalidTransition
from activities.forms import SubmitUpdateForm
from activities.forms_editing import (
    ActivityCreateForm,
    FingerprintForm,
    FundingForm,
    LinksForm,
    MilestoneEditForm,
    ParticipationFormSet,
    PriorityFormSet,
    VersionForm,
)
from activities.models import Activity, FundingCommitment, Milestone, PriorityDesignation
from activities.views import (
    CONFLICT_MILESTONE,
    CONFLICT_UPDATE_SHORT,
    LOST_VERSION,
    _already_saved,
    _detail_url,
    _editable_update,
    _require_edit,
)
from partnership.access import Role, is_manager, role_of
from partnership.forms import add_service_errors
from partnership.models import Organization

CONFLICT_ACTIVITY_PART = (
    "Someone else changed this activity since you opened the page. Nothing was saved; the page "
    "now shows the activity as it is. Check it, then make your change again."
)
CONFLICT_PRIORITIES = (
    "Someone else changed this year's priorities since you opened the page. Nothing was saved; "
    "the page now shows them as they are. Check them, then make your change again."
)


def _errors_as_messages(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# --- creating an activity -------------------------------------------------------------------------


def _lead_choices(request: HttpRequest) -> QuerySet[Organization] | None:
    """The organizations the user may name as lead: any (managers), their own (liaison officers);
    anyone else may create nothing (PermissionDenied)."""
    if is_manager(request.user):
        return None
    if role_of(request.user) == Role.LIAISON_OFFICER:
        return Organization.objects.filter(pk=permissions.organization_id_of(request.user))
    raise PermissionDenied("Only managers and liaison officers create activities.")


@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest) -> HttpResponse:
    lead_choices = _lead_choices(request)
    if request.method == "POST":
        form = ActivityCreateForm(request.POST, lead_choices=lead_choices)
        if form.is_valid():
            try:
                submitted = services.submit_once(
                    actor=request.user,
                    token=form.cleaned_data["token"],
                    kind="activity",
                    create=lambda: services.create_activity(
                        actor=request.user, **form.fields_for_service()
                    ),
                    describe=lambda activity: (f"activity {activity.code}", _detail_url(activity)),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if not submitted.created:
                    return _already_saved(request, submitted)
                activity = submitted.record
                messages.success(request, f"Activity {activity.code} created.")
                return redirect(_detail_url(activity))
    else:
        form = ActivityCreateForm(lead_choices=lead_choices)
    return render(request, "activities/activity_new.html", {"nav": "activities", "form": form})


# --- participations -------------------------------------------------------------------------------


def _participation_rows(activity: Activity) -> list[dict]:
    return [
        {
            "organization": part.organization_id,
            "role": part.role,
            "contribution": part.contribution,
        }
        for part in activity.participations.all()
    ]


@require_http_methods(["GET", "POST"])
def participations_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = page_selectors.activity_or_404(pk)
    _require_edit(request, activity)
    status = 200
    if request.method == "POST":
        version_form = VersionForm(request.POST)
        formset = ParticipationFormSet(request.POST, prefix="p")
        if version_form.is_valid() and formset.is_valid():
            try:
                services.set_participations(
                    actor=request.user,
                    activity=activity,
                    version=version_form.cleaned_data["version"],
                    participations=formset.specs(),
                )
            except ConflictError:
                activity = page_selectors.activity_or_404(pk)
                version_form = VersionForm(initial={"version": activity.version})
                formset = ParticipationFormSet(initial=_participation_rows(activity), prefix="p")
                version_form.conflict = CONFLICT_ACTIVITY_PART
                status = 409
            except ValidationError as exc:
                add_service_errors(version_form, exc)
                status = 400
            else:
                messages.success(request, f"Organizations of {activity.code} saved.")
                return redirect(_detail_url(activity))
        else:
            status = 400
    else:
        version_form = VersionForm(initial={"version": activity.version})
        formset = ParticipationFormSet(initial=_participation_rows(activity), prefix="p")
    return render(
        request,
        "activities/participations_form.html",
        {
            "nav": "activities",
            "activity": activity,
            "version_form": version_form,
            "formset": formset,
            "conflict": getattr(version_form, "conflict", None),
        },
        status=status,
    )


# --- topics and SDG targets -----------------------------------------------------------------------


def _links_initial(activity: Activity) -> dict:
    return {
        "version": activity.version,
        "topics": list(activity.topics.values_list("pk", flat=True)),
        "sdg_targets": list(activity.sdg_targets.values_list("pk", flat=True)),
    }


@require_http_methods(["GET", "POST"])
def links_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = page_selectors.activity_or_404(pk)
    _require_edit(request, activity)
    status = 200
    conflict = None
    if request.method == "POST":
        form = LinksForm(request.POST)
        if form.is_valid():
            try:
                services.update_activity(
                    actor=request.user,
                    activity=activity,
                    version=form.cleaned_data["version"],
                    changes={
                        "topics": list(form.cleaned_data["topics"]),
                        "sdg_targets": list(form.cleaned_data["sdg_targets"]),
                    },
                )
            except ConflictError:
                activity = page_selectors.activity_or_404(pk)
                form = LinksForm(initial=_links_initial(activity))
                conflict = CONFLICT_ACTIVITY_PART
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, f"Topics and SDG targets of {activity.code} saved.")
                return redirect(_detail_url(activity))
        else:
            status = 400
    else:
        form = LinksForm(initial=_links_initial(activity))
    return render(
        request,
        "activities/links_form.html",
        {"nav": "activities", "activity": activity, "form": form, "conflict": conflict},
        status=status,
    )


# --- funding --------------------------------------------------------------------------------------


def _commitment_or_404(activity: Activity, funding_id: int) -> FundingCommitment:
    try:
        return page_selectors.funding_of(activity=activity, funding_id=funding_id)
    except FundingCommitment.DoesNotExist as exc:
        raise Http404("No such funding commitment.") from exc


def _funding_page(request, activity, form, commitment, *, conflict=None, status=200):
    return render(
        request,
        "activities/funding_form.html",
        {
            "nav": "activities",
            "activity": activity,
            "form": form,
            "commitment": commitment,
            "conflict": conflict,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def funding_add(request: HttpRequest, pk: int) -> HttpResponse:
    activity = page_selectors.activity_or_404(pk)
    _require_edit(request, activity)
    if request.method != "POST":
        form = FundingForm(
            creating=True, initial={"version": activity.version, "currency": activity.currency}
        )
        return _funding_page(request, activity, form, None)
    form = FundingForm(request.POST, creating=True)
    if form.is_valid():
        try:
            submitted = services.submit_once(
                actor=request.user,
                token=form.cleaned_data["token"],
                kind="funding",
                create=lambda: services.add_funding(
                    actor=request.user,
                    activity=activity,
                    version=form.cleaned_data["version"],
                    **form.fields_for_service(),
                ),
                describe=lambda c: (
                    f"{c.amount} {c.currency} from {c.donor}",
                    _detail_url(activity),
                ),
            )
        except ConflictError:
            activity = page_selectors.activity_or_404(pk)
            data = request.POST.copy()
            data["version"] = str(activity.version)
            form = FundingForm(data, creating=True)
            form.is_valid()
            return _funding_page(
                request, activity, form, None, conflict=CONFLICT_ACTIVITY_PART, status=409
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not submitted.created:
                return _already_saved(request, submitted)
            messages.success(request, f"Funding from {submitted.record.donor.acronym} added.")
            return redirect(_detail_url(activity))
    return _funding_page(request, activity, form, None, status=400)


@require_http_methods(["GET", "POST"])
def funding_edit(request: HttpRequest, pk: int, funding_id: int) -> HttpResponse:
    activity = page_selectors.activity_or_404(pk)
    _require_edit(request, activity)
    commitment = _commitment_or_404(activity, funding_id)
    if request.method != "POST":
        initial = {name: getattr(commitment, name) for name in FundingForm.FIELDS}
        form = FundingForm(initial={**initial, "version": activity.version})
        return _funding_page(request, activity, form, commitment)
    form = FundingForm(request.POST)
    if form.is_valid():
        try:
            services.update_funding(
                actor=request.user,
                commitment=commitment,
                version=form.cleaned_data["version"],
                changes=form.fields_for_service(),
            )
        except ConflictError:
            activity = page_selectors.activity_or_404(pk)
            data = request.POST.copy()
            data["version"] = str(activity.version)
            form = FundingForm(data)
            form.is_valid()
            return _funding_page(
                request, activity, form, commitment, conflict=CONFLICT_ACTIVITY_PART, status=409
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Funding from {commitment.donor.acronym} saved.")
            return redirect(_detail_url(activity))
    return _funding_page(request, activity, form, commitment, status=400)


@require_POST
def funding_delete(request: HttpRequest, pk: int, funding_id: int) -> HttpResponse:
    activity = page_selectors.activity_or_404(pk)
    _require_edit(request, activity)
    commitment = _commitment_or_404(activity, funding_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, LOST_VERSION)
    else:
        try:
            services.remove_funding(
                actor=request.user, commitment=commitment, version=form.cleaned_data["version"]
            )
        except ConflictError:
            messages.error(request, CONFLICT_ACTIVITY_PART)
        else:
            messages.success(request, f"Funding from {commitment.donor.acronym} removed.")
    return redirect(_detail_url(activity))


# --- milestones -----------------------------------------------------------------------------------


def _milestone_or_404(activity: Activity, milestone_id: int) -> Milestone:
    try:
        return page_selectors.milestone_of(activity=activity, milestone_id=milestone_id)
    except Milestone.DoesNotExist as exc:
        raise Http404("No such milestone.") from exc


def _milestone_initial(milestone: Milestone) -> dict:
    names = ("title", "due_date", "weight", "completed_on", "outside_period_confirmed", "version")
    return {name: getattr(milestone, name) for name in names}


@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    activity = page_selectors.activity_or_404(pk)
    _require_edit(request, activity)
    milestone = _milestone_or_404(activity, milestone_id)
    status = 200
    conflict = None
    if request.method == "POST":
        form = MilestoneEditForm(request.POST, activity=activity)
        if form.is_valid():
            try:
                services.update_milestone(
                    actor=request.user,
                    milestone=milestone,
                    version=form.cleaned_data["version"],
                    changes=form.fields_for_service(),
                )
            except ConflictError:
                milestone = _milestone_or_404(activity, milestone_id)
                data = request.POST.copy()
                data["version"] = str(milestone.version)
                form = MilestoneEditForm(data, activity=activity)
                form.is_valid()
                conflict = CONFLICT_MILESTONE.replace(
                    "the page now shows the milestone as it is",
                    "your input is kept below; the milestone as it is now: "
                    f"“{milestone.title}”, due {milestone.due_date:%Y-%m-%d}",
                )
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, f"Milestone “{form.cleaned_data['title']}” saved.")
                return redirect(_detail_url(activity))
        else:
            status = 400
    else:
        form = MilestoneEditForm(activity=activity, initial=_milestone_initial(milestone))
    return render(
        request,
        "activities/milestone_edit.html",
        {
            "nav": "activities",
            "activity": activity,
            "milestone": milestone,
            "form": form,
            "conflict": conflict,
        },
        status=status,
    )


@require_POST
def milestone_delete(request: HttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    activity = page_selectors.activity_or_404(pk)
    _require_edit(request, activity)
    milestone = _milestone_or_404(activity, milestone_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, LOST_VERSION)
        return redirect(_detail_url(activity))
    try:
        services.delete_milestone(
            actor=request.user, milestone=milestone, version=form.cleaned_data["version"]
        )
    except ConflictError:
        messages.error(request, CONFLICT_MILESTONE)
    else:
        messages.success(request, f"Milestone “{milestone.title}” deleted.")
    return redirect(_detail_url(activity))


# --- taking back one's own update -----------------------------------------------------------------


def _take_back(request: HttpRequest, pk: int, update_id: int, *, delete: bool) -> HttpResponse:
    activity = page_selectors.activity_or_404(pk)
    _require_edit(request, activity)
    update = _editable_update(activity, update_id)
    form = SubmitUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, LOST_VERSION)
        return redirect(_detail_url(activity))
    service = services.delete_progress_update if delete else services.withdraw_progress_update
    try:
        service(actor=request.user, update=update, version=form.cleaned_data["version"])
    except ConflictError:
        messages.error(request, CONFLICT_UPDATE_SHORT)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "Draft deleted." if delete else "Update withdrawn from approval: it is a draft again.",
        )
    return redirect(_detail_url(activity))


@require_POST
def update_delete(request: HttpRequest, pk: int, update_id: int) -> HttpResponse:
    return _take_back(request, pk, update_id, delete=True)


@require_POST
def update_withdraw(request: HttpRequest, pk: int, update_id: int) -> HttpResponse:
    return _take_back(request, pk, update_id, delete=False)


# --- a year's priorities --------------------------------------------------------------------------


def _priority_rows(priorities: list[PriorityDesignation]) -> list[dict]:
    return [
        {
            "activity": p.activity_id,
            "code": p.activity.code,
            "rank": p.rank,
            "rationale": p.rationale,
        }
        for p in priorities
    ]


def _ranked(formset, year: int) -> tuple[list[services.RankedPriority], list[str]]:
    """The rows as the service takes them, and what is wrong with the activity codes typed in the
    new rows (one query for all of them)."""
    rows = [
        row.cleaned_data
        for row in formset.forms
        if (row.cleaned_data.get("activity") or row.cleaned_data.get("code"))
        and not row.cleaned_data.get("remove")
    ]
    codes = {row["code"].strip() for row in rows if not row.get("activity") and row.get("code")}
    ids = {row["activity"] for row in rows if row.get("activity")}
    found = page_selectors.activities_for_priorities(year=year, ids=ids, codes=codes)
    by_id = {a.pk: a for a in found}
    by_code: dict[str, list[Activity]] = {}
    for activity in found:
        by_code.setdefault(activity.code, []).append(activity)
    errors, ranked = [], []
    for row in rows:
        if row.get("activity"):
            activity = by_id.get(row["activity"])
        else:
            matches = by_code.get(row["code"].strip(), [])
            if len(matches) != 1:
                errors.append(
                    f"No activity {row['code']} in a plan of {year}."
                    if not matches
                    else f"{row['code']} names activities of several plans of {year}."
                )
                continue
            activity = matches[0]
        if activity is not None:
            ranked.append(
                services.RankedPriority(
                    activity=activity, rank=row["rank"], rationale=row["rationale"]
                )
            )
    return ranked, errors


@require_http_methods(["GET", "POST"])
def priorities_edit(request: HttpRequest, year: int) -> HttpResponse:
    if not permissions.can_designate_priority(request.user):
        raise PermissionDenied("Only managers designate and rank priorities.")
    if not 1990 <= year <= 2100:
        raise Http404("No such year.")
    current = page_selectors.priorities_of(year=year)
    status, conflict, problems = 200, None, []
    fingerprint = FingerprintForm(initial={"fingerprint": services.priority_fingerprint(current)})
    formset = PriorityFormSet(initial=_priority_rows(current), prefix="r")
    if request.method == "POST":
        fingerprint = FingerprintForm(request.POST)
        formset = PriorityFormSet(request.POST, initial=_priority_rows(current), prefix="r")
        status = 400
        if fingerprint.is_valid() and formset.is_valid():
            ranked, problems = _ranked(formset, year)
            if not problems:
                try:
                    services.set_priorities(
                        actor=request.user,
                        year=year,
                        expected=fingerprint.cleaned_data["fingerprint"],
                        priorities=ranked,
                    )
                except ConflictError:
                    current = page_selectors.priorities_of(year=year)
                    fingerprint = FingerprintForm(
                        initial={"fingerprint": services.priority_fingerprint(current)}
                    )
                    formset = PriorityFormSet(initial=_priority_rows(current), prefix="r")
                    conflict, status = CONFLICT_PRIORITIES, 409
                except ValidationError as exc:
                    problems = exc.messages
                else:
                    messages.success(request, f"The priorities of {year} are saved.")
                    return redirect(reverse("activities:priorities-edit", args=[year]))
    return render(
        request,
        "activities/priorities_form.html",
        {
            "nav": "activities",
            "year": year,
            "formset": formset,
            "fingerprint": fingerprint,
            "conflict": conflict,
            "problems": problems,
        },
        status=status,
    )
