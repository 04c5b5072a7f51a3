"""A plan whose every non-public value is a unique marker string, for the leak tests and the
pages: two public activities (one with some public field groups, one with none), a partners-tier
and a restricted one, each in a country (the open one's places public), assessed by the real
engine as of 2016-06-30 (its reasons name the
milestones, so they carry markers too).

`World.markers` lists every planted marker; none may appear in any public answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from activities.models import ActivityParticipation, ProgressUpdate
from geography.rules import Place
from geography.services import set_places
from monitoring import services as monitoring_services
from monitoring.models import MonitoringRun
from partnership.models import Profile
from publication import services
from publication.models import Snapshot
from tests.factories import (
    ActivityFactory,
    ApprovedUpdateFactory,
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
    interpol_unodc_framework,
    make_user,
    sdg_target,
    thematic_area,
)

AS_OF = dt.date(2016, 6, 30)
ALL_PARTNERS = {
    "description": "partners",
    "milestones": "partners",
    "indicators": "partners",
    "progress": "partners",
    "risks": "partners",
    "funding": "partners",
    "places": "partners",
}


@dataclass
class World:
    plan: object
    manager: object
    lead_officer: object
    other_officer: object
    open_activity: object  # public, with public description, milestones and progress
    closed_fields_activity: object  # public, every field group partners
    partners_activity: object
    restricted_activity: object
    markers: list[str] = field(default_factory=list)

    def mark(self, name: str) -> str:
        value = f"zqleak{name}qz"
        self.markers.append(value)
        return value


def _plant_everything(world: World, activity, prefix: str, donor, author) -> None:
    """A marker in every text and figure hanging off `activity`."""
    m = lambda name: world.mark(f"{prefix}{name}")  # noqa: E731
    MilestoneFactory(activity=activity, title=m("milestone"), due_date=dt.date(2016, 3, 1))
    indicator = IndicatorFactory(activity=activity, name=m("indicator"), unit=m("unit"))
    MeasurementFactory(indicator=indicator, measured_on=dt.date(2016, 5, 1), note=m("measnote"))
    ApprovedUpdateFactory(
        activity=activity,
        author=author,
        period_end=dt.date(2016, 5, 31),
        narrative=m("narrative"),
        risks=m("risks"),
        review_note=m("reviewnote"),
    )
    ProgressUpdateFactory(
        activity=activity,
        author=author,
        period_end=dt.date(2016, 6, 30),
        narrative=m("draftnarrative"),
        risks=m("draftrisks"),
        state=ProgressUpdate.State.DRAFT,
    )
    # An odd amount is a marker of its own: no other figure of the world has these digits.
    FundingFactory(activity=activity, donor=donor, amount=Decimal("7310000.00") + activity.pk)
    world.markers.append(f"{Decimal('7310000.00') + activity.pk:.2f}")


def build_world() -> World:
    framework = interpol_unodc_framework()
    # A donor that funds only non-public lines: its name must never show.
    secret_donor = OrganizationFactory(acronym="ZQDONORQZ", name="zqleakdonornameqz", kind="donor")
    plan = PlanFactory(
        partnership=framework.partnership, agreement=framework.legal, title="Joint Action Plan 2016"
    )
    matrix = MatrixFactory(plan=plan)
    manager = make_user(Profile.Role.MANAGER, username="pub-manager")
    lead_officer = make_user(
        Profile.Role.LIAISON_OFFICER, organization=framework.interpol, username="pub-interpol"
    )
    other_officer = make_user(
        Profile.Role.LIAISON_OFFICER, organization=framework.unodc, username="pub-unodc"
    )
    world = World(plan, manager, lead_officer, other_officer, None, None, None, None)
    world.markers.append("zqdonorqz")
    world.markers.append(secret_donor.name)

    def activity(code, title, area, **kwargs):
        a = ActivityFactory(
            matrix=matrix, code=code, title=title, thematic_area=thematic_area(area), **kwargs
        )
        ParticipationFactory(
            activity=a,
            organization=framework.interpol,
            role=ActivityParticipation.Role.LEAD,
            contribution=world.mark(f"{code.lower()}contribution"),
        )
        ParticipationFactory(
            activity=a,
            organization=framework.unodc,
            role=ActivityParticipation.Role.PARTNER,
            contribution=world.mark(f"{code.lower()}unodccontribution"),
        )
        return a

    world.open_activity = activity(
        "T-01",
        "Foreign terrorist fighters",
        "terrorism",
        description="Joint work on travel of foreign terrorist fighters.",
    )
    MilestoneFactory(
        activity=world.open_activity, title="Regional workshop", due_date=dt.date(2016, 5, 1)
    )
    ApprovedUpdateFactory(
        activity=world.open_activity,
        author=lead_officer,
        period_end=dt.date(2016, 5, 31),
        narrative="Workshop prepared with the host country.",
        risks=world.mark("openrisks"),
    )
    IndicatorFactory(activity=world.open_activity, name=world.mark("openindicator"))
    FundingFactory(activity=world.open_activity, donor=secret_donor, amount=Decimal("7340001.00"))
    world.markers.append("7340001.00")
    ProgressUpdateFactory(
        activity=world.open_activity,
        author=lead_officer,
        period_end=dt.date(2016, 6, 30),
        narrative=world.mark("opendraft"),
    )
    PriorityFactory(activity=world.open_activity, rank=3, rationale=world.mark("openrationale"))
    world.open_activity.sdg_targets.add(sdg_target("16.4"))

    world.closed_fields_activity = activity(
        "T-02",
        "Cultural property trafficking",
        "trafficking-organized-crime",
        description=world.mark("t02description"),
        budget_required=Decimal("7350000.00"),
    )
    world.markers.append("7350000.00")
    _plant_everything(world, world.closed_fields_activity, "t02", secret_donor, lead_officer)
    PriorityFactory(activity=world.closed_fields_activity, rank=7)
    world.closed_fields_activity.sdg_targets.add(sdg_target("16.4"))

    partners_code = world.mark("codepartners")
    world.partners_activity = activity(
        partners_code,
        world.mark("partnerstitle"),
        "cybercrime",
        description=world.mark("partnersdescription"),
    )
    _plant_everything(world, world.partners_activity, "partners", secret_donor, lead_officer)
    world.partners_activity.sdg_targets.add(sdg_target("16.a"))

    restricted_code = world.mark("coderestricted")
    world.restricted_activity = activity(
        restricted_code,
        world.mark("restrictedtitle"),
        "terrorism",
        description=world.mark("restricteddescription"),
    )
    _plant_everything(world, world.restricted_activity, "restricted", secret_donor, lead_officer)
    PriorityFactory(activity=world.restricted_activity, rank=5)
    world.restricted_activity.sdg_targets.add(sdg_target("16.a"))
    StatusOverrideFactory(
        activity=world.restricted_activity,
        status="suspended",
        reason=world.mark("overridereason"),
        set_on=dt.date(2016, 4, 1),
    )

    services.set_disclosure(
        actor=None,
        activity_id=world.open_activity.pk,
        version=None,
        tier="public",
        field_tiers={
            **ALL_PARTNERS,
            "description": "public",
            "milestones": "public",
            "progress": "public",
            "places": "public",
        },
        public_summary="Helping countries stop the travel of foreign terrorist fighters.",
        public_status_reason="The regional workshop is being prepared with the host country.",
    )
    services.set_disclosure(
        actor=None,
        activity_id=world.closed_fields_activity.pk,
        version=None,
        tier="public",
        field_tiers=ALL_PARTNERS,
        public_summary="",  # a checklist problem
        public_status_reason="",  # a checklist problem: it is a priority
    )
    # Everything public but the activity: a restricted activity's fields stay restricted.
    services.set_disclosure(
        actor=None,
        activity_id=world.restricted_activity.pk,
        version=None,
        tier="restricted",
        field_tiers=dict.fromkeys(ALL_PARTNERS, "public"),
        public_summary=world.mark("restrictedsummary"),
        public_status_reason=world.mark("restrictedreason"),
    )
    # The partners activity keeps the defaults (no row): partners everywhere.
    # Places: the open activity's are public; the others' are countries named nowhere else in
    # the world, so their names are markers (a non-public activity's, or a non-public field).
    _place(world.open_activity, ["NG"], ["011"])
    for activity, country, name in (
        (world.closed_fields_activity, "GH", "Ghana"),
        (world.partners_activity, "LI", "Liechtenstein"),
        (world.restricted_activity, "TV", "Tuvalu"),
    ):
        _place(activity, [country], [])
        world.markers.append(name)
    assess(plan, AS_OF)
    return world


def _place(activity, countries: list[str], regions: list[str]) -> None:
    set_places(
        actor=None,
        activity=activity,
        version=None,
        countries=[Place(code) for code in countries],
        regions=[Place(code) for code in regions],
    )


def assess(plan, on: dt.date) -> MonitoringRun:
    run = monitoring_services.request_run(
        plan_id=plan.pk, as_of=on, trigger=MonitoringRun.Trigger.MANUAL, enqueue=False
    )
    return monitoring_services.execute_run(run_id=run.pk)


def publish(world: World, note: str = "Published for the tests despite the checklist.") -> Snapshot:
    return services.publish_snapshot(
        actor=world.manager, plan_id=world.plan.pk, as_of=AS_OF, note=note
    )
