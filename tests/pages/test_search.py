"""The header's search (issue 16): activities, milestones and progress updates by text, each with
where it sits in the framework, drafts only for those who may read them."""

import pytest
from django.utils import timezone

from tests.factories import (
    ActivityFactory,
    MilestoneFactory,
    ParticipationFactory,
    ProgressUpdateFactory,
    liaison_for,
    partner_viewer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def found():
    activity = ActivityFactory(code="S-01", title="Wildlife crime", description="Ivory routes.")
    author = liaison_for(activity, username="author")
    return {
        "activity": activity,
        "author": author,
        "milestone": MilestoneFactory(activity=activity, title="Ivory seizure workshop"),
        "draft": ProgressUpdateFactory(activity=activity, author=author, narrative="Ivory draft"),
        "sent": ProgressUpdateFactory(
            activity=activity,
            author=author,
            state="submitted",
            submitted_at=timezone.now(),
            narrative="Ivory tracked in four ports.",
        ),
        "other": ActivityFactory(code="S-02", title="Cybercrime"),
    }


def _search(client, user, q):
    client.force_login(user)
    return client.get("/search/", {"q": q})


def test_a_search_finds_each_kind_with_where_it_sits(client, found):
    html = _search(client, found["author"], "ivory").content.decode()
    assert "4 hits for “ivory”." in html
    assert "S-01</a> Wildlife crime" in html  # the activity, by its description
    assert "Ivory seizure workshop" in html
    assert "Ivory tracked in four ports." in html and "Ivory draft" in html
    plan = found["activity"].matrix.plan.title
    assert f"{plan} · matrix edition 1 · Terrorism" in html
    assert "Cybercrime" not in html


def test_a_viewer_does_not_find_drafts(client, found):
    html = _search(client, partner_viewer(found["activity"]), "ivory").content.decode()
    assert "Ivory tracked in four ports." in html
    assert "Ivory draft" not in html
    assert "Progress updates (1)" in html


def test_a_search_too_short_says_so_and_finds_nothing(client, found):
    html = _search(client, found["author"], "i").content.decode()
    assert "Type at least 2 characters to search." in html
    assert "hits for" not in html


def test_the_search_box_is_in_the_header_of_every_page(client, found):
    client.force_login(found["author"])
    for path in ("/", "/activities/", f"/activities/{found['activity'].pk}/"):
        assert 'role="search" class="header-search"' in client.get(path).content.decode(), path


def test_a_search_reads_the_same_queries_however_many_hits(
    client, found, django_assert_num_queries
):
    """session, user; the profile (whose organization decides which field groups they may
    search), the profile (header); the activities, the milestones and the updates the viewer may
    read, each with its total: 7, for 1, 26 or 61 hits of each kind."""
    client.force_login(found["author"])
    with django_assert_num_queries(7):
        client.get("/search/", {"q": "ivory"})

    def grow(n):
        for i in range(n):
            activity = ActivityFactory(title=f"Ivory grown {i}")
            ParticipationFactory(activity=activity)
            MilestoneFactory(activity=activity, title=f"Ivory milestone {i}")
            ProgressUpdateFactory(
                activity=activity, state="submitted", submitted_at=timezone.now(), narrative="ivory"
            )

    grow(25)
    with django_assert_num_queries(7):
        client.get("/search/", {"q": "ivory"})
    grow(35)
    with django_assert_num_queries(7):
        html = client.get("/search/", {"q": "ivory"}).content.decode()
    assert "Activities (61)" in html and "The first 20 of 61 are listed" in html
