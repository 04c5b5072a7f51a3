"""The pages that edit a plan's results chain (managers only): add, edit and delete an
objective, outcome or output, and an output's contributing activities. As thin as
`activities.views_editing`: forms check the input, `results.services` check the permission and
the rules again and write, and every edit names the version it started from, so a stale page is
told so instead of overwriting someone's change. Anyone else gets 403, on GET and on POST."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from activities.exceptions import ConflictError
from activities.forms_editing import VersionForm
from activities.views import LOST_VERSION
from partnership.access import is_manager
from partnership.forms import add_service_errors
from partnership.models import JointActionPlan
from results import selectors, services
from results.forms import ContributionEditForm, ContributionForm, ResultForm
from results.models import Contribution, Level, Result

CONFLICT_RESULT = (
    "Someone else changed this result since you opened the page. Nothing was saved; the page "
    "now shows the result as it is. Check it, then make your change again."
)
CONFLICT_CONTRIBUTION = (
    "Someone else changed this contribution since you opened the page. Nothing was saved; the "
    "page now shows it as it is. Check it, then make your change again."
)


def _require_manager(request: HttpRequest) -> None:
    if not is_manager(request.user):
        raise PermissionDenied("Only managers may change a plan's results chain.")


def _plan_or_404(pk: int) -> JointActionPlan:
    plan = JointActionPlan.objects.filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan.")
    return plan


def _result_or_404(result_id: int) -> Result:
    result = Result.objects.select_related("plan", "parent").filter(pk=result_id).first()
    if result is None:
        raise Http404("No such result.")
    return result


def _output_or_404(result_id: int) -> Result:
    result = _result_or_404(result_id)
    if result.level != Level.OUTPUT:
        raise Http404("Only outputs have contributing activities.")
    return result


def _contribution_or_404(contribution_id: int) -> Contribution:
    contribution = (
        Contribution.objects.select_related("output__plan", "activity__matrix")
        .filter(pk=contribution_id)
        .first()
    )
    if contribution is None:
        raise Http404("No such contribution.")
    return contribution


def _chain_url(result: Result) -> str:
    return reverse("results:plan", args=[result.plan_id]) + f"#result-{result.pk}"


def _result_initial(result: Result) -> dict:
    return {
        "version": result.version,
        "level": result.level,
        "parent": result.parent_id,
        "code": result.code,
        "title": result.title,
        "description": result.description,
        "order": result.order,
        "sdg_targets": list(result.sdg_targets.values_list("pk", flat=True)),
    }


# --- results --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def result_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A new objective, outcome or output (`?level=`; `?parent=` preselects the one above)."""
    _require_manager(request)
    plan = _plan_or_404(pk)
    data = request.POST if request.method == "POST" else None
    level = (data or request.GET).get("level", Level.OBJECTIVE)
    if level not in Level.values:
        level = Level.OBJECTIVE
    status = 200
    if data is not None:
        form = ResultForm(data, plan=plan, level=level)
        if form.is_valid():
            try:
                result = services.create_result(
                    actor=request.user,
                    plan=plan,
                    level=level,
                    sdg_targets=list(form.cleaned_data["sdg_targets"]),
                    **form.fields_for_service(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, f"{result.get_level_display()} {result.code} added.")
                return redirect(_chain_url(result))
        else:
            status = 400
    else:
        form = ResultForm(
            plan=plan, level=level, initial={"level": level, "parent": request.GET.get("parent")}
        )
    return render(
        request,
        "results/result_form.html",
        {"nav": "framework", "plan": plan, "form": form, "level": Level(level), "result": None},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def result_edit(request: HttpRequest, result_id: int) -> HttpResponse:
    _require_manager(request)
    result = _result_or_404(result_id)
    status = 200
    conflict = None
    if request.method == "POST":
        form = ResultForm(request.POST, plan=result.plan, level=result.level, editing=True)
        if form.is_valid():
            try:
                result = services.update_result(
                    actor=request.user,
                    result=result,
                    version=form.cleaned_data["version"],
                    changes=form.fields_for_service(),
                    sdg_targets=list(form.cleaned_data["sdg_targets"]),
                )
            except ConflictError:
                result = _result_or_404(result_id)
                form = ResultForm(
                    plan=result.plan,
                    level=result.level,
                    editing=True,
                    initial=_result_initial(result),
                )
                conflict = CONFLICT_RESULT
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, f"{result.get_level_display()} {result.code} saved.")
                return redirect(_chain_url(result))
        else:
            status = 400
    else:
        form = ResultForm(
            plan=result.plan, level=result.level, editing=True, initial=_result_initial(result)
        )
    return render(
        request,
        "results/result_form.html",
        {
            "nav": "framework",
            "plan": result.plan,
            "form": form,
            "level": Level(result.level),
            "result": result,
            "conflict": conflict,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def result_delete(request: HttpRequest, result_id: int) -> HttpResponse:
    """A page that asks first, and says what stands in the way (results or activities under
    it: the service refuses to delete those with it)."""
    _require_manager(request)
    result = _result_or_404(result_id)
    if request.method == "POST":
        form = VersionForm(request.POST)
        if not form.is_valid():
            messages.error(request, LOST_VERSION)
            return redirect(_chain_url(result))
        try:
            services.delete_result(
                actor=request.user, result=result, version=form.cleaned_data["version"]
            )
        except ConflictError:
            messages.error(request, CONFLICT_RESULT)
            return redirect(_chain_url(result))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(_chain_url(result))
        messages.success(request, f"{result.get_level_display()} {result.code} deleted.")
        return redirect("results:plan", pk=result.plan_id)
    return render(
        request,
        "results/result_delete.html",
        {
            "nav": "framework",
            "plan": result.plan,
            "result": result,
            "problem": services.deletion_problem(result),
            "indicator_count": result.indicators.count(),
        },
    )


# --- contributions --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def contributions(request: HttpRequest, result_id: int) -> HttpResponse:
    """An output's contributing activities, each with its own edit and remove forms, and a form
    to add one."""
    _require_manager(request)
    output = _output_or_404(result_id)
    status = 200
    if request.method == "POST":
        form = ContributionForm(request.POST, plan=output.plan)
        if form.is_valid():
            try:
                contribution = services.add_contribution(
                    actor=request.user,
                    output=output,
                    activity=form.cleaned_data["code"],
                    share=form.cleaned_data["share"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(
                    request,
                    f"Activity {contribution.activity.code} now contributes to output "
                    f"{output.code}.",
                )
                return redirect("results:contributions", result_id=output.pk)
        else:
            status = 400
    else:
        form = ContributionForm(plan=output.plan)
    rows = [
        (
            contribution,
            ContributionEditForm(
                plan=output.plan,
                prefix=f"c{contribution.pk}",
                initial={
                    "version": contribution.version,
                    "share": contribution.share,
                    "description": contribution.description,
                },
            ),
        )
        for contribution in selectors.output_contributions(output_id=output.pk)
    ]
    return render(
        request,
        "results/contributions.html",
        {"nav": "framework", "plan": output.plan, "output": output, "form": form, "rows": rows},
        status=status,
    )


@require_POST
def contribution_edit(request: HttpRequest, contribution_id: int) -> HttpResponse:
    _require_manager(request)
    contribution = _contribution_or_404(contribution_id)
    output = contribution.output
    form = ContributionEditForm(request.POST, plan=output.plan, prefix=f"c{contribution.pk}")
    back = redirect("results:contributions", result_id=output.pk)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{contribution.activity.code}: {error}")
        return back
    try:
        services.update_contribution(
            actor=request.user,
            contribution=contribution,
            version=form.cleaned_data["version"],
            changes={
                "share": form.cleaned_data["share"],
                "description": form.cleaned_data["description"],
            },
        )
    except ConflictError:
        messages.error(request, CONFLICT_CONTRIBUTION)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"{contribution.activity.code}: {message}")
    else:
        messages.success(request, f"Contribution of {contribution.activity.code} saved.")
    return back


@require_POST
def contribution_delete(request: HttpRequest, contribution_id: int) -> HttpResponse:
    _require_manager(request)
    contribution = _contribution_or_404(contribution_id)
    back = redirect("results:contributions", result_id=contribution.output_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, LOST_VERSION)
        return back
    try:
        services.remove_contribution(
            actor=request.user, contribution=contribution, version=form.cleaned_data["version"]
        )
    except ConflictError:
        messages.error(request, CONFLICT_CONTRIBUTION)
    else:
        messages.success(
            request,
            f"Activity {contribution.activity.code} no longer contributes to output "
            f"{contribution.output.code}.",
        )
    return back
