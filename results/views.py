"""The results page: a plan's chain, objective → outcome → output → activities, with the status
rolled up on a date, its reasons, indicators and SDG targets at every level."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from partnership.models import JointActionPlan
from results import exports, selectors
from results.forms import ChainFilterForm


@require_GET
def plan_results(request: HttpRequest, pk: int) -> HttpResponse:
    """A fixed number of queries whatever the plan's size: session and user, the plan, the chain
    (selectors.chain: twelve, ten without computed indicators), the profile (page header; the
    template reads the role from it to show managers the edit links, at no extra query)."""
    plan = JointActionPlan.objects.filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan.")
    form = ChainFilterForm(request.GET)
    valid = form.is_valid()
    params = form.cleaned_data if valid else {}
    chain = selectors.chain(plan=plan, as_of=params.get("as_of"), viewer=request.user)
    roots = selectors.filtered(
        chain.roots, level=params.get("level", ""), status=params.get("status", "")
    )
    context = {
        "plan": plan,
        "chain": chain,
        "roots": roots,
        "form": form,
        "filtered": bool(params.get("level") or params.get("status")),
        "nav": "framework",
    }
    return render(request, "results/plan_results.html", context, status=200 if valid else 400)


@require_GET
def plan_results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The chain as the page shows it (same parameters, same queries), as a CSV file."""
    plan = JointActionPlan.objects.filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan.")
    form = ChainFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponse(
            "Bad parameters: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()),
            status=400,
            content_type="text/plain",
        )
    chain = selectors.chain(plan=plan, as_of=form.cleaned_data.get("as_of"), viewer=request.user)
    chain.roots = selectors.filtered(
        chain.roots,
        level=form.cleaned_data.get("level", ""),
        status=form.cleaned_data.get("status", ""),
    )
    on = chain.as_of.isoformat() if chain.as_of else "not-rolled-up"
    response = HttpResponse(exports.to_csv(chain), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="results-plan-{plan.pk}-{on}.csv"'
    return response
