"""One Joint Action Plan with everything under it, as a plain JSON document (`export_plan`, a
selector); `activities.plan_import` writes such a document back.

The document reads a plan, its agreement chain, its partnership and every activity of its matrices
with their participations, priorities, milestones, indicators and measurements, progress updates
and funding. `FORMAT` and `FORMAT_VERSION` name it; the import refuses any other.

Records are named by their natural keys, never by database ids, so a document imports into an
empty database as well as into a live one: organizations by acronym, thematic areas, topics and SDG
targets by code, people by username, the partnership by name, agreements by (title, date signed).

Not carried: the monitoring assessments and status overrides (they belong to `monitoring`, which
this app does not import; run `run_monitoring` for the plan after an import to rebuild the status
history — the activities' latest status travels with them), the change history (the import is
recorded as its own creation), and the bookkeeping columns (ids, versions, timestamps).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models import Prefetch

from activities.models import (
    Activity,
    ActivityParticipation,
    FundingCommitment,
    Indicator,
    Measurement,
    Milestone,
    PriorityDesignation,
    ProgressUpdate,
    Topic,
)
from partnership.models import (
    ActivityMatrix,
    Agreement,
    JointActionPlan,
    Organization,
    SDGTarget,
    ThematicArea,
)

FORMAT = "partnership-tracker/plan"
FORMAT_VERSION = 1


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _username(user: AbstractBaseUser | None) -> str | None:
    return user.get_username() if user is not None else None


def _activity_queryset() -> models.QuerySet[Activity]:
    return (
        Activity.objects.select_related("thematic_area")
        .prefetch_related(
            "topics",
            "sdg_targets",
            "liaison_officers",
            # By organization, not by id: an import writes the lead last (one lead at a time).
            Prefetch(
                "participations",
                ActivityParticipation.objects.select_related("organization").order_by(
                    "organization__acronym"
                ),
            ),
            Prefetch("priorities", PriorityDesignation.objects.order_by("year", "id")),
            Prefetch("milestones", Milestone.objects.order_by("id")),
            Prefetch("indicators", Indicator.objects.order_by("id")),
            Prefetch(
                "indicators__measurements",
                Measurement.objects.select_related("recorded_by").order_by("measured_on"),
            ),
            Prefetch(
                "updates",
                ProgressUpdate.objects.select_related("author", "reviewer").order_by("id"),
            ),
            Prefetch("funding", FundingCommitment.objects.select_related("donor").order_by("id")),
        )
        .order_by("code")
    )


def _activity_data(activity: Activity) -> dict[str, Any]:
    return {
        "code": activity.code,
        "title": activity.title,
        "description": activity.description,
        "thematic_area": activity.thematic_area.code,
        "cooperation_type": activity.cooperation_type,
        "horizon": activity.horizon,
        "lifecycle": activity.lifecycle,
        "start_date": _date(activity.start_date),
        "end_date": _date(activity.end_date),
        "budget_required": str(activity.budget_required),
        "currency": activity.currency,
        "is_illustrative": activity.is_illustrative,
        "status": activity.status,
        "status_as_of": _date(activity.status_as_of),
        "status_reasons": activity.status_reasons,
        "topics": sorted(t.code for t in activity.topics.all()),
        "sdg_targets": sorted(t.code for t in activity.sdg_targets.all()),
        "liaison_officers": sorted(u.get_username() for u in activity.liaison_officers.all()),
        "participations": [
            {
                "organization": p.organization.acronym,
                "role": p.role,
                "contribution": p.contribution,
            }
            for p in activity.participations.all()
        ],
        "priorities": [
            {"year": p.year, "rank": p.rank, "rationale": p.rationale}
            for p in activity.priorities.all()
        ],
        "milestones": [
            {
                "title": m.title,
                "due_date": _date(m.due_date),
                "completed_on": _date(m.completed_on),
                "weight": m.weight,
                "outside_period_confirmed": m.outside_period_confirmed,
            }
            for m in activity.milestones.all()
        ],
        "indicators": [
            {
                "name": i.name,
                "unit": i.unit,
                "kind": i.kind,
                "baseline": str(i.baseline),
                "baseline_date": _date(i.baseline_date),
                "target": str(i.target),
                "target_date": _date(i.target_date),
                "direction": i.direction,
                "measurements": [
                    {
                        "measured_on": _date(m.measured_on),
                        "value": str(m.value),
                        "note": m.note,
                        "recorded_by": _username(m.recorded_by),
                    }
                    for m in i.measurements.all()
                ],
            }
            for i in activity.indicators.all()
        ],
        "progress_updates": [
            {
                "period_end": _date(u.period_end),
                "percent_complete": u.percent_complete,
                "narrative": u.narrative,
                "risks": u.risks,
                "author": _username(u.author),
                "state": u.state,
                "submitted_at": u.submitted_at.isoformat() if u.submitted_at else None,
                "reviewer": _username(u.reviewer),
                "reviewed_at": u.reviewed_at.isoformat() if u.reviewed_at else None,
                "review_note": u.review_note,
            }
            for u in activity.updates.all()
        ],
        "funding": [
            {
                "donor": f.donor.acronym,
                "amount": str(f.amount),
                "currency": f.currency,
                "status": f.status,
                "date": _date(f.date),
            }
            for f in activity.funding.all()
        ],
    }


def _agreement_chain(agreement: Agreement) -> list[Agreement]:
    """The plan's agreement and those it builds on, oldest first (one query per link: a chain
    is a handful of agreements long)."""
    chain = []
    current: Agreement | None = agreement
    while current is not None and current not in chain:
        chain.append(current)
        current = (
            Agreement.objects.prefetch_related("parties").get(pk=current.builds_on_id)
            if current.builds_on_id
            else None
        )
    return list(reversed(chain))


def _agreement_key(agreement: Agreement) -> dict[str, str]:
    return {"title": agreement.title, "signed_on": agreement.signed_on.isoformat()}


def export_plan(*, plan_id: int) -> dict[str, Any]:
    """The plan and everything under it as plain JSON-ready data (see the module docstring).

    Queries: the plan with partnership and agreement (1), the partnership's organizations (1),
    the agreement chain (2 per link, with parties), the matrices (1), their activities with
    everything under them (11), the people named with their profiles (1), the organizations
    named (1), the thematic areas, topics and SDG targets (3). Raises
    JointActionPlan.DoesNotExist."""
    plan = JointActionPlan.objects.select_related("partnership", "agreement").get(pk=plan_id)
    partnership_orgs = list(plan.partnership.organizations.order_by("acronym"))
    agreement = Agreement.objects.prefetch_related("parties").get(pk=plan.agreement_id)
    chain = _agreement_chain(agreement)
    chain_by_id = {a.pk: a for a in chain}
    matrices = list(
        ActivityMatrix.objects.filter(plan=plan)
        .prefetch_related(Prefetch("activities", _activity_queryset()))
        .order_by("edition")
    )
    matrix_data = [
        {
            "edition": m.edition,
            "adopted_on": _date(m.adopted_on),
            "notes": m.notes,
            "activities": [_activity_data(a) for a in m.activities.all()],
        }
        for m in matrices
    ]
    activities = [a for m in matrix_data for a in m["activities"]]

    usernames = set()
    acronyms = {o.acronym for o in partnership_orgs}
    for a in chain:
        acronyms.update(p.acronym for p in a.parties.all())
    for a in activities:
        usernames.update(a["liaison_officers"])
        acronyms.update(p["organization"] for p in a["participations"])
        acronyms.update(f["donor"] for f in a["funding"])
        for i in a["indicators"]:
            usernames.update(m["recorded_by"] for m in i["measurements"])
        for u in a["progress_updates"]:
            usernames.update((u["author"], u["reviewer"]))
    usernames.discard(None)
    users = list(
        get_user_model()
        .objects.filter(username__in=usernames)
        .select_related("profile__organization")
        .order_by("username")
    )
    for user in users:
        profile = getattr(user, "profile", None)
        if profile is not None and profile.organization is not None:
            acronyms.add(profile.organization.acronym)

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "organizations": [
            {"acronym": o.acronym, "name": o.name, "kind": o.kind, "website": o.website}
            for o in Organization.objects.filter(acronym__in=acronyms).order_by("acronym")
        ],
        "people": [_person(user) for user in users],
        "partnership": {
            "name": plan.partnership.name,
            "description": plan.partnership.description,
            "organizations": [o.acronym for o in partnership_orgs],
        },
        "agreements": [
            {
                **_agreement_key(a),
                "kind": a.kind,
                "parties": sorted(p.acronym for p in a.parties.all()),
                "place": a.place,
                "entry_into_force": _date(a.entry_into_force),
                "end_on": _date(a.end_on),
                "builds_on": _agreement_key(chain_by_id[a.builds_on_id])
                if a.builds_on_id
                else None,
                "summary": a.summary,
                "document_url": a.document_url,
            }
            for a in chain
        ],
        "plan": {
            "title": plan.title,
            "period_start": _date(plan.period_start),
            "period_end": _date(plan.period_end),
            "state": plan.state,
            "objectives": plan.objectives,
            "agreement": _agreement_key(agreement),
        },
        "matrices": matrix_data,
        # Reference lists that an empty database may lack (the migrations seed areas and targets).
        "thematic_areas": _reference(
            ThematicArea, "code", {a["thematic_area"] for a in activities}, "order"
        ),
        "topics": _reference(Topic, "code", {c for a in activities for c in a["topics"]}),
        "sdg_targets": _reference(
            SDGTarget, "code", {c for a in activities for c in a["sdg_targets"]}
        ),
    }


def _person(user: Any) -> dict[str, Any]:
    profile = getattr(user, "profile", None)
    return {
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": profile.role if profile else None,
        "organization": profile.organization.acronym if profile and profile.organization else None,
    }


def _reference(
    model: type[models.Model], key: str, codes: Iterable[str], order: str | None = None
) -> list[dict[str, Any]]:
    """The named reference records, all their fields but the id: 1 query."""
    fields = [f.name for f in model._meta.concrete_fields if f.name != "id"]
    return list(
        model.objects.filter(**{f"{key}__in": sorted(codes)}).order_by(order or key).values(*fields)
    )
