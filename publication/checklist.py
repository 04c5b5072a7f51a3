"""The pre-publish checklist: every problem of a plan's would-be snapshot at once. Pure, over the
same facts as the public view (`publication.facts`).

Checks:
- `no_public_summary`: an activity is public but has no public summary;
- `no_country`: a public activity names no recipient country or region (geography's records);
- `no_public_status_reason`: a public priority of the year has no public status reason (a
  priority that is not public is not on the public board at all);
- `public_field_empty`: a field group is public (and its activity too) but empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from publication import rules
from publication.facts import ActivityFacts, PlanFacts
from publication.public_view import public_activities


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    activity_id: int
    activity_code: str
    activity_title: str
    message: str
    field: str = ""  # the field to fix, as the publication settings form names it

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "activity_id": self.activity_id,
            "activity_code": self.activity_code,
            "field": self.field,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Checklist:
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _empty(activity: ActivityFacts, group: str) -> bool:
    if group == "description":
        return not activity.description.strip()
    if group == "milestones":
        return not activity.milestones
    if group == "indicators":
        return not activity.indicators
    if group == "progress":
        return not any(u.narrative.strip() for u in activity.updates)
    if group == "risks":
        return not any(u.risks.strip() for u in activity.updates)
    if group == "funding":
        return not activity.funding
    if group == "places":
        return not activity.places
    return False


def country_check(facts: PlanFacts, activity: ActivityFacts) -> Problem | None:
    """An activity that names no place: the public cannot tell where it happens."""
    if activity.places:
        return None
    return Problem(
        "no_country",
        activity.id,
        activity.code,
        activity.title,
        "No country is recorded for this activity.",
        field="places",
    )


def checklist(facts: PlanFacts) -> Checklist:
    problems: list[Problem] = []
    for activity in public_activities(facts):
        summary = activity.disclosure.public_summary.strip()
        if not summary:
            problems.append(
                Problem(
                    "no_public_summary",
                    activity.id,
                    activity.code,
                    activity.title,
                    "Public, but without a public summary.",
                    field="public_summary",
                )
            )
        if (problem := country_check(facts, activity)) is not None:
            problems.append(problem)
        if activity.priority_rank is not None and not activity.disclosure.public_status_reason:
            problems.append(
                Problem(
                    "no_public_status_reason",
                    activity.id,
                    activity.code,
                    activity.title,
                    f"A {facts.as_of.year} priority without a public status reason.",
                    field="public_status_reason",
                )
            )
        for group, label in rules.FIELD_GROUPS.items():
            tier = activity.disclosure.field_tiers.get(group, rules.DEFAULT_TIER)
            if rules.is_public(activity.disclosure.tier, tier) and _empty(activity, group):
                problems.append(
                    Problem(
                        "public_field_empty",
                        activity.id,
                        activity.code,
                        activity.title,
                        f"{label} marked public, but there is nothing to show.",
                        field=f"{group}_tier",
                    )
                )
    return Checklist(problems=tuple(problems))
