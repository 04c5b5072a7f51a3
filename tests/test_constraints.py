"""Each absolute rule lives in the database: a bad row is refused there, not only by a form.

Rows are written with QuerySet.create() / save(), which skip model validation, so what refuses them
is the named constraint itself.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from activities.models import ActivityParticipation, ProgressUpdate
from partnership.models import Profile
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
    UserFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


def _refused(build, constraint: str) -> None:
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        build()
    # PostgreSQL names every violated constraint; SQLite names CHECKs, and columns for UNIQUE.
    message = str(excinfo.value)
    if connection.vendor == "postgresql" or "CHECK constraint" in message:
        assert constraint in message


def test_plan_must_start_before_it_ends():
    _refused(
        lambda: PlanFactory(period_start=dt.date(2016, 12, 31), period_end=dt.date(2016, 1, 1)),
        "partnership_jointactionplan_start_before_end",
    )


def test_agreement_cannot_enter_into_force_before_signature():
    _refused(
        lambda: AgreementFactory(
            signed_on=dt.date(2016, 5, 23), entry_into_force=dt.date(2016, 5, 1)
        ),
        "partnership_agreement_in_force_after_signature",
    )


def test_agreement_cannot_end_before_signature():
    _refused(
        lambda: AgreementFactory(signed_on=dt.date(2016, 5, 23), end_on=dt.date(2015, 1, 1)),
        "partnership_agreement_end_after_signature",
    )


def test_agreement_cannot_build_on_itself():
    agreement = AgreementFactory()

    def build():
        agreement.builds_on_id = agreement.pk
        agreement.save()

    _refused(build, "partnership_agreement_not_builds_on_itself")


def test_organization_acronym_is_unique_and_not_blank():
    OrganizationFactory(acronym="UNODC")
    _refused(lambda: OrganizationFactory._meta.model.objects.create(acronym="UNODC"), "acronym")
    _refused(
        lambda: OrganizationFactory._meta.model.objects.create(acronym="", name="x"),
        "partnership_organization_acronym_not_blank",
    )


def test_matrix_edition_is_unique_per_plan_and_positive():
    matrix = MatrixFactory(edition=1)
    _refused(lambda: MatrixFactory(plan=matrix.plan, edition=1), "unique_edition")
    _refused(lambda: MatrixFactory(plan=matrix.plan, edition=0), "edition_positive")


def test_liaison_officer_profile_needs_an_organization():
    _refused(
        lambda: Profile.objects.create(user=UserFactory(), role="liaison_officer"),
        "partnership_profile_liaison_has_organization",
    )


def test_activity_code_is_unique_within_its_matrix():
    activity = ActivityFactory(code="T-01")
    _refused(lambda: ActivityFactory(matrix=activity.matrix, code="T-01"), "unique_code")
    # The same code in another matrix is fine.
    assert ActivityFactory(code="T-01").pk


def test_activity_must_start_before_it_ends():
    _refused(
        lambda: ActivityFactory(start_date=dt.date(2016, 6, 1), end_date=dt.date(2016, 6, 1)),
        "activities_activity_start_before_end",
    )


def test_activity_budget_cannot_be_negative():
    _refused(
        lambda: ActivityFactory(budget_required=Decimal("-1")),
        "activities_activity_budget_not_negative",
    )


def test_activity_currency_is_an_iso_code():
    _refused(lambda: ActivityFactory(currency="usd"), "activities_activity_currency_iso")


def test_an_activity_has_at_most_one_lead():
    lead = ParticipationFactory(role=ActivityParticipation.Role.LEAD)
    _refused(
        lambda: ParticipationFactory(activity=lead.activity, role=ActivityParticipation.Role.LEAD),
        "one_lead",
    )
    # A partner beside the lead is fine.
    assert ParticipationFactory(activity=lead.activity, role="partner").pk


def test_an_organization_participates_once_per_activity():
    first = ParticipationFactory(role="partner")
    _refused(
        lambda: ParticipationFactory(
            activity=first.activity, organization=first.organization, role="supporting"
        ),
        "unique_organization",
    )


def test_priority_is_designated_once_a_year_with_a_positive_rank():
    priority = PriorityFactory(year=2016, rank=1)
    _refused(lambda: PriorityFactory(activity=priority.activity, year=2016), "once_a_year")
    _refused(lambda: PriorityFactory(rank=0), "activities_prioritydesignation_rank_positive")
    _refused(lambda: PriorityFactory(year=1800), "activities_prioritydesignation_year_plausible")


def test_milestone_weight_is_positive():
    _refused(lambda: MilestoneFactory(weight=0), "activities_milestone_weight_positive")


def test_indicator_target_lies_in_its_direction_after_its_baseline():
    _refused(
        lambda: IndicatorFactory(direction="increase", baseline=10, target=5),
        "activities_indicator_target_in_direction",
    )
    _refused(
        lambda: IndicatorFactory(direction="decrease", baseline=10, target=20),
        "activities_indicator_target_in_direction",
    )
    _refused(
        lambda: IndicatorFactory(
            baseline_date=dt.date(2016, 12, 31), target_date=dt.date(2016, 1, 1)
        ),
        "activities_indicator_baseline_before_target",
    )


def test_one_measurement_per_indicator_and_day():
    measurement = MeasurementFactory()
    _refused(
        lambda: MeasurementFactory(
            indicator=measurement.indicator, measured_on=measurement.measured_on
        ),
        "one_per_day",
    )


@pytest.mark.parametrize("percent", [-1, 101])
def test_progress_is_a_percentage(percent):
    # PositiveSmallIntegerField refuses -1 on its own check; 101 is the named constraint's.
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdateFactory(percent_complete=percent)


def test_an_approved_update_names_its_reviewer_and_time():
    _refused(
        lambda: ProgressUpdateFactory(state=ProgressUpdate.State.APPROVED),
        "activities_progressupdate_approved_has_reviewer",
    )


def test_a_returned_update_carries_a_note():
    reviewer = make_user(role="manager")
    _refused(
        lambda: ProgressUpdateFactory(
            state=ProgressUpdate.State.RETURNED,
            submitted_at=dt.datetime(2016, 6, 1, tzinfo=dt.UTC),
            reviewer=reviewer,
            reviewed_at=dt.datetime(2016, 6, 2, tzinfo=dt.UTC),
            review_note="",
        ),
        "activities_progressupdate_returned_has_note",
    )


def test_a_submitted_update_has_a_submission_time():
    _refused(
        lambda: ProgressUpdateFactory(state=ProgressUpdate.State.SUBMITTED, submitted_at=None),
        "activities_progressupdate_submitted_has_time",
    )


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5")])
def test_funding_amount_is_positive(amount):
    _refused(lambda: FundingFactory(amount=amount), "activities_fundingcommitment_amount_positive")


def test_funding_currency_is_an_iso_code():
    _refused(lambda: FundingFactory(currency="eur"), "activities_fundingcommitment_currency_iso")
