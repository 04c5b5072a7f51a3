"""Reads of the framework records and of people's access, each with a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import datetime

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.db.models import Max, Prefetch, QuerySet, Sum
from django.utils import timezone

from partnership.models import (
    AccountUnlock,
    ActivityMatrix,
    Agreement,
    JointActionPlan,
    Organization,
    SDGTarget,
    ThematicArea,
)


def organization_list() -> QuerySet[Organization]:
    return Organization.objects.order_by("acronym")


def thematic_area_list() -> QuerySet[ThematicArea]:
    return ThematicArea.objects.order_by("order")


def sdg_target_list(*, goal: int | None = None) -> QuerySet[SDGTarget]:
    targets = SDGTarget.objects.order_by("goal", "id")
    return targets if goal is None else targets.filter(goal=goal)


def agreement_list() -> QuerySet[Agreement]:
    """Agreements with what each builds on (joined) and their parties (one more query)."""
    return (
        Agreement.objects.select_related("builds_on")
        .prefetch_related(Prefetch("parties", queryset=Organization.objects.order_by("acronym")))
        .order_by("signed_on", "id")
    )


def plan_list() -> QuerySet[JointActionPlan]:
    """Plans with partnership and agreement joined; the partnership's organizations and the
    matrices in two more queries."""
    return (
        JointActionPlan.objects.select_related("partnership", "agreement")
        .prefetch_related(
            Prefetch(
                "partnership__organizations", queryset=Organization.objects.order_by("acronym")
            ),
            Prefetch("matrices", queryset=ActivityMatrix.objects.order_by("-edition")),
        )
        .order_by("-period_start", "title", "id")
    )


# --- sign-in lockouts (django-axes) ---------------------------------------------------------------


@dataclass
class LockedAddress:
    ip_address: str | None
    failures: int
    locked_until: datetime


@dataclass
class Lockout:
    username: str
    addresses: list[LockedAddress] = field(default_factory=list)

    @property
    def locked_until(self) -> datetime:
        return max(address.locked_until for address in self.addresses)


def current_lockouts() -> list[Lockout]:
    """The accounts locked out now, by username, with the addresses they are locked at (one query).

    The rule is axes' with AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]: a (username,
    address) pair is locked while its failures within the cool-off reach AXES_FAILURE_LIMIT; the
    cool-off runs from the last recorded failure (attempts refused during a lockout are not
    recorded, see AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT).
    """
    cool_off = get_cool_off()
    limit = get_failure_limit(None, None)
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off)
        .exclude(username__isnull=True)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=limit)
        .order_by("username", "ip_address")
    )
    lockouts: dict[str, Lockout] = {}
    for row in rows:
        lockout = lockouts.setdefault(row["username"], Lockout(username=row["username"]))
        lockout.addresses.append(
            LockedAddress(
                ip_address=row["ip_address"],
                failures=row["failures"],
                locked_until=row["last"] + cool_off,
            )
        )
    return list(lockouts.values())


def recent_unlocks(*, limit: int = 20) -> QuerySet[AccountUnlock]:
    """The latest unlocks, newest first, with who made them (one query)."""
    return AccountUnlock.objects.select_related("unlocked_by").order_by("-unlocked_at", "-pk")[
        :limit
    ]
