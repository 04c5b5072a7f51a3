"""A small world for the notification tests: an activity of a plan adopted for 2016, two
participating organizations with a liaison officer each, a focal point of the lead, two
managers and a viewer; everyone with an e-mail address. The clock is the test's to freeze."""

import datetime as dt
from typing import NamedTuple

import pytest

from activities.models import ActivityParticipation
from partnership.models import JointActionPlan, Profile
from tests.factories import (
    ActivityFactory,
    MatrixFactory,
    OrganizationFactory,
    ParticipationFactory,
    make_user,
)


class World(NamedTuple):
    activity: object
    officer: object  # the lead organization's liaison officer
    partner_officer: object
    focal_point: object
    manager: object
    other_manager: object
    viewer: object


@pytest.fixture
def world(db) -> World:
    matrix = MatrixFactory()
    plan = matrix.plan
    plan.state = JointActionPlan.State.ADOPTED
    plan.period_start, plan.period_end = dt.date(2016, 1, 1), dt.date(2016, 12, 31)
    plan.save()
    activity = ActivityFactory(
        matrix=matrix,
        code="T-01",
        title="Foreign terrorist fighters",
        start_date=dt.date(2016, 1, 1),
        end_date=dt.date(2016, 12, 31),
    )
    lead, partner = OrganizationFactory(acronym="INTERPOL"), OrganizationFactory(acronym="UNODC")
    ParticipationFactory(activity=activity, organization=lead, role=ActivityParticipation.Role.LEAD)
    ParticipationFactory(
        activity=activity, organization=partner, role=ActivityParticipation.Role.PARTNER
    )
    liaison = Profile.Role.LIAISON_OFFICER
    officer = make_user(liaison, organization=lead, username="officer", password=None)
    partner_officer = make_user(liaison, organization=partner, username="partner", password=None)
    focal_point = make_user(liaison, organization=lead, username="focal", password=None)
    Profile.objects.filter(user=focal_point).update(is_focal_point=True)
    # The activity names its officers: the focal point is not one of them.
    activity.liaison_officers.set([officer, partner_officer])
    manager = make_user(Profile.Role.MANAGER, username="manager", password=None)
    other_manager = make_user(Profile.Role.MANAGER, username="manager2", password=None)
    viewer = make_user(Profile.Role.VIEWER, username="viewer", password=None)
    return World(activity, officer, partner_officer, focal_point, manager, other_manager, viewer)
