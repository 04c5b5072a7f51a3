"""The portfolio behind tests/test_query_counts_scale.py: a small 2016 plan where every kind of
record exists, and `grow()`, which adds several times as many records of the same kinds to the
same plan, to the activity the detail views show and to the rest of the portfolio.

Built with the factories and assessed by the real monitoring services, as the dashboard scenario
(tests/monitoring/dashboard_scenario.py) is; kept apart from it because the query-count test needs
more kinds of records (indicators with measurements, pending and draft updates, overrides, a
second plan) and a growth step for every view, not only the plan-wide ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from activities.models import (
    Activity,
    ActivityParticipation,
    FundingCommitment,
    Indicator,
    Milestone,
    ProgressUpdate,
)
from geography.models import ActivityCountry, ActivityRegion, Region
from monitoring import services
from monitoring.models import MonitoringRun
from partnership.models import (
    Agreement,
    JointActionPlan,
    Organization,
    Profile,
    SDGTarget,
)
from tests.factories import (
    ActivityFactory,
    AgreementFactory,
    FundingFactory,
    IndicatorFactory,
    MatrixFactory,
    MeasurementFactory,
    MilestoneFactory,
    OrganizationFactory,
    ParticipationFactory,
    PlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    StatusOverrideFactory,
    TopicFactory,
    interpol_unodc_framework,
    make_user,
    sdg_target,
    thematic_area,
)

LEAD = ActivityParticipation.Role.LEAD
PARTNER = ActivityParticipation.Role.PARTNER
AREAS = [
    "terrorism",
    "cybercrime",
    "trafficking-organized-crime",
    "forensic-criminal-justice",
    "maritime-border-security",
    "institutional-capacity",
]
# The small plan is assessed on two dates; growth adds three more, before and after the date the
# dashboards show (so their trends and date pickers, the status history of the activity shown and
# the runs lists grow too).
SMALL_DATES = (dt.date(2016, 3, 31), dt.date(2016, 6, 30))
GROWN_DATES = (dt.date(2016, 1, 31), dt.date(2016, 4, 30), dt.date(2016, 9, 30))
AS_OF = dt.date(2016, 6, 30)  # the date the dashboards are asked for, assessed in both states
SMALL_ACTIVITIES = 3
GROWN_ACTIVITIES = 12  # added to the same plan by grow(): 5 times the small plan in all
OTHER_PLAN_ACTIVITIES = 4  # the rest of the portfolio: a second plan, added by grow()
ON_SHOWN = 5  # grow(): milestones, indicators, updates … added to the activity shown


@dataclass
class World:
    interpol: Organization
    unodc: Organization
    donor: Organization
    agreement: Agreement
    plan: JointActionPlan
    matrix: object
    manager: object
    liaison: object
    shown: Activity  # the activity whose detail views are requested
    milestone: Milestone  # of `shown`
    indicator: Indicator  # of `shown`
    pending: ProgressUpdate  # a submitted update of `shown`, waiting for approval
    draft: ProgressUpdate  # a draft update of `shown`, editable
    serial: int = 0

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial

    def latest_run(self) -> MonitoringRun:
        return MonitoringRun.objects.filter(plan=self.plan).latest("created_at", "id")


def _updates(world: World, activity: Activity, tag: str) -> list[ProgressUpdate]:
    """An approved, a submitted (pending review) and a draft update."""
    n = world.next_serial()
    reviewed = dt.datetime(2016, 3, 5, 10, tzinfo=dt.UTC)
    approved = ProgressUpdateFactory(
        activity=activity,
        period_end=dt.date(2016, 2, 29),
        percent_complete=20,
        narrative=f"Approved update {tag}-{n}",
        author=world.liaison,
        state=ProgressUpdate.State.APPROVED,
        submitted_at=reviewed - dt.timedelta(days=2),
        reviewer=world.manager,
        reviewed_at=reviewed,
    )
    pending = ProgressUpdateFactory(
        activity=activity,
        period_end=dt.date(2016, 5, 31),
        percent_complete=40,
        narrative=f"Pending update {tag}-{n}",
        author=world.liaison,
        state=ProgressUpdate.State.SUBMITTED,
        submitted_at=dt.datetime(2016, 6, 2, 9, tzinfo=dt.UTC),
    )
    draft = ProgressUpdateFactory(
        activity=activity,
        period_end=dt.date(2016, 6, 30),
        percent_complete=45,
        narrative=f"Draft update {tag}-{n}",
        author=world.liaison,
    )
    return [approved, pending, draft]


def _milestones(world: World, activity: Activity, tag: str) -> list[Milestone]:
    """One completed on time, one overdue at mid-year (so assessments carry reasons)."""
    n = world.next_serial()
    return [
        MilestoneFactory(
            activity=activity,
            title=f"Milestone {tag}-{n}a",
            due_date=dt.date(2016, 2, 15),
            completed_on=dt.date(2016, 2, 10),
        ),
        MilestoneFactory(
            activity=activity, title=f"Milestone {tag}-{n}b", due_date=dt.date(2016, 5, 15)
        ),
    ]


def _indicator(world: World, activity: Activity, tag: str, measurements: int = 2) -> Indicator:
    indicator = IndicatorFactory(activity=activity, name=f"Indicator {tag}-{world.next_serial()}")
    for month in range(1, measurements + 1):
        MeasurementFactory(
            indicator=indicator,
            measured_on=dt.date(2016, month, 28),
            value=Decimal(8 * month),
        )
    return indicator


def _activity(world: World, code: str, *, matrix=None, orgs=None, donor=None) -> Activity:
    """An activity with every kind of record hanging off it."""
    n = world.next_serial()
    activity = ActivityFactory(
        matrix=matrix or world.matrix,
        code=code,
        title=f"Activity {code}",
        thematic_area=thematic_area(AREAS[n % len(AREAS)]),
        cooperation_type=(
            Activity.CooperationType.JOINT if n % 2 else Activity.CooperationType.COMPLEMENTARY
        ),
    )
    for org, role in orgs or [(world.interpol, LEAD), (world.unodc, PARTNER)]:
        ParticipationFactory(activity=activity, organization=org, role=role)
    activity.topics.add(TopicFactory(code=f"topic-{n % 4}"))
    activity.sdg_targets.add(sdg_target("16.a"), sdg_target(("16.1", "16.4")[n % 2]))
    PriorityFactory(activity=activity, year=2016, rank=n)
    _milestones(world, activity, code)
    _indicator(world, activity, code)
    _updates(world, activity, code)
    FundingFactory(activity=activity, donor=donor or world.donor, amount=Decimal("40000"))
    # Places (geography): every activity in Nigeria and West Africa, the grown ones in Ghana too.
    ActivityCountry.objects.create(activity=activity, country="NG")
    if code.startswith("QC-G"):
        ActivityCountry.objects.create(activity=activity, country="GH")
    ActivityRegion.objects.create(activity=activity, region=Region.objects.get(code="011"))
    return activity


def assess(plan: JointActionPlan, dates) -> list[MonitoringRun]:
    """Run monitoring for the plan as of each date, in process, through the services."""
    runs = []
    for on in dates:
        run = services.request_run(
            plan_id=plan.pk, as_of=on, trigger=MonitoringRun.Trigger.MANUAL, enqueue=False
        )
        runs.append(services.execute_run(run_id=run.pk))
    return runs


def build_world() -> World:
    interpol, unodc, donor, partnership, legal = interpol_unodc_framework()
    plan = PlanFactory(partnership=partnership, agreement=legal, title="Joint Action Plan 2016")
    matrix = MatrixFactory(plan=plan, edition=1)
    # No usable passwords: hashing one costs CPU, and the test signs in with force_login.
    manager = make_user(role=Profile.Role.MANAGER, username="qc-manager", password=None)
    liaison = make_user(
        role=Profile.Role.LIAISON_OFFICER,
        organization=interpol,
        username="qc-liaison",
        password=None,
    )
    world = World(
        interpol=interpol,
        unodc=unodc,
        donor=donor,
        agreement=legal,
        plan=plan,
        matrix=matrix,
        manager=manager,
        liaison=liaison,
        shown=None,
        milestone=None,
        indicator=None,
        pending=None,
        draft=None,
    )
    world.shown = _activity(world, "QC-S00")
    world.milestone = world.shown.milestones.order_by("id").first()
    world.indicator = world.shown.indicators.order_by("id").first()
    world.pending = world.shown.updates.get(state=ProgressUpdate.State.SUBMITTED)
    world.draft = world.shown.updates.get(state=ProgressUpdate.State.DRAFT)
    for i in range(1, SMALL_ACTIVITIES):
        _activity(world, f"QC-S{i:02d}")
    StatusOverrideFactory(activity=world.shown, set_by=manager, set_on=dt.date(2016, 4, 1))
    assess(plan, SMALL_DATES)
    return world


def grow(world: World) -> None:
    """Several times as many records of every kind: in the same plan, on the activity shown (and
    its indicator) and elsewhere in the portfolio (a second plan under a new agreement, more
    organizations, donors, topics, an SDG target). Then the plan is assessed again on its dates
    and on two more."""
    shown = world.shown
    for i in range(ON_SHOWN):
        partner = OrganizationFactory(acronym=f"QC-P{i}", name=f"Grown partner {i}")
        ParticipationFactory(activity=shown, organization=partner, role=PARTNER)
        shown.topics.add(TopicFactory(code=f"grown-topic-{i}"))
        _milestones(world, shown, "grown")
        _indicator(world, shown, "grown", measurements=3)
        _updates(world, shown, "grown")
        FundingFactory(
            activity=shown,
            donor=OrganizationFactory(
                acronym=f"QC-D{i}", name=f"Grown donor {i}", kind=Organization.Kind.DONOR
            ),
            amount=Decimal("5000"),
            status=FundingCommitment.Status.PLEDGED,
        )
    shown.sdg_targets.add(sdg_target("16.4"), sdg_target("16.1"))
    StatusOverrideFactory(
        activity=shown, set_by=world.manager, status="off_track", set_on=dt.date(2016, 8, 1)
    )
    # More measurements of the indicator shown (its measurements endpoint), on later days.
    for day in range(1, 3 * ON_SHOWN + 1):
        MeasurementFactory(
            indicator=world.indicator, measured_on=dt.date(2016, 7, day), value=Decimal(day)
        )

    for i in range(GROWN_ACTIVITIES):
        orgs = [(world.interpol, LEAD), (world.unodc, PARTNER)] if i % 3 else [(world.unodc, LEAD)]
        _activity(world, f"QC-G{i:02d}", orgs=orgs)

    SDGTarget.objects.create(code="QC.1", goal=16, title="A target added by grow()")
    agreement = AgreementFactory(
        title="Grown addendum to the Legal Agreement",
        builds_on=world.agreement,
        signed_on=dt.date(2017, 1, 10),
    )
    agreement.parties.add(world.interpol, world.unodc)
    other = PlanFactory(
        partnership=world.plan.partnership,
        agreement=agreement,
        # Sorts after the world's plan, so that the plan a home page opens on stays the same.
        title="Later Joint Action Plan 2016, grown",
    )
    other_matrix = MatrixFactory(plan=other, edition=1)
    for i in range(OTHER_PLAN_ACTIVITIES):
        _activity(world, f"QC-O{i:02d}", matrix=other_matrix)

    assess(world.plan, SMALL_DATES + GROWN_DATES)
