"""The public view: the one place that decides what the public may see of a plan.

`public_view(facts)` is a pure function of the plan's facts as of a date (`publication.facts`,
plain data holding every field, public or not) and returns the JSON document a snapshot freezes.
The public pages, the public API and the export render that document and nothing else, so a
field can only reach the public by passing through here.

What it lets through:
- the framework: partnership, partners, agreements, plan, matrix edition, thematic areas, the
  targets of SDG 16 (public documents);
- the activities whose own tier is `public`, each with its identity (code, title, area, type,
  horizon, lifecycle, dates, organizations and roles, SDG targets), its status on the date, the
  public summary and public status reason written for the public, and each field group whose
  tier is `public` too (a field is never more open than its activity);
- counts, the priority board and the SDG contribution made of those public activities only, so
  no figure reveals an activity the public may not see: the board is numbered 1, 2, 3 … among
  the public priorities (the internal ranks would show the gaps), and the activities are
  numbered likewise.

What it never lets through: the monitoring engine's reasons (they name milestones and figures),
participations' contributions, funding requirements and lines unless `funding` is public,
anything of a non-public activity, ids of live records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from activities.models import Activity, FundingCommitment, MonitoringStatus
from publication import rules
from publication.facts import ActivityFacts, PlanFacts

# Bumped when the document's shape changes; pages and ETags read it.
SCHEMA_VERSION = 1
NOT_ASSESSED = "not_assessed"

STATUS_LABELS: dict[str, str] = {
    **{status.value: str(status.label) for status in MonitoringStatus},
    NOT_ASSESSED: "Not assessed",
}
_COOPERATION = dict(Activity.CooperationType.choices)
_HORIZON = dict(Activity.Horizon.choices)
_LIFECYCLE = dict(Activity.Lifecycle.choices)
_FUNDING_STATUS = dict(FundingCommitment.Status.choices)


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _amount(value: Decimal | None) -> str | None:
    return f"{value:.2f}" if value is not None else None


def _status(code: str) -> str:
    return code if code in STATUS_LABELS and code else NOT_ASSESSED


def _empty_counts() -> dict[str, int]:
    return dict.fromkeys(STATUS_LABELS, 0)


def _field_public(activity: ActivityFacts, group: str) -> bool:
    disclosure = activity.disclosure
    return rules.is_public(disclosure.tier, disclosure.field_tiers.get(group, rules.DEFAULT_TIER))


def public_activities(facts: PlanFacts) -> list[ActivityFacts]:
    """The activities the public may see, in code order."""
    return sorted(
        (a for a in facts.activities if rules.is_public(a.disclosure.tier)),
        key=lambda a: (a.code, a.id),
    )


def _groups(activity: ActivityFacts, as_of: dt.date) -> dict[str, Any]:
    """The field groups of one public activity whose own tier is public as well."""
    out: dict[str, Any] = {}
    if _field_public(activity, "description"):
        out["description"] = activity.description
    if _field_public(activity, "milestones"):
        out["milestones"] = [
            {
                "title": m.title,
                "due_date": _day(m.due_date),
                # Completed as the date saw it: a completion recorded later is not yet known.
                "completed_on": _day(m.completed_on)
                if m.completed_on is not None and m.completed_on <= as_of
                else None,
            }
            for m in sorted(activity.milestones, key=lambda m: (m.due_date, m.title))
        ]
    if _field_public(activity, "indicators"):
        out["indicators"] = [
            {
                "name": i.name,
                "unit": i.unit,
                "baseline": _amount(i.baseline),
                "target": _amount(i.target),
                "target_date": _day(i.target_date),
                "latest_value": _amount(i.latest_value),
                "latest_on": _day(i.latest_on),
            }
            for i in activity.indicators
        ]
    if _field_public(activity, "progress"):
        out["progress"] = [
            {
                "period_end": _day(u.period_end),
                "percent_complete": u.percent_complete,
                "narrative": u.narrative,
            }
            for u in activity.updates
        ]
    if _field_public(activity, "risks"):
        out["risks"] = [
            {"period_end": _day(u.period_end), "risks": u.risks}
            for u in activity.updates
            if u.risks.strip()
        ]
    if _field_public(activity, "funding"):
        out["funding"] = {
            "required": _amount(activity.budget_required),
            "currency": activity.currency,
            "lines": [
                {
                    "donor": f.donor,
                    "donor_name": f.donor_name,
                    "amount": _amount(f.amount),
                    "currency": f.currency,
                    "status": f.status,
                    "status_label": str(_FUNDING_STATUS.get(f.status, f.status)),
                    "date": _day(f.date),
                }
                for f in activity.funding
                if f.date <= as_of
            ],
        }
    if _field_public(activity, "places"):
        out["places"] = list(activity.places)
        out["countries"] = [{"iso": code, "name": name} for code, name in activity.countries]
    return out


def _activity(n: int, activity: ActivityFacts, areas: dict[str, str], as_of: dt.date) -> dict:
    status = _status(activity.status)
    return {
        "n": n,
        "code": activity.code,
        "title": activity.title,
        "thematic_area": activity.thematic_area,
        "thematic_area_name": areas.get(activity.thematic_area, ""),
        "cooperation_type": activity.cooperation_type,
        "cooperation_type_label": str(_COOPERATION.get(activity.cooperation_type, "")),
        "horizon": activity.horizon,
        "horizon_label": str(_HORIZON.get(activity.horizon, "")),
        "lifecycle": activity.lifecycle,
        "lifecycle_label": str(_LIFECYCLE.get(activity.lifecycle, "")),
        "start_date": _day(activity.start_date),
        "end_date": _day(activity.end_date),
        "status": status,
        "status_label": STATUS_LABELS[status],
        "summary": activity.disclosure.public_summary,
        "status_reason": activity.disclosure.public_status_reason,
        "is_priority": activity.priority_rank is not None,
        "organizations": [
            {"acronym": o.acronym, "name": o.name, "role": o.role} for o in activity.organizations
        ],
        "sdg_targets": sorted(activity.sdg_targets, key=target_key),
        "fields": sorted(
            (g for g in rules.FIELD_GROUPS if _field_public(activity, g)),
            key=list(rules.FIELD_GROUPS).index,
        ),
        **_groups(activity, as_of),
    }


def target_key(code: str) -> tuple:
    """SDG target codes sort as numbers then letters: 16.2 before 16.10 before 16.a."""
    _, _, part = code.partition(".")
    return (0, int(part), "") if part.isascii() and part.isdigit() else (1, 0, part)


def _count(statuses: Iterable[str]) -> dict[str, int]:
    counts = _empty_counts()
    for status in statuses:
        counts[status] += 1
    return counts


def public_view(facts: PlanFacts) -> dict[str, Any]:
    """The JSON document of what the public may see of the plan as of `facts.as_of`."""
    as_of = facts.as_of
    areas = {a.code: a.name for a in facts.thematic_areas}
    shown = public_activities(facts)
    activities = [_activity(n, a, areas, as_of) for n, a in enumerate(shown, start=1)]
    by_area: dict[str, list[dict]] = {code: [] for code in areas}
    for item in activities:
        by_area.setdefault(item["thematic_area"], []).append(item)

    ranked = sorted(
        (a for a in zip(shown, activities, strict=True) if a[0].priority_rank is not None),
        key=lambda pair: (pair[0].priority_rank, pair[0].code),
    )
    priorities = [
        {
            "position": position,
            "n": item["n"],
            "code": item["code"],
            "title": item["title"],
            "thematic_area_name": item["thematic_area_name"],
            "status": item["status"],
            "status_label": item["status_label"],
            "status_reason": item["status_reason"],
            "organizations": item["organizations"],
        }
        for position, (_, item) in enumerate(ranked, start=1)
    ]

    sdg = []
    for target in sorted(facts.sdg_targets, key=lambda t: target_key(t.code)):
        contributing = [a for a in activities if target.code in a["sdg_targets"]]
        sdg.append(
            {
                "code": target.code,
                "title": target.title,
                "counts": _count(a["status"] for a in contributing),
                "activities": [
                    {"n": a["n"], "code": a["code"], "title": a["title"], "status": a["status"]}
                    for a in contributing
                ],
            }
        )

    return {
        "schema_version": SCHEMA_VERSION,
        "as_of": _day(as_of),
        "year": as_of.year,
        "status_labels": STATUS_LABELS,
        "partnership": {
            "name": facts.partnership,
            "description": facts.partnership_description,
            "partners": [{"acronym": o.acronym, "name": o.name} for o in facts.partners],
        },
        "plan": {
            "title": facts.title,
            "period_start": _day(facts.period_start),
            "period_end": _day(facts.period_end),
            "objectives": facts.objectives,
            "matrix_edition": facts.matrix_edition,
            "matrix_adopted_on": _day(facts.matrix_adopted_on),
        },
        "agreements": [
            {
                "title": a.title,
                "kind": a.kind,
                "signed_on": _day(a.signed_on),
                "place": a.place,
                "entry_into_force": _day(a.entry_into_force),
                "summary": a.summary,
                "document_url": a.document_url,
                "parties": list(a.parties),
            }
            for a in facts.agreements
        ],
        "thematic_areas": [
            {
                "code": area.code,
                "name": area.name,
                "description": area.description,
                "counts": _count(a["status"] for a in by_area.get(area.code, [])),
                "total": len(by_area.get(area.code, [])),
            }
            for area in facts.thematic_areas
        ],
        "status_counts": _count(a["status"] for a in activities),
        "activity_count": len(activities),
        "priorities": priorities,
        "sdg16": sdg,
        "activities": activities,
    }
