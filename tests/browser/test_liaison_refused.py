"""A liaison officer of an organization that does not take part in an activity sees no edit
controls on its page, and is refused (403) when posting to the write pages directly."""

import pytest

from activities.models import Activity, Milestone, ProgressUpdate
from tests.browser.conftest import login
from tests.factories import (
    ActivityFactory,
    IndicatorFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
    liaison_for,
    make_user,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_an_outsider_sees_no_edit_controls_and_direct_posts_are_refused(page, screenshot):
    activity = ActivityFactory(code="P16-09", title="Dark net research")
    insider = liaison_for(activity, username="insider")
    milestone = MilestoneFactory(activity=activity, title="Research report")
    IndicatorFactory(activity=activity, name="Dark net markets mapped")
    draft = ProgressUpdateFactory(activity=activity, author=insider)
    make_user(role="liaison_officer", username="outsider")

    login(page, "outsider")
    page.goto(f"/activities/{activity.pk}/")
    assert page.get_by_role("heading", name="P16-09 Dark net research").is_visible()
    for name in (
        "Edit activity",
        "Write a progress update",
        "Add a milestone",
        "Record a value",
    ):
        assert page.get_by_role("link", name=name).count() == 0, name
    assert page.get_by_role("button", name="Mark").count() == 0
    assert page.get_by_role("button", name="Submit for approval").count() == 0
    screenshot(page, "outsider-activity-without-edit-controls")

    # Posting directly, with a valid CSRF token from the session, is refused by the server.
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    headers = {"X-CSRFToken": token}
    posts = {
        f"/activities/{activity.pk}/edit/": {"version": "1", "title": "Hijacked"},
        f"/activities/{activity.pk}/updates/new/": {
            "period_end": "2016-09-30",
            "percent_complete": "90",
            "narrative": "Not mine to write.",
            "action": "submit",
        },
        f"/activities/{activity.pk}/milestones/{milestone.pk}/complete/": {"version": "1"},
        f"/activities/{activity.pk}/updates/{draft.pk}/submit/": {"version": "1"},
    }
    for url, form in posts.items():
        response = page.request.post(url, form=form, headers=headers)
        assert response.status == 403, url
        assert "CSRF" not in response.text()  # refused for the role, not for the token
        assert "You may not do this" in response.text()

    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Dark net research", 1)
    assert ProgressUpdate.objects.filter(activity=activity).count() == 1
    assert Milestone.objects.get(pk=milestone.pk).completed_on is None
    assert ProgressUpdate.objects.get(pk=draft.pk).state == ProgressUpdate.State.DRAFT
    assert Activity.objects.count() == 1

    # Opening a write page by its address says why it is refused.
    response = page.goto(f"/activities/{activity.pk}/edit/")
    assert response.status == 403
    assert (
        "Only liaison officers of an organization taking part"
        in page.get_by_role("alert").inner_text()
    )
    screenshot(page, "outsider-edit-refused")
