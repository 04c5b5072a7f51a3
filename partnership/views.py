from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LogoutView
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from knox.models import AuthToken

from partnership import selectors
from partnership.access import is_manager
from partnership.models import Agreement, JointActionPlan
from partnership.services import rotate_api_token, unlock_account


@require_GET
def profile(request):
    token = AuthToken.objects.filter(user=request.user).order_by("-created").first()
    return render(request, "partnership/profile.html", {"token": token})


@never_cache
@require_POST
def rotate_token(request):
    # The profile page is rendered here rather than after a redirect: the new token exists only
    # in this response (the database keeps its digest), so it must not wait in the session or
    # in a cache for the next request.
    token, new_token = rotate_api_token(user=request.user)
    messages.success(
        request,
        "A new API token was created; the old one no longer works. Copy it now: it is shown "
        "only this once.",
    )
    return render(request, "partnership/profile.html", {"token": token, "new_token": new_token})


class SignOutView(LogoutView):
    """Django's sign-out, which then says so on the sign-in page it leads to."""

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            # Added after the session was flushed: the message lives in the new, anonymous one.
            messages.success(request, "You are signed out.")
        return response


# --- Sign-in lockouts: managers see them and lift them --------------------------------------------


def _require_manager(request) -> None:
    if not is_manager(request.user):
        raise PermissionDenied("Only managers see and lift sign-in lockouts.")


@require_GET
def lockout_list(request):
    """The accounts locked out now and the latest unlocks (three queries with the header's
    profile)."""
    _require_manager(request)
    context = {
        "lockouts": selectors.current_lockouts(),
        "unlocks": list(selectors.recent_unlocks()),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "partnership/lockout_list.html", context)


@require_POST
def unlock(request):
    _require_manager(request)
    username = request.POST.get("username", "")
    try:
        record = unlock_account(username=username, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("lockout-list")
    if record is None:
        messages.info(request, f"{username} was not locked out (any more): nothing to unlock.")
    else:
        messages.success(request, f"{username} is unlocked and can sign in again.")
    return redirect("lockout-list")


# --- The framework documents: agreements and plans ------------------------------------------------


def _agreements_by_id() -> dict[int, Agreement]:
    """Every agreement with its parties (two queries): few enough to follow `builds_on` chains
    in memory rather than one query per link."""
    return {agreement.pk: agreement for agreement in selectors.agreement_list()}


def _chain(agreement: Agreement, by_id: dict[int, Agreement]) -> list[Agreement]:
    """What the agreement builds on, then what that builds on, … (oldest last)."""
    chain, seen = [], {agreement.pk}
    current = by_id.get(agreement.builds_on_id) if agreement.builds_on_id else None
    while current is not None and current.pk not in seen:
        chain.append(current)
        seen.add(current.pk)
        current = by_id.get(current.builds_on_id) if current.builds_on_id else None
    return chain


@require_GET
def agreement_list(request):
    """Agreements newest first, each with what it builds on and the plans under it (five
    queries)."""
    by_id = _agreements_by_id()
    plans_by_agreement: dict[int, list[JointActionPlan]] = {}
    for plan in selectors.plan_list():
        plans_by_agreement.setdefault(plan.agreement_id, []).append(plan)
    rows = [
        {"agreement": agreement, "plans": plans_by_agreement.get(agreement.pk, [])}
        for agreement in sorted(by_id.values(), key=lambda a: (a.signed_on, a.pk), reverse=True)
    ]
    return render(request, "partnership/agreement_list.html", {"rows": rows, "nav": "framework"})


@require_GET
def agreement_detail(request, pk: int):
    """One agreement, the agreements it builds on (the whole chain), those building on it, and
    the plans under it (five queries)."""
    by_id = _agreements_by_id()
    agreement = by_id.get(pk)
    if agreement is None:
        raise Http404("No such agreement.")
    context = {
        "agreement": agreement,
        "chain": _chain(agreement, by_id),
        "built_upon_by": sorted(
            (a for a in by_id.values() if a.builds_on_id == agreement.pk),
            key=lambda a: (a.signed_on, a.pk),
        ),
        "plans": [plan for plan in selectors.plan_list() if plan.agreement_id == agreement.pk],
        "nav": "framework",
    }
    return render(request, "partnership/agreement_detail.html", context)


@require_GET
def plan_list(request):
    """Every Joint Action Plan with its partnership, agreement and matrix editions (three
    queries)."""
    context = {"plans": list(selectors.plan_list()), "nav": "framework"}
    return render(request, "partnership/plan_list.html", context)


@require_GET
def plan_detail(request, pk: int):
    """A plan: objectives, period, partners, the agreement it rests on and that agreement's own
    basis, and its matrix editions (five queries)."""
    plan = selectors.plan_list().filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan.")
    by_id = _agreements_by_id()
    agreement = by_id.get(plan.agreement_id, plan.agreement)
    context = {
        "plan": plan,
        "agreement": agreement,
        "chain": _chain(agreement, by_id),
        "nav": "framework",
    }
    return render(request, "partnership/plan_detail.html", context)
