"""Reads of the managers' dashboards, each in a fixed number of queries whatever the size of the
plan (stated per function): counting, summing and picking "the assessment in effect" happen in the
database; Python only shapes rows whose number is bounded by what the page shows (thematic areas,
months, SDG targets, donors) or that the page lists anyway.

The status of an activity "as of" a date is, as in `monitoring.selectors`, the latest assessment on
or before that date, so replaying a date shows exactly what the assessments of that date say. On
or after the plan's latest assessed date it is the status kept on the activity (`current`: see
`monitoring.selectors`), which is how the default dashboard of a large plan stays fast.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone

from activities.models import (
    Activity,
    ActivityParticipation,
    FundingCommitment,
    Milestone,
    PriorityDesignation,
    ProgressUpdate,
    Topic,
)
from monitoring.models import MonitoringRun
from monitoring.selectors import (
    MONITORED_PLAN_STATES,
    STATUSES,
    StatusCountRow,
    in_effect,
    is_current,
)
from partnership.models import ActivityMatrix, JointActionPlan, SDGTarget, ThematicArea

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Decimal("0")
# Statuses that need a manager's attention, worst first.
ATTENTION_STATUSES = ("off_track", "at_risk")
STALE_REASON = "stale_reporting"


# --- Building blocks ------------------------------------------------------------------------------


def _end_of_day(on: dt.date) -> dt.datetime:
    """The first moment after `on` in the site's time zone (the engine dates approvals so)."""
    return timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))


def _secured_by(as_of: dt.date) -> Coalesce:
    """Money secured (committed or received) for the activity, in its own currency, dated on or
    before `as_of`: one correlated aggregate."""
    secured = (
        FundingCommitment.objects.filter(
            activity=OuterRef("pk"),
            status__in=FundingCommitment.SECURED,
            currency=OuterRef("currency"),
            date__lte=as_of,
        )
        .order_by()
        .values("activity")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(secured, output_field=MONEY), Value(ZERO), output_field=MONEY)


def _plan_activities(plan_id: int):
    # order_by(): the default ordering follows matrix → plan and would add joins to aggregates.
    return Activity.objects.filter(matrix__plan_id=plan_id).order_by()


# --- Plan and dates -------------------------------------------------------------------------------


def dashboard_plans() -> list[JointActionPlan]:
    """Plans to choose from (with their agreement), newest first; drafts last (one query)."""
    plans = list(
        JointActionPlan.objects.select_related("agreement").order_by("-period_start", "title", "id")
    )
    return sorted(plans, key=lambda plan: plan.state not in MONITORED_PLAN_STATES)


def default_plan(plans: Sequence[JointActionPlan]) -> JointActionPlan | None:
    """The newest monitored plan (adopted or closed), else the newest plan (no query)."""
    return next(iter(plans), None)


def matrix_editions(*, plan_id: int) -> list[ActivityMatrix]:
    """The plan's Activity Matrix editions, newest first (one query)."""
    return list(ActivityMatrix.objects.filter(plan_id=plan_id).order_by("-edition"))


def assessed_dates(*, plan_id: int) -> list[dt.date]:
    """Every date the plan was assessed as of by a finished run, newest first (one query, on the
    few run rows: runs of the plan, and all-plans runs on a date inside its period)."""
    plan = JointActionPlan.objects.filter(pk=plan_id)
    for_all_plans = Q(
        plan__isnull=True,
        as_of__gte=Subquery(plan.values("period_start")[:1]),
        as_of__lte=Subquery(plan.values("period_end")[:1]),
    )
    return list(
        MonitoringRun.objects.filter(
            Q(plan_id=plan_id) | for_all_plans,
            state=MonitoringRun.State.FINISHED,
            activities_assessed__gt=0,
        )
        .order_by("-as_of")
        .values_list("as_of", flat=True)
        .distinct()
    )


# --- Status trend ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrendPoint:
    as_of: dt.date
    counts: dict[str, int]
    unassessed: int

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + self.unassessed


