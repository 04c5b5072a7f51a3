"""Who may do what, per object (activities.permissions). The functions are pure, apart from the
one documented query for participations that were not prefetched."""

import pytest
from django.contrib.auth.models import AnonymousUser

from activities import permissions
from partnership.models import Profile
from tests.factories import (
    ActivityFactory,
    OrganizationFactory,
    ParticipationFactory,
    UserFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity():
    activity = ActivityFactory()
    ParticipationFactory(activity=activity, organization=OrganizationFactory(acronym="INTERPOL"))
    return activity


def test_roles_resolve_from_the_profile_with_sensible_defaults():
    assert permissions.role_of(AnonymousUser()) is None
    assert permissions.role_of(UserFactory()) == Profile.Role.VIEWER  # no profile
    assert permissions.role_of(UserFactory(is_superuser=True)) == Profile.Role.ADMIN
    assert permissions.role_of(make_user(Profile.Role.MANAGER)) == Profile.Role.MANAGER
    assert permissions.role_of(make_user(Profile.Role.MANAGER, is_active=False)) is None


@pytest.mark.parametrize(
    ("who", "can_edit", "can_approve"),
    [
        ("anonymous", False, False),
        ("no_profile", False, False),
        ("viewer", False, False),
        ("liaison_participating", True, False),
        ("liaison_other", False, False),
        ("manager", True, True),
        ("admin", True, True),
        ("superuser", True, True),
    ],
)
def test_edit_and_approve_by_role(activity, who, can_edit, can_approve):
    interpol = activity.participations.get().organization
    users = {
        "anonymous": lambda: AnonymousUser(),
        "no_profile": lambda: UserFactory(),
        "viewer": lambda: make_user(Profile.Role.VIEWER),
        "liaison_participating": lambda: make_user(
            Profile.Role.LIAISON_OFFICER, organization=interpol
        ),
        "liaison_other": lambda: make_user(Profile.Role.LIAISON_OFFICER),
        "manager": lambda: make_user(Profile.Role.MANAGER),
        "admin": lambda: make_user(Profile.Role.ADMIN),
        "superuser": lambda: UserFactory(is_superuser=True),
    }
    user = users[who]()
    assert permissions.can_edit_activity(user, activity) is can_edit
    assert permissions.can_approve(user) is can_approve
    assert permissions.can_request_monitoring_run(user) is can_approve
    assert permissions.can_set_override(user, activity) is can_approve


def test_prefetched_participations_need_no_query(activity, django_assert_num_queries):
    interpol = activity.participations.get().organization
    liaison = make_user(Profile.Role.LIAISON_OFFICER, organization=interpol)
    liaison.profile  # noqa: B018 - load the profile first, as a request would
    activity = type(activity).objects.prefetch_related("participations").get(pk=activity.pk)
    with django_assert_num_queries(0):
        assert permissions.can_edit_activity(liaison, activity)


def test_liaison_creates_only_with_their_own_organization():
    liaison = make_user(Profile.Role.LIAISON_OFFICER)
    own = liaison.profile.organization_id
    assert permissions.can_create_activity(liaison, [own]) is True
    assert permissions.can_create_activity(liaison, [own + 1000]) is False
    assert permissions.can_create_activity(make_user(Profile.Role.MANAGER), []) is True
    assert permissions.can_create_activity(make_user(Profile.Role.VIEWER), [own]) is False
