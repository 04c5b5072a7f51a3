"""A plan for the tests of the sensitivity tiers on the signed-in side: every value of a field
group that some signed-in person may not see is a unique marker string.

- `restricted`: the activity's own tier is restricted (INTERPOL alone takes part): its code and
  title are markers too, for nobody outside INTERPOL and the managers may learn it exists;
- `partners`: every tier at the default (partners; no Disclosure row), INTERPOL alone: staff of
  INTERPOL and UNODC read it all, a viewer of no organization its outline only;
- `mixed`: a partners activity whose description, indicators and risks are restricted and
  whose milestones are public: UNODC's officer reads the milestones, not the description.

People: `insider` (INTERPOL liaison officer: participates), `outsider` (UNODC liaison officer:
staff of a partner, participates in nothing), `stranger` (a viewer of no organization),
`manager`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from activities.models import ActivityParticipation
from geography.rules import Place
from geography.services import set_places
from partnership.models import Profile
from publication import services as publication_services
from publication.rules import FIELD_GROUPS
from tests.factories import (
    ActivityFactory,
    ApprovedUpdateFactory,
    FundingFactory,
    IndicatorFactory,
    MatrixFactory,
    MeasurementFactory,
    MilestoneFactory,
    ParticipationFactory,
    PlanFactory,
    interpol_unodc_framework,
    make_user,
)

RESTRICTED_LINE = "Restricted to the participating organizations and managers"
PARTNERS_LINE = "Shared with the staff of the partner organizations only"


@dataclass
class World:
    plan: object = None
    restricted: object = None
    partners: object = None
    mixed: object = None
    insider: object = None
    outsider: object = None
    stranger: object = None
    manager: object = None
    # Marker → the activity it belongs to ("restricted", "partners", "mixed"), and per marker of
    # the mixed activity its field group.
    markers: dict[str, str] = field(default_factory=dict)

    def mark(self, owner: str, name: str) -> str:
        value = f"zqtier{owner}{name}qz"
        self.markers[value] = owner
        return value

    def amount(self, owner: str, value: Decimal) -> None:
        """An odd amount, a marker as the API writes it and as the pages do (2g)."""
        self.markers[f"{value:.2f}"] = owner
        self.markers[f"{value:,.2f}"] = owner

    def of(self, owner: str) -> list[str]:
        return [m for m, o in self.markers.items() if o == owner]

    def texts_of(self, owner: str) -> list[str]:
        """The text markers (amounts are written differently by each interface)."""
        return [m for m in self.of(owner) if m.startswith("zq")]


def _plant(world: World, activity, owner: str, author, amount: Decimal) -> None:
    m = lambda name: world.mark(owner, name)  # noqa: E731
    MilestoneFactory(activity=activity, title=m("milestone"), due_date=dt.date(2016, 3, 1))
    indicator = IndicatorFactory(activity=activity, name=m("indicator"))
    MeasurementFactory(indicator=indicator, measured_on=dt.date(2016, 5, 1), note=m("measnote"))
    ApprovedUpdateFactory(
        activity=activity,
        author=author,
        period_end=dt.date(2016, 5, 31),
        narrative=m("narrative"),
        risks=m("risks"),
    )
    FundingFactory(activity=activity, amount=amount)
    world.amount(owner, amount)


def build_world() -> World:
    framework = interpol_unodc_framework()
    plan = PlanFactory(partnership=framework.partnership, agreement=framework.legal)
    matrix = MatrixFactory(plan=plan)
    world = World(plan=plan)
    world.insider = make_user(
        Profile.Role.LIAISON_OFFICER, organization=framework.interpol, username="insider"
    )
    world.outsider = make_user(
        Profile.Role.LIAISON_OFFICER, organization=framework.unodc, username="outsider"
    )
    world.stranger = make_user(Profile.Role.VIEWER, username="stranger")
    world.manager = make_user(Profile.Role.MANAGER, username="manager")

    def activity(owner: str, code: str, title: str, amount: str):
        a = ActivityFactory(
            matrix=matrix,
            code=code,
            title=title,
            description=world.mark(owner, "description"),
            budget_required=Decimal(amount),
        )
        world.amount(owner, Decimal(amount))
        ParticipationFactory(
            activity=a, organization=framework.interpol, role=ActivityParticipation.Role.LEAD
        )
        return a

    world.restricted = activity(
        "restricted",
        world.mark("restricted", "code"),
        world.mark("restricted", "title"),
        "7111111.00",
    )
    _plant(world, world.restricted, "restricted", world.insider, Decimal("7111222.00"))
    set_places(
        actor=None, activity=world.restricted, version=None, countries=[Place("TV")], regions=[]
    )
    publication_services.set_disclosure(
        actor=None,
        activity_id=world.restricted.pk,
        version=None,
        tier="restricted",
        field_tiers=dict.fromkeys(FIELD_GROUPS, "restricted"),
    )

    world.partners = activity("partners", "P-01", "Partners activity", "7222111.00")
    _plant(world, world.partners, "partners", world.insider, Decimal("7222222.00"))

    world.mixed = activity("mixed", "M-01", "Mixed activity", "7333111.00")
    MilestoneFactory(activity=world.mixed, title="Open milestone of M-01")
    ApprovedUpdateFactory(
        activity=world.mixed,
        author=world.insider,
        period_end=dt.date(2016, 5, 31),
        narrative="Narrative of M-01 for the partners.",
        risks=world.mark("mixed", "risks"),
    )
    IndicatorFactory(activity=world.mixed, name=world.mark("mixed", "indicator"))
    publication_services.set_disclosure(
        actor=None,
        activity_id=world.mixed.pk,
        version=None,
        tier="partners",
        field_tiers={
            **dict.fromkeys(FIELD_GROUPS, "partners"),
            "description": "restricted",
            "indicators": "restricted",
            "risks": "restricted",
            "milestones": "public",
        },
    )
    # The mixed activity's funding is partners: its budget is not a marker for the outsider.
    del world.markers["7333111.00"], world.markers["7,333,111.00"]
    return world


def leaked(text: str, markers) -> list[str]:
    return [m for m in markers if m.lower() in text.lower()]
