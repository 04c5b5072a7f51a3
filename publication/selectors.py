"""Reads of the publication app, each in a fixed number of queries (stated per function)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import CharField, Prefetch, QuerySet
from django.utils import timezone

from activities.models import (
    Activity,
    ActivityParticipation,
    FundingCommitment,
    Indicator,
    Measurement,
    Milestone,
    PriorityDesignation,
    ProgressUpdate,
)
from monitoring.dashboard.scope import assessed_dates
from monitoring.selectors import in_effect
from partnership.models import ActivityMatrix, Agreement, JointActionPlan, SDGTarget, ThematicArea
from publication import geography
from publication.facts import (
    ActivityFacts,
    AgreementFacts,
    AreaFacts,
    DisclosureFacts,
    FundingFacts,
    IndicatorFacts,
    MilestoneFacts,
    OrganizationFacts,
    PlanFacts,
    TargetFacts,
    UpdateFacts,
)
from publication.models import Disclosure, Snapshot


def _end_of_day(on: dt.date) -> dt.datetime:
    """The first moment after `on` in the site's time zone: an update approved by then is known
    on `on` (the monitoring engine dates approvals so)."""
    return timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))


def _disclosure(activity: Activity) -> DisclosureFacts:
    try:
        row = activity.disclosure
    except Disclosure.DoesNotExist:
        return DisclosureFacts()
    return DisclosureFacts(
        tier=row.tier,
        field_tiers=row.field_tiers,
        public_summary=row.public_summary.strip(),
        public_status_reason=row.public_status_reason.strip(),
        version=row.version,
    )


def _agreements(plan: JointActionPlan) -> tuple[AgreementFacts, ...]:
    """The plan's agreement and those it builds on, newest first (one query: the agreements are
    the few framework documents, read all at once and walked here)."""
    by_id = {a.pk: a for a in Agreement.objects.prefetch_related("parties")}
    chain, seen, current = [], set(), by_id.get(plan.agreement_id)
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        chain.append(
            AgreementFacts(
                title=current.title,
                kind=current.get_kind_display(),
                signed_on=current.signed_on,
                place=current.place,
                entry_into_force=current.entry_into_force,
                summary=current.summary,
                document_url=current.document_url,
                parties=tuple(sorted(p.acronym for p in current.parties.all())),
            )
        )
        current = by_id.get(current.builds_on_id)
    return tuple(chain)


def plan_facts(*, plan_id: int, as_of: dt.date) -> PlanFacts:
    """Everything the public view and the checklist read of the plan as of `as_of`.

    Queries (18, whatever the number of activities): the plan with its partnership; the
    partnership's organizations; the agreements and their parties (2); the latest matrix; the
    thematic areas; the SDG 16 targets; the activities with their area, publication settings and
    status on the date; then, prefetched, their participations with organizations, SDG targets,
    the year's priority designations, milestones, indicators, measurements up to the date,
    updates approved by the date, funding lines with donors; their countries and regions (2)."""
    plan = JointActionPlan.objects.select_related("partnership").get(pk=plan_id)
    partners = tuple(
        OrganizationFacts(o.acronym, o.name)
        for o in plan.partnership.organizations.order_by("acronym")
    )
    matrix = ActivityMatrix.objects.filter(plan_id=plan_id).order_by("-edition").first()
    areas = tuple(
        AreaFacts(a.code, a.name, a.description) for a in ThematicArea.objects.order_by("order")
    )
    targets = tuple(
        TargetFacts(t.code, t.goal, t.title)
        for t in SDGTarget.objects.filter(goal=16).order_by("id")
    )
    approved = ProgressUpdate.objects.filter(
        state=ProgressUpdate.State.APPROVED, reviewed_at__lt=_end_of_day(as_of)
    ).order_by("-period_end", "-reviewed_at", "-id")
    activities = (
        Activity.objects.filter(matrix__plan_id=plan_id)
        .select_related("thematic_area", "disclosure")
        .annotate(status_on=in_effect("pk", as_of, "status", CharField()))
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=ActivityParticipation.objects.select_related("organization").order_by(
                    "role", "organization__acronym"
                ),
            ),
            "sdg_targets",
            Prefetch(
                "priorities",
                queryset=PriorityDesignation.objects.filter(year=as_of.year),
                to_attr="priorities_of_year",
            ),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "id")),
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("id").prefetch_related(
                    Prefetch(
                        "measurements",
                        queryset=Measurement.objects.filter(measured_on__lte=as_of).order_by(
                            "-measured_on"
                        ),
                    )
                ),
            ),
            Prefetch("updates", queryset=approved, to_attr="approved_updates"),
            Prefetch(
                "funding",
                queryset=FundingCommitment.objects.select_related("donor").order_by("date", "id"),
            ),
        )
        .order_by("code", "id")
    )
    activities = list(activities)
    places = geography.places_by_activity(activity_ids=[a.pk for a in activities])
    facts = []
    for a in activities:
        priority = next(iter(a.priorities_of_year), None)
        indicators = []
        for i in a.indicators.all():
            latest = next(iter(i.measurements.all()), None)
            indicators.append(
                IndicatorFacts(
                    name=i.name,
                    unit=i.unit,
                    baseline=i.baseline,
                    target=i.target,
                    target_date=i.target_date,
                    latest_value=latest.value if latest else None,
                    latest_on=latest.measured_on if latest else None,
                )
            )
        facts.append(
            ActivityFacts(
                id=a.pk,
                code=a.code,
                title=a.title,
                description=a.description,
                thematic_area=a.thematic_area.code,
                cooperation_type=a.cooperation_type,
                horizon=a.horizon,
                lifecycle=a.lifecycle,
                start_date=a.start_date,
                end_date=a.end_date,
                status=a.status_on or "",
                organizations=tuple(
                    OrganizationFacts(
                        p.organization.acronym, p.organization.name, p.get_role_display()
                    )
                    for p in a.participations.all()
                ),
                sdg_targets=tuple(t.code for t in a.sdg_targets.all()),
                priority_rank=priority.rank if priority else None,
                milestones=tuple(
                    MilestoneFacts(m.title, m.due_date, m.completed_on) for m in a.milestones.all()
                ),
                indicators=tuple(indicators),
                updates=tuple(
                    UpdateFacts(u.period_end, u.percent_complete, u.narrative, u.risks)
                    for u in a.approved_updates
                ),
                funding=tuple(
                    FundingFacts(
                        f.donor.acronym, f.donor.name, f.amount, f.currency, f.status, f.date
                    )
                    for f in a.funding.all()
                ),
                budget_required=a.budget_required,
                currency=a.currency,
                places=places[a.pk].names if a.pk in places else (),
                countries=places[a.pk].countries if a.pk in places else (),
                disclosure=_disclosure(a),
            )
        )
    return PlanFacts(
        plan_id=plan.pk,
        title=plan.title,
        period_start=plan.period_start,
        period_end=plan.period_end,
        objectives=plan.objectives,
        partnership=plan.partnership.name,
        partnership_description=plan.partnership.description,
        partners=partners,
        agreements=_agreements(plan),
        matrix_edition=matrix.edition if matrix else None,
        matrix_adopted_on=matrix.adopted_on if matrix else None,
        thematic_areas=areas,
        sdg_targets=targets,
        as_of=as_of,
        activities=tuple(facts),
    )


def publishable_dates(*, plan_id: int) -> list[dt.date]:
    """The dates a snapshot of the plan may be made as of: those a finished run assessed, newest
    first (one query)."""
    return assessed_dates(plan_id=plan_id)


def disclosure_for(*, activity_id: int) -> Disclosure:
    """The activity's publication settings; an unsaved row with the defaults when it has none
    (one query)."""
    found = Disclosure.objects.filter(activity_id=activity_id).first()
    return found if found is not None else Disclosure(activity_id=activity_id)


# --- snapshots ------------------------------------------------------------------------------------

# What the public pages read before deciding between 304 and a full answer: no content.
_META = ("id", "plan_id", "as_of", "digest", "activity_count", "published_at", "withdrawn_at")


@dataclass(frozen=True, slots=True)
class SnapshotMeta:
    id: int
    plan_id: int
    as_of: dt.date
    digest: str
    activity_count: int
    published_at: dt.datetime
    withdrawn_at: dt.datetime | None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


def snapshot_meta(*, snapshot_id: int) -> SnapshotMeta | None:
    """A snapshot's metadata without its content (one query)."""
    row = Snapshot.objects.filter(pk=snapshot_id).values(*_META).first()
    return SnapshotMeta(**row) if row else None