def status_trend(
    *, plan_id: int, dates: Sequence[dt.date], latest: dt.date | None
) -> list[TrendPoint]:
    """Counts by status of the plan's activities on each of `dates`, given the plan's latest
    assessed date (one query: per activity and date the status in effect, counted per status in
    the same statement). Each point equals `monitoring.selectors.status_counts` for its date."""
    if not dates:
        return []
    annotations = {
        f"s{i}": in_effect("pk", on, "status", current=is_current(as_of=on, latest=latest))
        for i, on in enumerate(dates)
    }
    aggregates = {
        f"n{i}_{status}": Count("pk", filter=Q(**{f"s{i}": status}))
        for i in range(len(dates))
        for status in STATUSES
    }
    aggregates["total"] = Count("pk")
    row = _plan_activities(plan_id).annotate(**annotations).aggregate(**aggregates)
    points = []
    for i, on in enumerate(dates):
        counts = {status: row[f"n{i}_{status}"] for status in STATUSES}
        points.append(TrendPoint(on, counts, unassessed=row["total"] - sum(counts.values())))
    return points


# --- Thematic areas -------------------------------------------------------------------------------


def thematic_areas() -> list[ThematicArea]:
    """The six thematic areas in their order (one query)."""
    return list(ThematicArea.objects.order_by("order"))


def rows_for_every_area(
    areas: Sequence[ThematicArea], rows: Sequence[StatusCountRow]
) -> list[StatusCountRow]:
    """`status_counts_by_thematic_area` lists only areas with activities; the dashboard shows all
    six in their order, an empty one being a finding in itself (no query)."""
    by_id = {row.key: row for row in rows}
    return [by_id.get(area.pk) or StatusCountRow(key=area.pk, name=area.name) for area in areas]


# --- Priority board -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PriorityCard:
    rank: int
    activity_id: int
    code: str
    title: str
    thematic_area: str
    status: str  # "" when not assessed on or before the date
    assessed_on: dt.date | None
    reasons: list[dict]
    expected_progress: int | None
    reported_progress: int | None
    next_milestone: str | None
    next_milestone_due: dt.date | None
    last_update_period_end: dt.date | None
    last_update_percent: int | None
    organizations: list[tuple[str, str]]  # (acronym, role label), lead first
    as_of: dt.date

    @property
    def top_reasons(self) -> list[dict]:
        # The engine stores reasons worst first.
        return self.reasons[:3]

    @property
    def more_reasons(self) -> int:
        return max(len(self.reasons) - 3, 0)

    @property
    def next_milestone_overdue_days(self) -> int:
        if self.next_milestone_due is None or self.next_milestone_due >= self.as_of:
            return 0
        return (self.as_of - self.next_milestone_due).days


def priority_cards(*, plan_id: int, year: int, as_of: dt.date) -> list[PriorityCard]:
    """The plan's priority activities of `year` in rank order, as they stood on `as_of`: the
    assessment in effect, the next milestone not completed by then, the latest update approved by
    then. Two queries: the designations (activity and area joined, the rest as correlated
    subqueries) and the participations with their organizations."""
    open_milestones = (
        Milestone.objects.filter(activity_id=OuterRef("activity_id"))
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=as_of))
        .order_by("due_date", "id")
    )
    approved = ProgressUpdate.objects.filter(
        activity_id=OuterRef("activity_id"),
        state=ProgressUpdate.State.APPROVED,
        reviewed_at__lt=_end_of_day(as_of),
    ).order_by("-period_end", "-reviewed_at", "-id")
    designations = (
        PriorityDesignation.objects.filter(year=year, activity__matrix__plan_id=plan_id)
        .select_related("activity__thematic_area")
        .annotate(
            status_on=in_effect("activity_id", as_of, "status"),
            assessed_on=in_effect("activity_id", as_of, "as_of"),
            reasons_on=in_effect("activity_id", as_of, "reasons", JSONField()),
            expected_on=in_effect("activity_id", as_of, "expected_progress"),
            reported_on=in_effect("activity_id", as_of, "reported_progress"),
            milestone_title=Subquery(open_milestones.values("title")[:1]),
            milestone_due=Subquery(open_milestones.values("due_date")[:1]),
            update_period_end=Subquery(approved.values("period_end")[:1]),
            update_percent=Subquery(approved.values("percent_complete")[:1]),
        )
        .prefetch_related(
            Prefetch(
                "activity__participations",
                queryset=ActivityParticipation.objects.select_related("organization").order_by(
                    "role", "organization__acronym"
                ),
            )
        )
        .order_by("rank", "id")
    )
    return [
        PriorityCard(
            rank=d.rank,
            activity_id=d.activity_id,
            code=d.activity.code,
            title=d.activity.title,
            thematic_area=d.activity.thematic_area.name,
            status=d.status_on or "",
            assessed_on=d.assessed_on,
            reasons=list(d.reasons_on or []),
            expected_progress=d.expected_on,
            reported_progress=d.reported_on,
            next_milestone=d.milestone_title,
            next_milestone_due=d.milestone_due,
            last_update_period_end=d.update_period_end,
            last_update_percent=d.update_percent,
            organizations=[
                (p.organization.acronym, p.get_role_display())
                for p in d.activity.participations.all()
            ],
            as_of=as_of,
        )
        for d in designations
    ]


