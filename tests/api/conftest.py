"""Fixtures for the API tests: a small partnership world, people in every role, and API clients
authenticated with real tokens (the way REST clients call)."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from knox.models import AuthToken
from rest_framework.test import APIClient

from activities.models import ActivityParticipation
from partnership.models import Profile
from tests.factories import (
    ActivityFactory,
    MatrixFactory,
    OrganizationFactory,
    ParticipationFactory,
    PartnershipFactory,
    PlanFactory,
    make_user,
)

API = "/api/v1"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        _, token = AuthToken.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def world(db):
    """INTERPOL and UNODC in a partnership with a 2016 plan and matrix; activity T-01 led by
    INTERPOL alone; a viewer of UNODC (staff of a partner: the `partners` tier, the default, is
    theirs to read), a viewer of no organization (`stranger`), an INTERPOL liaison officer
    (participating), a UNODC liaison officer (not participating in T-01), two managers."""
    interpol = OrganizationFactory(acronym="INTERPOL", name="International Criminal Police Org.")
    unodc = OrganizationFactory(acronym="UNODC", name="UN Office on Drugs and Crime")
    partnership = PartnershipFactory(name="INTERPOL–UNODC")
    partnership.organizations.set([interpol, unodc])
    plan = PlanFactory(partnership=partnership, title="Joint Action Plan 2016")
    matrix = MatrixFactory(plan=plan)
    activity = ActivityFactory(matrix=matrix, code="T-01", title="Foreign terrorist fighters")
    ParticipationFactory(
        activity=activity, organization=interpol, role=ActivityParticipation.Role.LEAD
    )
    return SimpleNamespace(
        interpol=interpol,
        unodc=unodc,
        partnership=partnership,
        plan=plan,
        matrix=matrix,
        activity=activity,
        viewer=make_user(Profile.Role.VIEWER, organization=unodc, username="viewer"),
        stranger=make_user(Profile.Role.VIEWER, username="stranger"),
        liaison=make_user(Profile.Role.LIAISON_OFFICER, organization=interpol, username="liaison"),
        outsider=make_user(Profile.Role.LIAISON_OFFICER, organization=unodc, username="outsider"),
        manager=make_user(Profile.Role.MANAGER, username="manager"),
        manager2=make_user(Profile.Role.MANAGER, username="manager2"),
    )


@pytest.fixture
def as_manager(world) -> APIClient:
    return client_for(world.manager)


@pytest.fixture
def as_liaison(world) -> APIClient:
    return client_for(world.liaison)


@pytest.fixture
def as_viewer(world) -> APIClient:
    return client_for(world.viewer)


@pytest.fixture
def as_outsider(world) -> APIClient:
    return client_for(world.outsider)
