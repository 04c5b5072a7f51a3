"""A plan's Activity Matrix as the workbook's rows: what a download writes and what an upload is
compared with. Values are the canonical ones of `exchange.columns`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from activities.models import (
    Activity,
    ActivityParticipation,
    FundingCommitment,
    Indicator,
    Milestone,
)
from activities.selectors import funding_fingerprint
from activities.sensitivity import FULL_SIGHT
from activities.sensitivity_selectors import sight_of, visible_activities, with_sight
from exchange.columns import CENTS
from partnership.models import ActivityMatrix, JointActionPlan, Organization, ThematicArea

Values = dict[str, Any]


@dataclass
class PlanRows:
    """The plan's records by sheet and id: `rows[sheet][id]` is the row as the download writes
    it, `records[sheet][id]` the model instance behind it."""

    plan: JointActionPlan
    matrices: dict[int, ActivityMatrix]  # by edition
    rows: dict[str, dict[int, Values]] = field(default_factory=dict)
    records: dict[str, dict[int, Any]] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)

    def add(self, sheet: str, record: Any, values: Values) -> None:
        self.rows.setdefault(sheet, {})[record.pk] = values
        self.records.setdefault(sheet, {})[record.pk] = record


def _money(value: Any) -> Any:
    return value.quantize(CENTS) if value is not None else None


def plan_rows(*, plan_id: int, viewer: Any = None) -> PlanRows:
    """Every record of the plan's matrices in workbook rows. Queries: the plan (1), its matrices
    (1), the activities with their thematic areas (1), topics (1), SDG targets (1),
    participations with organizations (1), milestones (1), indicators (1), funding with donors
    (1), the thematic areas and organizations for the drop-downs (2): 11, whatever the size.

    With a `viewer` (a download), only what they may see (activities.sensitivity): the
    activities they may list, and of each the description, milestones, indicators and funding
    (its lines and the requirement) only where they may read that field group; the tiers and
    their partnership are read in the activities' query. Without one (the upload's comparison,
    which only managers reach, and the operator's command), everything.
    Raises JointActionPlan.DoesNotExist."""
    plan = JointActionPlan.objects.get(pk=plan_id)
    matrices = {m.edition: m for m in ActivityMatrix.objects.filter(plan=plan).order_by("edition")}
    activities = (
        Activity.objects.filter(matrix__plan=plan)
        .select_related("thematic_area", "matrix")
        .prefetch_related(
            "topics",
            "sdg_targets",
            Prefetch(
                "participations",
                ActivityParticipation.objects.select_related("organization").order_by(
                    "organization__acronym"
                ),
            ),
            Prefetch("milestones", Milestone.objects.order_by("due_date", "id")),
            Prefetch("indicators", Indicator.objects.order_by("id")),
            Prefetch(
                "funding", FundingCommitment.objects.select_related("donor").order_by("date", "id")
            ),
        )
        .order_by("matrix__edition", "code")
    )
    if viewer is not None:
        activities = with_sight(activities.filter(visible_activities(viewer)), viewer)
    result = PlanRows(plan=plan, matrices=matrices)
    for a in activities:
        sight = FULL_SIGHT if viewer is None else sight_of(viewer, a)
        funding = sight.sees("funding")
        result.add(
            "activities",
            a,
            {
                "id": a.pk,
                "version": str(a.version),
                "matrix_edition": a.matrix.edition,
                "code": a.code,
                "title": a.title,
                "description": a.description if sight.sees("description") else "",
                "thematic_area": a.thematic_area.code,
                "cooperation_type": a.cooperation_type,
                "horizon": a.horizon,
                "lifecycle": a.lifecycle,
                "start_date": a.start_date,
                "end_date": a.end_date,
                "budget_required": _money(a.budget_required) if funding else None,
                "currency": a.currency,
                "topics": tuple(sorted(t.code for t in a.topics.all())),
                "sdg_targets": tuple(sorted(t.code for t in a.sdg_targets.all())),
            },
        )
        for p in a.participations.all():
            result.add(
                "participations",
                p,
                {
                    "id": p.pk,
                    "version": str(a.version),
                    "activity": a.code,
                    "organization": p.organization.acronym,
                    "role": p.role,
                    "contribution": p.contribution,
                },
            )
        for m in a.milestones.all() if sight.sees("milestones") else ():
            result.add(
                "milestones",
                m,
                {
                    "id": m.pk,
                    "version": str(m.version),
                    "activity": a.code,
                    "title": m.title,
                    "due_date": m.due_date,
                    "completed_on": m.completed_on,
                    "weight": m.weight,
                    "outside_period_confirmed": m.outside_period_confirmed,
                },
            )
        for i in a.indicators.all() if sight.sees("indicators") else ():
            result.add(
                "indicators",
                i,
                {
                    "id": i.pk,
                    "version": str(i.version),
                    "activity": a.code,
                    "name": i.name,
                    "unit": i.unit,
                    "kind": i.kind,
                    "direction": i.direction,
                    "baseline": _money(i.baseline),
                    "baseline_date": i.baseline_date,
                    "target": _money(i.target),
                    "target_date": i.target_date,
                },
            )
        for f in a.funding.all() if funding else ():
            result.add(
                "funding",
                f,
                {
                    "id": f.pk,
                    "version": funding_fingerprint(f),
                    "activity": a.code,
                    "donor": f.donor.acronym,
                    "amount": _money(f.amount),
                    "currency": f.currency,
                    "status": f.status,
                    "date": f.date,
                },
            )
    result.lists = {
        "thematic_areas": list(
            ThematicArea.objects.order_by("order", "code").values_list("code", flat=True)
        ),
        "organizations": list(
            Organization.objects.order_by("acronym").values_list("acronym", flat=True)
        ),
    }
    return result