# --- Needs attention: overdue milestones and stale reports ----------------------------------------


@dataclass(frozen=True, slots=True)
class OverdueMilestone:
    milestone_id: int
    activity_id: int
    activity_code: str
    activity_title: str
    title: str
    due_date: dt.date
    days_overdue: int
    status: str


def _overdue(plan_id: int, as_of: dt.date, current: bool):
    milestones = Milestone.objects.filter(
        activity__matrix__plan_id=plan_id, due_date__lt=as_of
    ).filter(Q(completed_on__isnull=True) | Q(completed_on__gt=as_of))
    return milestones.annotate(
        status_on=in_effect("activity_id", as_of, "status", current=current)
    ).exclude(status_on__in=("completed", "suspended"))


def overdue_milestones(
    *, plan_id: int, as_of: dt.date, limit: int = 50, current: bool = False
) -> list[OverdueMilestone]:
    """Milestones due before `as_of` and not completed by then, oldest due first, of activities
    neither completed nor suspended on that date; at most `limit` of them (one query)."""
    rows = (
        _overdue(plan_id, as_of, current)
        .order_by("due_date", "activity__code", "id")
        .values(
            "id",
            "activity_id",
            "activity__code",
            "activity__title",
            "title",
            "due_date",
            "status_on",
        )[:limit]
    )
    return [
        OverdueMilestone(
            milestone_id=row["id"],
            activity_id=row["activity_id"],
            activity_code=row["activity__code"],
            activity_title=row["activity__title"],
            title=row["title"],
            due_date=row["due_date"],
            days_overdue=(as_of - row["due_date"]).days,
            status=row["status_on"] or "",
        )
        for row in rows
    ]


def overdue_milestones_total(*, plan_id: int, as_of: dt.date, current: bool = False) -> int:
    """How many milestones `overdue_milestones` would list without a limit (one query)."""
    return _overdue(plan_id, as_of, current).count()


@dataclass(frozen=True, slots=True)
class AttentionItem:
    activity_id: int
    code: str
    title: str
    status: str
    reasons: list[dict]

    def reasons_with_code(self, code: str) -> list[dict]:
        return [reason for reason in self.reasons if reason.get("code") == code]


# Both databases keep a reason as JSON text with this pair in it: the stale ones are found in
# the database, so a plan's thousands of reasons are never read into Python to count them.
_STALE_PAIR = f'"code": "{STALE_REASON}"'


def _attention(plan_id: int, as_of: dt.date, current: bool):
    return (
        _plan_activities(plan_id)
        .annotate(
            status_on=in_effect("pk", as_of, "status", current=current),
            reasons_on=in_effect("pk", as_of, "reasons", JSONField(), current=current),
        )
        .filter(status_on__in=ATTENTION_STATUSES)
    )


def _attention_items(rows, limit: int) -> list[AttentionItem]:
    ordered = rows.annotate(
        worst=Case(
            *(When(status_on=s, then=Value(i)) for i, s in enumerate(ATTENTION_STATUSES)),
            output_field=IntegerField(),
        )
    ).order_by("worst", "code", "id")
    return [
        AttentionItem(row["id"], row["code"], row["title"], row["status_on"], row["reasons_on"])
        for row in ordered.values("id", "code", "title", "status_on", "reasons_on")[:limit]
    ]


def needing_attention(
    *, plan_id: int, as_of: dt.date, limit: int = 50, current: bool = False
) -> tuple[list[AttentionItem], int]:
    """The plan's activities off track or at risk on `as_of`, off track first then by code, at
    most `limit` of them with the reasons their assessment gave, and how many there are in all
    (two queries)."""
    rows = _attention(plan_id, as_of, current)
    return _attention_items(rows, limit), rows.count()