def snapshot_content(
    *, snapshot_id: int, with_activities: bool = False, activity_n: int | None = None
) -> dict:
    """The frozen document but its activities, with all of them (`with_activities`) or, with
    `activity_n`, its n-th one alone as `activity` (None when there is none), read by the
    database from inside the list (one query)."""
    rows = Snapshot.objects.filter(pk=snapshot_id)
    if activity_n is not None:
        # A JSON array index: `n` counts from 1 and the activities are stored in n order.
        path = f"activities__{max(activity_n - 1, 0)}"
        content, activity = rows.values_list("content", path).get()
        return {**content, "activity": activity}
    if with_activities:
        content, activities = rows.values_list("content", "activities").get()
        return {**content, "activities": activities}
    return rows.values_list("content", flat=True).get()


@dataclass(frozen=True, slots=True)
class PublishedEntry:
    id: int
    as_of: dt.date
    published_at: dt.datetime
    activity_count: int
    digest: str
    plan_title: str
    partnership: str


def live_snapshots() -> list[PublishedEntry]:
    """Every snapshot not withdrawn, newest date first, with the plan's and partnership's names as
    the snapshot froze them (one query, without the documents)."""
    rows = (
        Snapshot.objects.filter(withdrawn_at__isnull=True)
        .order_by("-as_of", "-published_at", "-id")
        .values_list(
            "id",
            "as_of",
            "published_at",
            "activity_count",
            "digest",
            "plan_title",
            "partnership_name",
        )
    )
    return [PublishedEntry(*row) for row in rows]


def snapshots_of_plan(*, plan_id: int) -> QuerySet[Snapshot]:
    """The plan's snapshots for the managers' page, live and withdrawn, without their content
    (one query)."""
    return (
        Snapshot.objects.filter(plan_id=plan_id)
        .defer("content", "problems")
        .select_related("published_by", "withdrawn_by")
        .order_by("-as_of", "-published_at", "-id")
    )


def all_plans() -> list[JointActionPlan]:
    """Plans to publish, newest first (one query)."""
    return list(JointActionPlan.objects.order_by("-period_start", "title", "id"))


def activities_with_disclosure(*, plan_id: int) -> QuerySet[Activity]:
    """The plan's activities with their publication settings, for the managers' overview
    (one query)."""
    return (
        Activity.objects.filter(matrix__plan_id=plan_id)
        .select_related("disclosure", "thematic_area")
        .order_by("code", "id")
    )
