"""Every page that works on one activity finds it through activities.page_selectors.
activity_or_404: an id that names no activity is a 404 on each of them, and the helper reads the
activity with its participations in two queries."""

import pytest
from django.http import Http404
from django.urls import reverse

from activities import page_selectors
from partnership.models import Profile
from tests.factories import ActivityFactory, ParticipationFactory, make_user

pytestmark = pytest.mark.django_db

MISSING = 987654


@pytest.mark.parametrize(
    "name",
    [
        "activities:edit",
        "activities:links-edit",
        "activities:funding-add",
        "activities:milestone-add",
        "activities:update-new",
        "geography:places-edit",
        "conversation:thread",
        "publication:disclosure",
    ],
)
def test_a_missing_activity_is_a_404_on_every_page_that_works_on_one(client, name):
    client.force_login(make_user(role=Profile.Role.MANAGER, username="manager"))
    response = client.get(reverse(name, args=[MISSING]))
    assert response.status_code == 404


def test_activity_or_404_reads_the_activity_and_its_participations(django_assert_num_queries):
    activity = ActivityFactory()
    ParticipationFactory(activity=activity)
    with django_assert_num_queries(2):
        found = page_selectors.activity_or_404(activity.pk)
        assert len(found.participations.all()) == 1
        assert found.matrix.plan.pk == activity.matrix.plan_id
    with pytest.raises(Http404):
        page_selectors.activity_or_404(MISSING)