def stale_reports(
    *, plan_id: int, as_of: dt.date, limit: int = 50, current: bool = False
) -> tuple[list[tuple[AttentionItem, dict]], int]:
    """Of the activities needing attention, those whose assessment found reporting stale (the
    engine judged staleness, with the policy's thresholds), each with that reason, at most
    `limit`, and how many in all (two queries)."""
    rows = (
        _attention(plan_id, as_of, current)
        .annotate(reasons_text=Cast("reasons_on", TextField()))
        .filter(reasons_text__contains=_STALE_PAIR)
    )
    found = [
        (item, reason)
        for item in _attention_items(rows, limit)
        for reason in item.reasons_with_code(STALE_REASON)[:1]
    ]
    return found, rows.count()


# --- Funding (efficiency) -------------------------------------------------------------------------


@dataclass
class FundingRow:
    """Required, secured and gap of a group of activities, in one currency. The gap is the sum of
    each activity's own gap: one activity's surplus does not fill another's need."""

    key: int | None
    name: str
    currency: str
    activities: int = 0
    required: Decimal = ZERO
    secured: Decimal = ZERO
    gap: Decimal = ZERO
    with_gap: int = 0
    donors: list[str] = field(default_factory=list)

    @property
    def coverage_percent(self) -> int | None:
        if not self.required:
            return None
        return int(min(self.secured / self.required, Decimal(1)) * 100)


def _with_funding(plan_id: int, as_of: dt.date):
    return (
        _plan_activities(plan_id)
        .annotate(secured=_secured_by(as_of))
        .annotate(
            gap=Greatest(F("budget_required") - F("secured"), Value(ZERO), output_field=MONEY)
        )
    )


def funding_by_area(
    *, plan_id: int, as_of: dt.date, areas: Sequence[ThematicArea]
) -> list[FundingRow]:
    """Per thematic area (in the order given) and currency: activities, required, secured by
    `as_of`, gap, activities with a gap, and the donors that had committed anything by then. Two
    queries: the sums per area and currency, the distinct donors per area."""
    sums = (
        _with_funding(plan_id, as_of)
        .values("thematic_area_id", "currency")
        .annotate(
            n=Count("id"),
            required=Sum("budget_required"),
            secured_total=Sum("secured"),
            gap_total=Sum("gap"),
            with_gap=Count("id", filter=Q(gap__gt=0)),
        )
        .order_by()
    )
    donors: dict[int, set[str]] = defaultdict(set)
    for area_id, acronym in (
        FundingCommitment.objects.filter(activity__matrix__plan_id=plan_id, date__lte=as_of)
        .order_by()
        .values_list("activity__thematic_area_id", "donor__acronym")
        .distinct()
    ):
        donors[area_id].add(acronym)
    names = {area.pk: area.name for area in areas}
    order = {area.pk: index for index, area in enumerate(areas)}
    rows = [
        FundingRow(
            key=row["thematic_area_id"],
            name=names.get(row["thematic_area_id"], ""),
            currency=row["currency"],
            activities=row["n"],
            required=row["required"] or ZERO,
            secured=row["secured_total"] or ZERO,
            gap=row["gap_total"] or ZERO,
            with_gap=row["with_gap"],
            donors=sorted(donors.get(row["thematic_area_id"], ())),
        )
        for row in sums
    ]
    return sorted(rows, key=lambda r: (order.get(r.key, len(order)), r.currency))


def funding_totals(rows: Sequence[FundingRow]) -> list[FundingRow]:
    """The plan's totals per currency, from the area rows (no query)."""
    totals: dict[str, FundingRow] = {}
    for row in rows:
        total = totals.setdefault(row.currency, FundingRow(None, "All areas", row.currency))
        total.activities += row.activities
        total.required += row.required
        total.secured += row.secured
        total.gap += row.gap
        total.with_gap += row.with_gap
        total.donors = sorted(set(total.donors) | set(row.donors))
    return [totals[currency] for currency in sorted(totals)]


@dataclass(frozen=True, slots=True)
class ActivityFunding:
    activity_id: int
    code: str
    title: str
    thematic_area: str
    currency: str
    required: Decimal
    secured: Decimal
    gap: Decimal
    donors: list[tuple[str, str]]  # (acronym, funding status label), as of the date


