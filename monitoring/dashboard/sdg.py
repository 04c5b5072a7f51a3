"""The SDG targets tab (relevance): the plan's activities per target with their status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import CharField

from activities.models import Activity
from monitoring.selectors import STATUSES, in_effect
from partnership.models import SDGTarget


@dataclass
class SDGRow:
    code: str
    goal: int
    title: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    unassessed: int = 0
    activities: list[tuple[int, str, str, str]] = field(default_factory=list)  # id, code, title, st

    @property
    def total(self) -> int:
        return len(self.activities)


def sdg_rows(
    *, plan_id: int, as_of: dt.date, goal: int = 16, current: bool = False
) -> list[SDGRow]:
    """Every target of SDG `goal` (those without activities too: a finding in itself) and every
    other target the plan's activities contribute to, each with its activities and their status on
    `as_of`. Two queries: the targets of the goal, the (target, activity) links of the plan with
    the status in effect."""
    through = Activity.sdg_targets.through
    links = (
        through.objects.filter(activity__matrix__plan_id=plan_id)
        .annotate(status_on=in_effect("activity_id", as_of, "status", CharField(), current=current))
        .order_by("sdgtarget__goal", "sdgtarget_id", "activity__code")
        .values_list(
            "sdgtarget__code",
            "sdgtarget__goal",
            "sdgtarget__title",
            "activity_id",
            "activity__code",
            "activity__title",
            "status_on",
        )
    )
    rows: dict[str, SDGRow] = {
        t.code: SDGRow(t.code, t.goal, t.title)
        for t in SDGTarget.objects.filter(goal=goal).order_by("goal", "id")
    }
    for code, target_goal, title, activity_id, activity_code, activity_title, status in links:
        row = rows.setdefault(code, SDGRow(code, target_goal, title))
        row.activities.append((activity_id, activity_code, activity_title, status or ""))
        if status in row.counts:
            row.counts[status] += 1
        else:
            row.unassessed += 1
    return sorted(rows.values(), key=lambda r: (r.goal != goal, r.goal, _target_key(r.code)))


def _target_key(code: str) -> tuple:
    """SDG target codes sort as numbers then letters: 16.2 before 16.10 before 16.a."""
    _, _, part = code.partition(".")
    # isascii: "²" passes isdigit() and fails int().
    return (0, int(part), "") if part.isascii() and part.isdigit() else (1, 0, part)
