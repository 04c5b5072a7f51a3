"""factory_boy factories for every model the tests build. One place, shared by all test modules."""

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

import factory
from django.contrib.auth import get_user_model

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
    Partnership,
    Profile,
    SDGTarget,
    ThematicArea,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("acronym",)

    acronym = factory.Sequence(lambda n: f"ORG{n}")
    name = factory.LazyAttribute(lambda o: f"Organization {o.acronym}")
    kind = Organization.Kind.INTERNATIONAL_ORGANIZATION


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Profile.Role.LIAISON_OFFICER


def make_user(role: str = Profile.Role.VIEWER, organization=None, **kwargs):
    """A user with a profile of the given role (and organization, for liaison officers)."""
    user = UserFactory(**kwargs)
    if organization is None and role == Profile.Role.LIAISON_OFFICER:
        organization = OrganizationFactory()
    ProfileFactory(user=user, role=role, organization=organization)
    return user


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    kind = Agreement.Kind.LEGAL_AGREEMENT
    title = factory.Sequence(lambda n: f"Agreement {n}")
    signed_on = dt.date(2016, 5, 23)
    place = "Vienna"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JointActionPlan

    partnership = factory.SubFactory(PartnershipFactory)
    agreement = factory.SubFactory(AgreementFactory)
    title = factory.Sequence(lambda n: f"Joint Action Plan {n}")
    period_start = dt.date(2016, 1, 1)
    period_end = dt.date(2016, 12, 31)
    state = JointActionPlan.State.ADOPTED


class MatrixFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityMatrix

    plan = factory.SubFactory(PlanFactory)
    edition = 1
    adopted_on = dt.date(2016, 5, 23)


def thematic_area(code: str = "terrorism") -> ThematicArea:
    """The seeded thematic areas exist in every test database (data migration)."""
    return ThematicArea.objects.get(code=code)


def sdg_target(code: str = "16.a") -> SDGTarget:
    return SDGTarget.objects.get(code=code)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.LazyAttribute(lambda t: t.code.replace("-", " ").title())


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    matrix = factory.SubFactory(MatrixFactory)
    code = factory.Sequence(lambda n: f"A-{n:04d}")
    title = factory.Sequence(lambda n: f"Activity {n}")
    thematic_area = factory.LazyFunction(thematic_area)
    cooperation_type = Activity.CooperationType.JOINT
    horizon = Activity.Horizon.CURRENT
    lifecycle = Activity.Lifecycle.IMPLEMENTATION
    start_date = dt.date(2016, 1, 1)
    end_date = dt.date(2016, 12, 31)
    budget_required = Decimal("100000.00")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityParticipation

    activity = factory.SubFactory(ActivityFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = ActivityParticipation.Role.LEAD


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityDesignation

    activity = factory.SubFactory(ActivityFactory)
    year = 2016
    rank = factory.Sequence(lambda n: n + 1)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    activity = factory.SubFactory(ActivityFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = dt.date(2016, 6, 30)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    activity = factory.SubFactory(ActivityFactory)
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = "officers trained"
    baseline = Decimal("0")
    baseline_date = dt.date(2016, 1, 1)
    target = Decimal("100")
    target_date = dt.date(2016, 12, 31)
    direction = Indicator.Direction.INCREASE


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    measured_on = dt.date(2016, 6, 30)
    value = Decimal("50")


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    activity = factory.SubFactory(ActivityFactory)
    period_end = dt.date(2016, 6, 30)
    percent_complete = 50
    narrative = "Work proceeds as planned."
    author = factory.SubFactory(UserFactory)
    state = ProgressUpdate.State.DRAFT


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingCommitment

    activity = factory.SubFactory(ActivityFactory)
    donor = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.DONOR)
    amount = Decimal("50000.00")
    status = FundingCommitment.Status.COMMITTED
    date = dt.date(2016, 3, 1)


def liaison_for(activity, *, role: str = ActivityParticipation.Role.LEAD, **user_kwargs):
    """A liaison officer whose organization takes part in `activity` in the given role."""
    organization = OrganizationFactory()
    ParticipationFactory(activity=activity, organization=organization, role=role)
    return make_user(role=Profile.Role.LIAISON_OFFICER, organization=organization, **user_kwargs)


def partner_viewer(activity, *, role: str = Profile.Role.VIEWER, **user_kwargs):
    """A person of an organization of the partnership of `activity`'s plan that takes no part in
    it: staff of a partner, who read what is shared with the partners (the default tier)."""
    organization = OrganizationFactory()
    activity.matrix.plan.partnership.organizations.add(organization)
    return make_user(role=role, organization=organization, **user_kwargs)


class ApprovedUpdateFactory(ProgressUpdateFactory):
    """An approved progress update; it becomes a monitoring fact on `reviewed_at`'s date."""

    # Users without a usable password: hashing one costs a second of CPU per user.
    author = factory.SubFactory(UserFactory, password=None)
    state = ProgressUpdate.State.APPROVED
    submitted_at = factory.LazyAttribute(
        lambda u: dt.datetime.combine(u.period_end, dt.time(9), tzinfo=dt.UTC)
    )
    reviewer = factory.SubFactory(UserFactory, password=None)
    reviewed_at = factory.LazyAttribute(lambda u: u.submitted_at + dt.timedelta(days=5))


class StatusOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "monitoring.StatusOverride"

    activity = factory.SubFactory(ActivityFactory)
    status = "at_risk"
    reason = "Security situation in the host country."
    set_by = factory.SubFactory(UserFactory, password=None)
    set_on = dt.date(2016, 4, 1)
    expires_on = None


class Framework(NamedTuple):
    interpol: Organization
    unodc: Organization
    donor: Organization
    partnership: Partnership
    legal: Agreement


def interpol_unodc_framework() -> Framework:
    """The frame of the 2016 demo for test worlds that build a plan on it: INTERPOL and UNODC in
    a partnership, the EU as a donor, and the 2016 Legal Agreement between them, which builds on
    the 1997 UN–INTERPOL cooperation agreement."""
    interpol = OrganizationFactory(acronym="INTERPOL", name="International Criminal Police Org.")
    unodc = OrganizationFactory(acronym="UNODC", name="United Nations Office on Drugs and Crime")
    donor = OrganizationFactory(acronym="EU", name="European Union", kind=Organization.Kind.DONOR)
    partnership = PartnershipFactory(name="INTERPOL–UNODC partnership")
    partnership.organizations.add(interpol, unodc)
    base = AgreementFactory(
        kind=Agreement.Kind.COOPERATION_AGREEMENT,
        title="Agreement on cooperation between the United Nations and INTERPOL",
        signed_on=dt.date(1997, 7, 8),
        place="New York",
    )
    legal = AgreementFactory(
        title="Legal Agreement between INTERPOL and UNODC", builds_on=base, place="Vienna"
    )
    legal.parties.add(interpol, unodc)
    return Framework(interpol, unodc, donor, partnership, legal)


def assess(activity, as_of, status: str, reasons=(), **fields):
    """An assessment of `activity`, written as the engine writes it (the activity's current
    status follows), for tests that need a given status history."""
    from monitoring.engine import store_assessments
    from monitoring.models import Assessment

    store_assessments(
        [
            Assessment(
                activity=activity, as_of=as_of, status=status, reasons=list(reasons), **fields
            )
        ],
        as_of=as_of,
    )
    return Assessment.objects.get(activity=activity, as_of=as_of)
