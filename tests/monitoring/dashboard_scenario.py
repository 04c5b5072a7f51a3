"""A small 2016 plan for the dashboard, matrix, report and export tests, built with the factories
and assessed by the real monitoring services (not the demo loader).

What the matrix should find in it:
- maritime and border security: only an aspirational activity, so a gap;
- forensic and criminal justice capacity: only INTERPOL is active;
- illicit trafficking: INTERPOL and UNODC run separate current activities on drugs — an overlap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from activities.models import Activity, ActivityParticipation, FundingCommitment, ProgressUpdate
from monitoring import services
from monitoring.models import MonitoringRun
from partnership.models import Organization, Profile
from tests.factories import (
    ActivityFactory,
    FundingFactory,
    MatrixFactory,
    MilestoneFactory,
    ParticipationFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    TopicFactory,
    UserFactory,
    interpol_unodc_framework,
    make_user,
    sdg_target,
    thematic_area,
)

MONTH_ENDS_2016 = [
    dt.date(2016, 1, 31),
    dt.date(2016, 2, 29),
    dt.date(2016, 3, 31),
    dt.date(2016, 4, 30),
    dt.date(2016, 5, 31),
    dt.date(2016, 6, 30),
    dt.date(2016, 7, 31),
    dt.date(2016, 8, 31),
    dt.date(2016, 9, 30),
    dt.date(2016, 10, 31),
    dt.date(2016, 11, 30),
    dt.date(2016, 12, 31),
]
LEAD, PARTNER = ActivityParticipation.Role.LEAD, ActivityParticipation.Role.PARTNER


@dataclass
class Scenario:
    plan: object
    matrix: object
    interpol: Organization
    unodc: Organization
    reviewer: object
    activities: dict[str, Activity] = field(default_factory=dict)
    extra: int = 0


def _approved(activity, reviewer, *, period_end, percent, reviewed_on):
    at = dt.datetime.combine(reviewed_on, dt.time(10, 0), tzinfo=dt.UTC)
    return ProgressUpdateFactory(
        activity=activity,
        period_end=period_end,
        percent_complete=percent,
        author=reviewer,
        state=ProgressUpdate.State.APPROVED,
        submitted_at=at - dt.timedelta(days=1),
        reviewer=reviewer,
        reviewed_at=at,
    )


def _activity(scenario, code, area, orgs, *, priority=None, topics=(), sdgs=("16.a",), **kwargs):
    activity = ActivityFactory(
        matrix=scenario.matrix, code=code, thematic_area=thematic_area(area), **kwargs
    )
    for org, role in orgs:
        ParticipationFactory(activity=activity, organization=org, role=role)
    for topic in topics:
        activity.topics.add(TopicFactory(code=topic))
    for code_ in sdgs:
        activity.sdg_targets.add(sdg_target(code_))
    if priority is not None:
        PriorityFactory(activity=activity, year=2016, rank=priority)
    scenario.activities[code] = activity
    return activity


def build_scenario() -> Scenario:
    interpol, unodc, eu, partnership, legal = interpol_unodc_framework()
    plan = PlanFactory(
        partnership=partnership,
        agreement=legal,
        title="Joint Action Plan 2016",
        objectives="Coherent support to member countries across six thematic areas.",
    )
    matrix = MatrixFactory(plan=plan, edition=1)
    reviewer = make_user(role=Profile.Role.MANAGER, username="manager")
    scenario = Scenario(plan, matrix, interpol, unodc, reviewer)

    both = [(interpol, LEAD), (unodc, PARTNER)]
    terror = _activity(
        scenario, "T-01", "terrorism", both, priority=1, title="Foreign terrorist fighters"
    )
    MilestoneFactory(
        activity=terror,
        title="Regional workshop",
        due_date=dt.date(2016, 3, 31),
        completed_on=dt.date(2016, 3, 25),
    )
    MilestoneFactory(activity=terror, title="Final report", due_date=dt.date(2016, 11, 30))
    for period_end, percent, reviewed_on in [
        (dt.date(2016, 1, 31), 8, dt.date(2016, 2, 3)),
        (dt.date(2016, 3, 31), 25, dt.date(2016, 4, 5)),
        (dt.date(2016, 6, 30), 50, dt.date(2016, 7, 5)),
        (dt.date(2016, 9, 30), 75, dt.date(2016, 10, 5)),
    ]:
        _approved(terror, reviewer, period_end=period_end, percent=percent, reviewed_on=reviewed_on)
    FundingFactory(activity=terror, donor=eu, amount=Decimal("60000"), date=dt.date(2016, 2, 1))

    dark = _activity(
        scenario,
        "C-01",
        "cybercrime",
        both,
        priority=2,
        title="Dark net research",
        sdgs=("16.4", "16.a"),
    )
    MilestoneFactory(activity=dark, title="Dark net threat report", due_date=dt.date(2016, 2, 15))
    FundingFactory(
        activity=dark,
        donor=eu,
        amount=Decimal("30000"),
        status=FundingCommitment.Status.PLEDGED,
        date=dt.date(2016, 3, 1),
    )

    _activity(
        scenario,
        "D-01",
        "trafficking-organized-crime",
        [(unodc, LEAD)],
        priority=3,
        topics=("drugs",),
        title="Airport communication project (AIRCOP)",
        cooperation_type=Activity.CooperationType.COMPLEMENTARY,
        sdgs=("3.5", "16.4"),
    )
    _activity(
        scenario,
        "D-02",
        "trafficking-organized-crime",
        [(interpol, LEAD)],
        topics=("drugs",),
        title="Drug precursor intelligence",
        cooperation_type=Activity.CooperationType.COMPLEMENTARY,
        start_date=dt.date(2016, 7, 1),
    )
    _activity(
        scenario,
        "M-01",
        "maritime-border-security",
        both,
        title="Container control at sea ports",
        horizon=Activity.Horizon.ASPIRATIONAL,
        start_date=None,
        end_date=None,
    )
    forensic = _activity(
        scenario,
        "F-01",
        "forensic-criminal-justice",
        [(interpol, LEAD)],
        title="Forensic labs",
        lifecycle=Activity.Lifecycle.FINALISATION,
    )
    for period_end, percent, reviewed_on in [
        (dt.date(2016, 3, 31), 25, dt.date(2016, 4, 2)),
        (dt.date(2016, 6, 30), 50, dt.date(2016, 7, 2)),
        (dt.date(2016, 9, 30), 100, dt.date(2016, 10, 3)),
    ]:
        _approved(
            forensic, reviewer, period_end=period_end, percent=percent, reviewed_on=reviewed_on
        )
    FundingFactory(activity=forensic, donor=eu, amount=Decimal("100000"), date=dt.date(2016, 1, 5))
    network = _activity(
        scenario, "I-01", "institutional-capacity", both, priority=4, title="Liaison network"
    )
    for month in range(1, 12):
        period_end = dt.date(2016, month + 1, 1) - dt.timedelta(days=1)
        _approved(
            network,
            reviewer,
            period_end=period_end,
            percent=round(100 * month / 12),
            reviewed_on=period_end,
        )
    FundingFactory(
        activity=network,
        donor=eu,
        amount=Decimal("80000"),
        status=FundingCommitment.Status.RECEIVED,
        date=dt.date(2016, 1, 10),
    )
    return scenario


def add_activities(scenario: Scenario, n: int) -> None:
    """`n` more activities with what hangs off them — to check that page queries do not grow."""
    areas = ["terrorism", "cybercrime", "trafficking-organized-crime", "forensic-criminal-justice"]
    donor = Organization.objects.get(acronym="EU")
    author = UserFactory(username="extra-author")
    for i in range(n):
        activity = _activity(
            scenario,
            f"X-{scenario.extra + i:03d}",
            areas[i % len(areas)],
            [(scenario.interpol, LEAD), (scenario.unodc, PARTNER)],
            priority=10 + scenario.extra + i,
            topics=(f"extra-{i % 3}",),
            sdgs=("16.1", "16.a"),
            title=f"Extra activity {i}",
        )
        MilestoneFactory(activity=activity, due_date=dt.date(2016, 2, 1))
        MilestoneFactory(activity=activity, due_date=dt.date(2016, 9, 1))
        _approved(
            activity,
            author,
            period_end=dt.date(2016, 1, 31),
            percent=10,
            reviewed_on=dt.date(2016, 2, 2),
        )
        FundingFactory(activity=activity, donor=donor, date=dt.date(2016, 1, 15))
    scenario.extra += n


def assess(plan, dates) -> list[MonitoringRun]:
    """Run monitoring for the plan as of each date, in process, through the services."""
    runs = []
    for on in dates:
        run = services.request_run(
            plan_id=plan.pk, as_of=on, trigger=MonitoringRun.Trigger.MANUAL, enqueue=False
        )
        runs.append(services.execute_run(run_id=run.pk))
    return runs