def funding_by_activity(*, plan_id: int, as_of: dt.date, limit: int = 25) -> list[ActivityFunding]:
    """The activities with the largest funding gaps on `as_of` (at most `limit`), with their
    donors' commitments dated by then. Two queries: the activities (area joined, secured and gap
    computed in the database), their funding lines with donors."""
    activities = (
        _with_funding(plan_id, as_of)
        .filter(gap__gt=0)
        .select_related("thematic_area")
        .prefetch_related(
            Prefetch(
                "funding",
                queryset=FundingCommitment.objects.filter(date__lte=as_of)
                .select_related("donor")
                .order_by("donor__acronym", "date", "id"),
            )
        )
        .order_by("-gap", "code", "id")[:limit]
    )
    return [
        ActivityFunding(
            activity_id=a.pk,
            code=a.code,
            title=a.title,
            thematic_area=a.thematic_area.name,
            currency=a.currency,
            required=a.budget_required,
            secured=a.secured,
            gap=a.gap,
            donors=[(f.donor.acronym, f.get_status_display()) for f in a.funding.all()],
        )
        for a in activities
    ]


# --- SDG targets (relevance) ----------------------------------------------------------------------


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
    return (0, int(part), "") if part.isdigit() else (1, 0, part)


# --- Runs -----------------------------------------------------------------------------------------


def plan_runs(*, plan_id: int, limit: int = 5) -> list[MonitoringRun]:
    """The plan's latest runs with who asked (one query)."""
    return list(
        MonitoringRun.objects.filter(plan_id=plan_id)
        .select_related("requested_by")
        .order_by("-created_at", "-id")[:limit]
    )


def run_or_none(*, run_id: int, related: bool = True) -> MonitoringRun | None:
    """One run, with its plan and requester joined unless `related` is False (one query)."""
    runs = MonitoringRun.objects.filter(pk=run_id)
    if related:
        runs = runs.select_related("plan", "requested_by")
    return runs.first()


def plan_or_none(*, plan_id: int) -> JointActionPlan | None:
    return JointActionPlan.objects.filter(pk=plan_id).first()


def topic_names(*, codes: set[str]) -> dict[str, str]:
    """Topic code → name, for the overlaps the matrix names (one query; none without codes)."""
    if not codes:
        return {}
    return dict(Topic.objects.filter(code__in=codes).values_list("code", "name"))


# --- The printable report -------------------------------------------------------------------------


@dataclass
class ReportActivity:
    activity_id: int
    code: str
    title: str
    status: str
    reasons: list[dict]
    is_priority: bool
    lead: str


@dataclass
class ReportSection:
    area: ThematicArea
    counts: StatusCountRow
    activities: list[ReportActivity] = field(default_factory=list)

    @property
    def priorities(self) -> list[ReportActivity]:
        return [a for a in self.activities if a.is_priority]


def report_sections(
    *,
    plan_id: int,
    as_of: dt.date,
    year: int,
    areas: Sequence[ThematicArea],
    area_counts: Sequence[StatusCountRow],
    current: bool = False,
) -> list[ReportSection]:
    """One section per thematic area with its counts and its activities as they stood on `as_of`
    (priorities of `year` flagged). One query: the activities with their status, reasons,
    priority flag and lead organization as correlated subqueries."""
    priority = PriorityDesignation.objects.filter(activity_id=OuterRef("pk"), year=year)
    lead = ActivityParticipation.objects.filter(
        activity_id=OuterRef("pk"), role=ActivityParticipation.Role.LEAD
    ).values("organization__acronym")[:1]
    rows = (
        _plan_activities(plan_id)
        .annotate(
            status_on=in_effect("pk", as_of, "status", current=current),
            reasons_on=in_effect("pk", as_of, "reasons", JSONField(), current=current),
            priority_rank=Subquery(priority.values("rank")[:1]),
            lead=Subquery(lead),
        )
        .order_by("thematic_area_id", "code", "id")
        .values("id", "code", "title", "thematic_area_id", "status_on", "reasons_on", "lead")
        .annotate(rank=F("priority_rank"))
    )
    counts = {row.key: row for row in area_counts}
    sections = {
        area.pk: ReportSection(area, counts.get(area.pk) or StatusCountRow(area.pk, area.name))
        for area in areas
    }
    for row in rows:
        section = sections.get(row["thematic_area_id"])
        if section is None:
            continue
        section.activities.append(
            ReportActivity(
                activity_id=row["id"],
                code=row["code"],
                title=row["title"],
                status=row["status_on"] or "",
                reasons=row["reasons_on"] or [],
                is_priority=row["rank"] is not None,
                lead=row["lead"] or "",
            )
        )
    return list(sections.values())
