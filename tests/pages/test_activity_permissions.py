"""Every write page of the activity pages refuses those who may not write, and changes nothing.

Anonymous visitors are sent to the login page; viewers and liaison officers of organizations that
do not take part in the activity get 403 (and, for reviews, so does everyone but a manager)."""

import pytest
from django.utils import timezone

from activities.models import (
    Activity,
    Indicator,
    Measurement,
    Milestone,
    ProgressUpdate,
)
from tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
    liaison_for,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    activity = ActivityFactory()
    insider = liaison_for(activity, username="insider")
    return {
        "activity": activity,
        "milestone": MilestoneFactory(activity=activity),
        "indicator": IndicatorFactory(activity=activity),
        "draft": ProgressUpdateFactory(activity=activity, author=insider),
        "submitted": ProgressUpdateFactory(
            activity=activity,
            author=insider,
            state=ProgressUpdate.State.SUBMITTED,
            submitted_at=timezone.now(),
        ),
    }


def writes(w) -> list[tuple[str, dict]]:
    a, m, i, d, s = w["activity"], w["milestone"], w["indicator"], w["draft"], w["submitted"]
    return [
        (f"/activities/{a.pk}/edit/", {"version": 1, "title": "X"}),
        (
            f"/activities/{a.pk}/milestones/new/",
            {"title": "X", "due_date": "2016-10-01", "weight": 1},
        ),
        (f"/activities/{a.pk}/milestones/{m.pk}/complete/", {"version": 1}),
        (
            f"/activities/{a.pk}/indicators/{i.pk}/measurements/new/",
            {"measured_on": "2016-10-01", "value": "1"},
        ),
        (
            f"/activities/{a.pk}/updates/new/",
            {
                "period_end": "2016-10-01",
                "percent_complete": 1,
                "narrative": "X",
                "action": "submit",
            },
        ),
        (f"/activities/{a.pk}/updates/{d.pk}/edit/", {"version": 1, "narrative": "X"}),
        (f"/activities/{a.pk}/updates/{d.pk}/submit/", {"version": 1}),
        (f"/approvals/{s.pk}/approve/", {f"a{s.pk}-version": 1}),
        (f"/approvals/{s.pk}/return/", {f"r{s.pk}-version": 1, f"r{s.pk}-note": "X"}),
    ]


def snapshot() -> tuple:
    """Everything the write pages could change."""
    return (
        list(Activity.objects.values_list("id", "version", "title")),
        list(Milestone.objects.values_list("id", "version", "completed_on")),
        Indicator.objects.count(),
        Measurement.objects.count(),
        list(ProgressUpdate.objects.values_list("id", "version", "state", "narrative")),
    )


@pytest.mark.parametrize("who", ["viewer", "outsider liaison officer"])
def test_every_write_is_refused_with_403_and_changes_nothing(client, world, who):
    if who == "viewer":
        user = make_user(username="viewer")
    else:
        user = make_user(role="liaison_officer", username="outsider")
    client.force_login(user)
    before = snapshot()
    for url, data in writes(world):
        assert client.post(url, data).status_code == 403, url
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    before = snapshot()
    for url, data in writes(world):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    assert snapshot() == before


def test_a_participating_liaison_officer_may_not_review(client, world):
    client.force_login(world["draft"].author)
    before = snapshot()
    for url, data in writes(world)[-2:]:
        assert client.post(url, data).status_code == 403, url
    assert client.get("/approvals/").status_code == 403
    assert snapshot() == before


def test_the_write_pages_need_a_post(client, world):
    client.force_login(make_user(role="manager"))
    a, m, s = world["activity"], world["milestone"], world["submitted"]
    for url in (
        f"/activities/{a.pk}/milestones/{m.pk}/complete/",
        f"/activities/{a.pk}/updates/{world['draft'].pk}/submit/",
        f"/approvals/{s.pk}/approve/",
        f"/approvals/{s.pk}/return/",
    ):
        assert client.get(url).status_code == 405, url
