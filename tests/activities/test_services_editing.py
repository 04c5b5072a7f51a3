"""The services behind the editing pages of issue 16: funding, deleting milestones, taking back
an update, ranking a year's priorities. Each refuses what it must with nothing written, and
announces what changes an activity's monitoring facts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities import selectors, services
from activities.exceptions import ConflictError, FundingConflict, InvalidTransition, NotAllowed
from activities.models import (
    Activity,
    Event,
    FundingCommitment,
    Indicator,
    Milestone,
    PriorityDesignation,
)
from partnership.models import Organization, Profile
from tests.factories import (
    ActivityFactory,
    FundingFactory,
    IndicatorFactory,
    MilestoneFactory,
    OrganizationFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    liaison_for,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity():
    return ActivityFactory()


def _announced(activity) -> list[str]:
    return [e.note for e in Event.objects.all() if activity.pk in e.activity_ids]


def test_funding_is_added_with_the_activitys_version_and_announced(activity):
    donor = OrganizationFactory(kind=Organization.Kind.DONOR)
    liaison = liaison_for(activity)
    commitment = services.add_funding(
        actor=liaison,
        activity=activity,
        version=1,
        donor=donor,
        amount=Decimal("10"),
        status="pledged",
        date=dt.date(2016, 3, 1),
        currency="eur",
    )
    assert commitment.currency == "EUR"
    activity.refresh_from_db()
    assert activity.version == 2
    assert _announced(activity) == ["funding_added"]
    with pytest.raises(ConflictError):
        services.add_funding(
            actor=liaison,
            activity=activity,
            version=1,
            donor=donor,
            amount=Decimal("10"),
            status="pledged",
            date=dt.date(2016, 3, 1),
        )
    assert FundingCommitment.objects.count() == 1


def test_funding_input_is_refused_with_every_error_and_nothing_written(activity):
    with pytest.raises(ValidationError) as refused:
        services.add_funding(
            actor=None,
            activity=activity,
            version=1,
            donor=OrganizationFactory(),
            amount=Decimal("-1"),
            status="pledged",
            date=dt.date(2016, 3, 1),
            currency="euro",
        )
    assert set(refused.value.message_dict) == {"amount", "currency"}
    activity.refresh_from_db()
    assert (activity.version, FundingCommitment.objects.count()) == (1, 0)


def test_an_outsider_may_not_change_funding(activity):
    commitment = FundingFactory(activity=activity)
    outsider = make_user(Profile.Role.LIAISON_OFFICER)
    with pytest.raises(NotAllowed):
        services.remove_funding(actor=outsider, commitment=commitment, version=1)
    with pytest.raises(NotAllowed):
        services.update_funding(
            actor=outsider, commitment=commitment, version=1, changes={"amount": Decimal(1)}
        )
    assert FundingCommitment.objects.get().amount == Decimal("50000")


def test_deleting_a_milestone_checks_its_version_and_announces_it(activity):
    milestone = MilestoneFactory(activity=activity)
    with pytest.raises(ConflictError):
        services.delete_milestone(actor=None, milestone=milestone, version=2)
    services.delete_milestone(actor=None, milestone=milestone, version=1)
    assert not Milestone.objects.exists()
    assert _announced(activity) == ["milestone_deleted"]


def test_only_the_author_takes_back_an_update_and_only_from_its_state(activity):
    author = liaison_for(activity)
    colleague = make_user(Profile.Role.LIAISON_OFFICER, organization=author.profile.organization)
    draft = ProgressUpdateFactory(activity=activity, author=author)
    with pytest.raises(NotAllowed):
        services.delete_progress_update(actor=colleague, update=draft, version=1)
    with pytest.raises(InvalidTransition):
        services.withdraw_progress_update(actor=author, update=draft, version=1)
    sent = ProgressUpdateFactory(
        activity=activity, author=author, state="submitted", submitted_at=timezone.now()
    )
    services.withdraw_progress_update(actor=author, update=sent, version=1)
    sent.refresh_from_db()
    assert (sent.state, sent.submitted_at, sent.version) == ("draft", None, 2)
    services.delete_progress_update(actor=author, update=sent, version=2)
    assert activity.updates.count() == 1


def test_a_years_priorities_are_set_exactly_with_an_optimistic_check():
    first, second, third = ActivityFactory(), ActivityFactory(), ActivityFactory()
    PriorityFactory(activity=first, rank=1)
    PriorityFactory(activity=second, rank=2)
    seen = services.priority_fingerprint(PriorityDesignation.objects.filter(year=2016))
    manager = make_user(Profile.Role.MANAGER)
    services.set_priorities(
        actor=manager,
        year=2016,
        expected=seen,
        priorities=[
            services.RankedPriority(activity=third, rank=1, rationale="New"),
            services.RankedPriority(activity=first, rank=2),
        ],
    )
    assert list(
        PriorityDesignation.objects.filter(year=2016)
        .order_by("rank")
        .values_list("activity_id", "rank")
    ) == [(third.pk, 1), (first.pk, 2)]
    # The page the manager saw is now stale: nothing written.
    with pytest.raises(ConflictError):
        services.set_priorities(actor=manager, year=2016, expected=seen, priorities=[])
    assert PriorityDesignation.objects.count() == 2
    event = Event.objects.filter(note="priorities_ranked").get()
    assert set(event.activity_ids) == {first.pk, second.pk, third.pk}


def test_priorities_refuse_a_rank_twice_and_a_non_manager():
    activity, other = ActivityFactory(), ActivityFactory()
    ranked = [
        services.RankedPriority(activity=activity, rank=1),
        services.RankedPriority(activity=other, rank=1),
    ]
    with pytest.raises(ValidationError) as refused:
        services.set_priorities(actor=None, year=2016, expected=None, priorities=ranked)
    assert "given more than once: 1." in str(refused.value)
    with pytest.raises(NotAllowed):
        services.set_priorities(
            actor=make_user(Profile.Role.LIAISON_OFFICER), year=2016, expected=None, priorities=[]
        )
    assert not PriorityDesignation.objects.exists()


def test_a_funding_line_changed_since_it_was_read_is_a_conflict_by_its_fingerprint(activity):
    commitment = FundingFactory(activity=activity)
    read = selectors.funding_fingerprint(commitment)
    FundingCommitment.objects.update(amount=Decimal("1"))
    with pytest.raises(FundingConflict):
        services.update_funding(
            actor=None,
            commitment=commitment,
            version=None,
            fingerprint=read,
            changes={"status": "received"},
        )
    with pytest.raises(FundingConflict):
        services.remove_funding(actor=None, commitment=commitment, version=None, fingerprint=read)
    activity.refresh_from_db()
    assert (activity.version, FundingCommitment.objects.get().status) == (1, commitment.status)
    commitment.refresh_from_db()
    services.remove_funding(
        actor=None,
        commitment=commitment,
        version=None,
        fingerprint=selectors.funding_fingerprint(commitment),
    )
    assert not FundingCommitment.objects.exists()
    assert _announced(activity) == ["funding_removed"]


def test_an_indicator_is_edited_at_its_version_with_every_error_at_once(activity):
    indicator = IndicatorFactory(activity=activity)
    liaison = liaison_for(activity)
    with pytest.raises(ConflictError):
        services.update_indicator(
            actor=liaison, indicator=indicator, version=2, changes={"name": "Renamed"}
        )
    with pytest.raises(ValidationError) as refused:
        services.update_indicator(
            actor=liaison,
            indicator=indicator,
            version=1,
            changes={"kind": Indicator.Kind.PERCENTAGE, "target": Decimal("150"), "name": ""},
        )
    assert {"target", "name"} <= set(refused.value.message_dict)
    edited = services.update_indicator(
        actor=liaison, indicator=indicator, version=1, changes={"name": "Renamed"}
    )
    assert (edited.name, edited.version) == ("Renamed", 2)
    assert _announced(activity) == ["indicator_edited"]
    with pytest.raises(NotAllowed):
        services.update_indicator(
            actor=make_user(Profile.Role.LIAISON_OFFICER),
            indicator=edited,
            version=2,
            changes={"name": "Outsider"},
        )
    assert Indicator.objects.get().name == "Renamed"


def test_deleting_an_indicator_checks_its_version_and_announces_it(activity):
    indicator = IndicatorFactory(activity=activity)
    with pytest.raises(ConflictError):
        services.delete_indicator(actor=None, indicator=indicator, version=2)
    services.delete_indicator(actor=liaison_for(activity), indicator=indicator, version=1)
    assert not Indicator.objects.exists()
    assert _announced(activity) == ["indicator_deleted"]


def test_only_a_manager_deletes_an_activity_and_never_one_with_reports(activity):
    with pytest.raises(NotAllowed):
        services.delete_activity(actor=liaison_for(activity), activity=activity, version=1)
    reported = ActivityFactory()
    ProgressUpdateFactory(activity=reported)
    manager = make_user(Profile.Role.MANAGER)
    with pytest.raises(ValidationError):
        services.delete_activity(actor=manager, activity=reported, version=1)
    with pytest.raises(ConflictError):
        services.delete_activity(actor=manager, activity=activity, version=2)
    services.delete_activity(actor=manager, activity=activity, version=1)
    assert list(Activity.objects.values_list("pk", flat=True)) == [reported.pk]
    reported.refresh_from_db()
    assert reported.version == 1
