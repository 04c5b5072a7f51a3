"""The activity list's token authentication answers what DRF's TokenAuthentication answers, and
reads the list's data revision in the same single query."""

import pytest
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from activities.api.authentication import EXTRA, TokenAuthenticationWithListRevision
from activities.models import Activity, DataRevision


@pytest.fixture
def token(world) -> Token:
    return Token.objects.create(user=world.viewer)


def test_it_returns_the_user_and_token_drf_returns(token, django_assert_num_queries):
    drf_user, drf_token = TokenAuthentication().authenticate_credentials(token.key)
    with django_assert_num_queries(1):
        user, ours = TokenAuthenticationWithListRevision().authenticate_credentials(token.key)
    assert (user, ours) == (drf_user, drf_token)
    assert {f.attname: getattr(user, f.attname) for f in user._meta.concrete_fields} == {
        f.attname: getattr(drf_user, f.attname) for f in drf_user._meta.concrete_fields
    }
    assert not set(EXTRA) & set(vars(user))  # the revision's columns are not left on the user
    assert ours.user is user
    assert ours.created == drf_token.created  # deferred, loaded on access like the ORM's


def test_it_reads_the_current_revision(world, token):
    Activity.objects.filter(pk=world.activity.pk).update(title="Moves the revision")
    current = DataRevision.objects.get(pk=DataRevision.ROW)
    _, ours = TokenAuthenticationWithListRevision().authenticate_credentials(token.key)
    assert ours.list_revision == (current.token, current.counter)


def test_without_a_revision_yet_it_says_so(token):
    DataRevision.objects.all().delete()
    _, ours = TokenAuthenticationWithListRevision().authenticate_credentials(token.key)
    assert ours.list_revision is None


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (lambda token: token.delete(), "Invalid token."),
        (
            lambda token: type(token.user).objects.filter(pk=token.user_id).update(is_active=False),
            "User inactive or deleted.",
        ),
    ],
)
def test_it_refuses_what_drf_refuses_with_drfs_message(token, break_it, message):
    key = token.key
    break_it(token)
    for authentication in (TokenAuthentication(), TokenAuthenticationWithListRevision()):
        with pytest.raises(AuthenticationFailed) as refused:
            authentication.authenticate_credentials(key)
        assert str(refused.value.detail) == message
