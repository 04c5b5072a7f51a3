"""The signed-in side of publication: a plan's snapshots and its activities' tiers, the
pre-publish checklist with its publish form, an activity's publication settings, withdrawal.

Thin: forms check the shape, `publication.services` write (and check permissions again),
`publication.selectors` and the pure checklist read.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from activities import page_selectors
from activities.exceptions import ConflictError, InvalidTransition
from partnership.forms import add_service_errors
from partnership.limits import parse_id
from partnership.models import JointActionPlan
from publication import permissions, rules, selectors, services
from publication.checklist import checklist
from publication.forms import DisclosureForm, PublishForm, WithdrawForm
from publication.models import Disclosure, Snapshot

PAGE_SIZE = 50

# The texts a checklist's problem can be fixed with in place, on the checklist itself.
INLINE_TEXTS = {"public_summary": "Public summary", "public_status_reason": "Public status reason"}

CONFLICT = (
    "Someone else changed these publication settings since you opened them. Nothing was saved; "
    "the form now shows them as they are."
)


def _plan_from(request: HttpRequest, plans: list[JointActionPlan]) -> JointActionPlan | None:
    plan_id = parse_id(request.GET.get("plan", ""))
    if plan_id is None:
        return plans[0] if plans else None
    found = next((p for p in plans if p.pk == plan_id), None)
    if found is None:
        raise Http404("No such plan.")
    return found


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """Queries: the plans; the plan's assessed dates; its snapshots (with their publishers); one
    page of its activities with their settings; their count."""
    plans = selectors.all_plans()
    plan = _plan_from(request, plans)
    context: dict = {"nav": "publication", "plans": plans, "plan": plan}
    if plan is not None:
        page = Paginator(selectors.activities_with_disclosure(plan_id=plan.pk), PAGE_SIZE)
        activities = page.get_page(parse_id(request.GET.get("page", "1")) or 1)
        rows = []
        for activity in activities:
            row = getattr(activity, "disclosure", None) or Disclosure()
            rows.append({"activity": activity, "disclosure": row})
        context.update(
            dates=selectors.publishable_dates(plan_id=plan.pk),
            snapshots=list(selectors.snapshots_of_plan(plan_id=plan.pk)),
            page=activities,
            rows=rows,
            groups=rules.FIELD_GROUPS,
            can_publish=permissions.can_publish(request.user),
            withdraw_form=WithdrawForm(),
        )
    return render(request, "publication/overview.html", context)


def _checklist_page(
    request: HttpRequest, *, plan_id: int, as_of: dt.date, form: PublishForm, status: int = 200
) -> HttpResponse:
    plan = next((p for p in selectors.all_plans() if p.pk == plan_id), None)
    if plan is None:
        raise Http404("No such plan.")
    dates = selectors.publishable_dates(plan_id=plan_id)
    facts = selectors.plan_facts(plan_id=plan_id, as_of=as_of)
    found = checklist(facts)
    versions = {a.id: a.disclosure.version for a in facts.activities}
    rows = [
        {
            "problem": problem,
            "version": versions.get(problem.activity_id, 1),
            "inline": problem.field in INLINE_TEXTS,
        }
        for problem in found.problems
    ]
    here = f"{reverse('publication:checklist')}?{urlencode({'plan': plan_id, 'as_of': as_of})}"
    return render(
        request,
        "publication/checklist.html",
        {
            "nav": "publication",
            "plan": plan,
            "as_of": as_of,
            "is_assessed": as_of in dates,
            "dates": dates,
            "checklist": found,
            "rows": rows,
            "here": here,
            "public_count": sum(1 for a in facts.activities if rules.is_public(a.disclosure.tier)),
            "form": form,
            "fix_next": urlencode({"next": here}),
        },
        status=status,
    )


def _require_publisher(request: HttpRequest) -> None:
    if not permissions.can_publish(request.user):
        raise PermissionDenied("Only managers publish snapshots.")


@require_GET
def checklist_page(request: HttpRequest) -> HttpResponse:
    """Queries: the session's user and profile, the plans, the assessed dates, and the plan's
    facts (`selectors.plan_facts`: 18), whatever the number of activities."""
    _require_publisher(request)
    plan_id = parse_id(request.GET.get("plan", ""))
    try:
        as_of = dt.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        as_of = None
    if plan_id is None or as_of is None:
        raise Http404("Choose a plan and an assessed date.")
    form = PublishForm(initial={"plan": plan_id, "as_of": as_of})
    return _checklist_page(request, plan_id=plan_id, as_of=as_of, form=form)


@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    _require_publisher(request)
    form = PublishForm(request.POST)
    valid = form.is_valid()
    data = form.cleaned_data
    if data.get("plan") is None or data.get("as_of") is None:
        raise Http404("Choose a plan and an assessed date.")
    if not valid:  # the note too long: said beside it, with the checklist
        return _checklist_page(
            request, plan_id=data["plan"], as_of=data["as_of"], form=form, status=400
        )
    try:
        snapshot = services.publish_snapshot(
            actor=request.user, plan_id=data["plan"], as_of=data["as_of"], note=data["note"]
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _checklist_page(
            request, plan_id=data["plan"], as_of=data["as_of"], form=form, status=400
        )
    messages.success(
        request,
        f"Published the snapshot as of {snapshot.as_of:%Y-%m-%d} "
        f"({snapshot.activity_count} public activities).",
    )
    return redirect(f"{reverse('publication:overview')}?plan={snapshot.plan_id}")


@require_POST
def withdraw(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    _require_publisher(request)
    form = WithdrawForm(request.POST)
    snapshot = Snapshot.objects.filter(pk=snapshot_id).only("id", "plan_id").first()
    if snapshot is None:
        raise Http404("No such snapshot.")
    back = f"{reverse('publication:overview')}?plan={snapshot.plan_id}"
    if not form.is_valid():
        messages.error(request, "Say why the snapshot is withdrawn; nothing was changed.")
        return redirect(back)
    try:
        services.withdraw_snapshot(
            actor=request.user, snapshot_id=snapshot_id, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, InvalidTransition) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, "The snapshot was withdrawn: its public pages answer 410 now.")
    return redirect(back)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_http_methods(["GET", "POST"])
def disclosure_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = page_selectors.activity_or_404(activity_id)
    if not permissions.can_set_disclosure(request.user, activity):
        raise PermissionDenied(
            "Only managers and liaison officers of the lead organization change what is "
            "published of an activity."
        )
    back = _safe_next(request, f"{reverse('publication:overview')}?plan={activity.matrix.plan_id}")
    status = 200
    if request.method == "POST":
        form = DisclosureForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.set_disclosure(
                    actor=request.user,
                    activity_id=activity.pk,
                    version=data["version"],
                    tier=data["tier"],
                    field_tiers=form.field_tiers(),
                    public_summary=data["public_summary"],
                    public_status_reason=data["public_status_reason"],
                )
            except ConflictError:
                current = selectors.disclosure_for(activity_id=activity.pk)
                form = DisclosureForm(DisclosureForm.initial_for(current))
                form.is_valid()  # bound to the saved values, so the message can be added
                form.add_error(None, CONFLICT)
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, f"Publication settings of {activity.code} saved.")
                return redirect(back)
        else:
            status = 400
    else:
        current = selectors.disclosure_for(activity_id=activity.pk)
        form = DisclosureForm(initial=DisclosureForm.initial_for(current))
    return render(
        request,
        "publication/disclosure_form.html",
        {"nav": "publication", "activity": activity, "form": form, "next": back},
        status=status,
    )


@require_POST
def disclosure_text(request: HttpRequest, activity_id: int) -> HttpResponse:
    """One public text written on the checklist, in place: the tiers stay as they are."""
    activity = page_selectors.activity_or_404(activity_id)
    if not permissions.can_set_disclosure(request.user, activity):
        raise PermissionDenied("Only managers and lead liaison officers write the public texts.")
    back = _safe_next(request, f"{reverse('publication:overview')}?plan={activity.matrix.plan_id}")
    field = request.POST.get("field", "")
    version = parse_id(request.POST.get("version", ""))
    if field not in INLINE_TEXTS or version is None:
        messages.error(request, "The form lost track of what it edits; nothing was saved.")
        return redirect(back)
    current = selectors.disclosure_for(activity_id=activity.pk)
    texts = {name: getattr(current, name) for name in INLINE_TEXTS}
    texts[field] = request.POST.get("value", "")
    try:
        services.set_disclosure(
            actor=request.user,
            activity_id=activity.pk,
            version=version,
            tier=current.tier,
            field_tiers=current.field_tiers,
            **texts,
        )
    except ConflictError:
        messages.error(request, CONFLICT.replace("the form now shows", "the checklist shows"))
    except ValidationError as exc:
        messages.error(request, f"{activity.code}: {' '.join(exc.messages)} Nothing was saved.")
    else:
        messages.success(request, f"{INLINE_TEXTS[field]} of {activity.code} saved.")
    return redirect(back)
