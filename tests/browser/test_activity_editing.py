"""Editing an activity in Chromium (issue 16): each new form saved, refused for invalid input with
its message, refused for a role that may not act, and refused with the conflict message when
someone else saved first. After each save the message saying so is in view (no jump to an
anchor further down). Screenshots: edit-*.png."""

import datetime as dt

import pytest
from django.utils import timezone

from activities.models import (
    Activity,
    FundingCommitment,
    Milestone,
    PriorityDesignation,
    ProgressUpdate,
)
from partnership.models import Organization, Profile
from tests.browser.conftest import login
from tests.factories import (
    ActivityFactory,
    FundingFactory,
    MatrixFactory,
    MilestoneFactory,
    OrganizationFactory,
    ParticipationFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    TopicFactory,
    make_user,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def w():
    interpol = OrganizationFactory(acronym="INTERPOL")
    unodc = OrganizationFactory(acronym="UNODC")
    OrganizationFactory(acronym="EU", name="European Union", kind=Organization.Kind.DONOR)
    TopicFactory(code="drugs", name="Drugs")
    matrix = MatrixFactory()
    activity = ActivityFactory(matrix=matrix, code="B-01", title="Border management")
    ParticipationFactory(activity=activity, organization=interpol, role="lead")
    return {
        "activity": activity,
        "matrix": matrix,
        "interpol": interpol,
        "unodc": unodc,
        "liaison": make_user(Profile.Role.LIAISON_OFFICER, organization=interpol, username="lo"),
        "manager": make_user(Profile.Role.MANAGER, username="boss"),
        "viewer": make_user(Profile.Role.VIEWER, username="reader"),
    }


def message_in_view(page, text: str) -> bool:
    status = page.get_by_role("status").filter(has_text=text).first
    box = status.bounding_box()
    viewport = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]


def bump(activity) -> None:
    Activity.objects.filter(pk=activity.pk).update(version=activity.version + 5)


def test_a_liaison_officer_creates_an_activity(page, w, screenshot):
    login(page, "lo")
    page.goto("/activities/")
    page.get_by_role("link", name="New activity").click()
    page.get_by_label("Code").fill("B-02")
    page.get_by_label("Title").fill("Joint training on document fraud")
    page.get_by_label("Start date").fill("2016-05-01")
    page.get_by_label("End date").fill("2016-04-01")
    page.get_by_role("button", name="Create activity").click()
    assert "There is a problem" in page.locator(".error-summary").first.inner_text()
    screenshot(page, "edit-activity-new-refused")
    assert not Activity.objects.filter(code="B-02").exists()

    page.get_by_label("End date").fill("2016-12-31")
    page.get_by_role("button", name="Create activity").click()
    assert message_in_view(page, "Activity B-02 created.")
    created = Activity.objects.get(code="B-02")
    assert created.participations.get().organization == w["interpol"]
    screenshot(page, "edit-activity-new-saved")


def test_a_viewer_is_refused_the_new_activity_form(page, w, screenshot):
    login(page, "reader")
    page.goto("/activities/")
    assert page.get_by_role("link", name="New activity").count() == 0
    page.goto("/activities/new/")
    assert page.get_by_role("heading", name="You may not do this").is_visible()
    screenshot(page, "edit-activity-new-viewer-refused")


def test_organizations_are_edited_with_one_lead_and_a_conflict_is_told(page, w, screenshot):
    a = w["activity"]
    login(page, "lo")
    page.goto(f"/activities/{a.pk}/")
    page.get_by_role("link", name="Edit organizations").click()
    page.locator("#id_p-1-organization").select_option(label="UNODC")
    page.locator("#id_p-1-role").select_option("lead")
    page.get_by_role("button", name="Save organizations").click()
    assert "exactly one lead organization" in page.locator(".error-summary").first.inner_text()
    screenshot(page, "edit-organizations-refused")

    page.locator("#id_p-1-role").select_option("partner")
    page.locator("#id_p-1-contribution").fill("Research and analysis")
    bump(a)
    page.get_by_role("button", name="Save organizations").click()
    assert "Someone else changed this activity" in page.get_by_role("alert").first.inner_text()
    screenshot(page, "edit-organizations-conflict")

    page.locator("#id_p-1-organization").select_option(label="UNODC")
    page.locator("#id_p-1-role").select_option("partner")
    page.get_by_role("button", name="Save organizations").click()
    assert message_in_view(page, "Organizations of B-01 saved.")
    assert a.participations.count() == 2


def test_topics_and_targets_are_saved(page, w, screenshot):
    a = w["activity"]
    login(page, "lo")
    page.goto(f"/activities/{a.pk}/")
    page.get_by_role("link", name="Edit topics and targets").click()
    page.get_by_label("Drugs").check()
    page.get_by_label("16.4", exact=False).first.check()
    screenshot(page, "edit-topics-form")
    page.get_by_role("button", name="Save topics and targets").click()
    assert message_in_view(page, "Topics and SDG targets of B-01 saved.")
    assert list(a.topics.values_list("name", flat=True)) == ["Drugs"]
    assert a.sdg_targets.filter(code="16.4").exists()


def test_funding_is_added_refused_edited_and_removed(page, w, screenshot):
    a = w["activity"]
    login(page, "lo")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"/activities/{a.pk}/")
    page.get_by_role("link", name="Add funding").click()
    page.get_by_label("Donor").select_option(label="EU")
    page.get_by_label("Amount").fill("0")
    page.get_by_label("Status").select_option("pledged")
    page.get_by_label("Date").fill("2016-04-01")
    page.get_by_role("button", name="Add funding").click()
    assert "The amount must be more than zero." in page.locator(".error-summary").inner_text()
    screenshot(page, "edit-funding-refused")
    page.get_by_label("Amount").fill("75000")
    page.get_by_role("button", name="Add funding").click()
    assert message_in_view(page, "Funding from EU added.")
    commitment = FundingCommitment.objects.get()

    page.get_by_role("link", name="Edit the funding from EU").click()
    page.get_by_label("Status").select_option("committed")
    bump(a)
    page.get_by_role("button", name="Save funding").click()
    assert "Someone else changed this activity" in page.get_by_role("alert").first.inner_text()
    page.get_by_role("button", name="Save funding").click()
    assert message_in_view(page, "Funding from EU saved.")
    commitment.refresh_from_db()
    assert commitment.status == "committed"

    page.get_by_role("button", name="Remove the funding from EU").click()
    assert message_in_view(page, "Funding from EU removed.")
    assert not FundingCommitment.objects.exists()


def test_an_outsider_sees_no_edit_controls_and_is_refused(page, w):
    a = w["activity"]
    FundingFactory(activity=a)
    make_user(Profile.Role.LIAISON_OFFICER, organization=w["unodc"], username="outsider")
    login(page, "outsider")
    page.goto(f"/activities/{a.pk}/")
    for name in ("Edit organizations", "Add funding", "Edit topics and targets"):
        assert page.get_by_role("link", name=name).count() == 0
    for path in ("organizations/", "links/", "funding/new/"):
        page.goto(f"/activities/{a.pk}/{path}")
        assert page.get_by_role("heading", name="You may not do this").is_visible(), path


def test_a_milestone_is_edited_refused_and_deleted(page, w, screenshot):
    a = w["activity"]
    milestone = MilestoneFactory(activity=a, title="Workshop", due_date=dt.date(2016, 6, 1))
    login(page, "lo")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"/activities/{a.pk}/")
    page.get_by_role("link", name="Edit “Workshop”").click()
    page.get_by_label("Due date").fill("2017-02-01")
    page.get_by_role("button", name="Save milestone").click()
    assert "outside" in page.locator(".error-summary").inner_text()
    screenshot(page, "edit-milestone-refused")

    page.get_by_label("Due date").fill("2016-06-20")
    page.get_by_label("Title").fill("Regional workshop")
    Milestone.objects.filter(pk=milestone.pk).update(version=9, title="Renamed by someone")
    page.get_by_role("button", name="Save milestone").click()
    assert "Renamed by someone" in page.get_by_role("alert").first.inner_text()
    screenshot(page, "edit-milestone-conflict")
    page.get_by_role("button", name="Save milestone").click()
    assert message_in_view(page, "Milestone “Regional workshop” saved.")

    page.get_by_role("button", name="Delete “Regional workshop”").click()
    assert message_in_view(page, "Milestone “Regional workshop” deleted.")
    assert not Milestone.objects.exists()


def test_the_author_withdraws_and_deletes_their_updates(page, w, screenshot):
    a = w["activity"]
    draft = ProgressUpdateFactory(activity=a, author=w["liaison"], narrative="A draft")
    sent = ProgressUpdateFactory(
        activity=a,
        author=w["liaison"],
        state="submitted",
        submitted_at=timezone.now(),
        period_end=dt.date(2016, 5, 31),
    )
    login(page, "lo")
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"/activities/{a.pk}/")
    screenshot(page, "edit-updates-take-back")
    page.locator(f"#update-{sent.pk}").get_by_role("button", name="Withdraw from approval").click()
    assert message_in_view(page, "it is a draft again")
    sent.refresh_from_db()
    assert sent.state == ProgressUpdate.State.DRAFT

    ProgressUpdate.objects.filter(pk=draft.pk).update(version=7)  # someone edited it meanwhile
    page.locator(f"#update-{draft.pk}").get_by_role("button", name="Delete draft").click()
    assert "Someone else changed" in page.get_by_role("status").first.inner_text()
    page.locator(f"#update-{draft.pk}").get_by_role("button", name="Delete draft").click()
    assert message_in_view(page, "Draft deleted.")
    assert not ProgressUpdate.objects.filter(pk=draft.pk).exists()


def test_a_manager_ranks_the_priorities_of_a_year(page, w, screenshot):
    a = w["activity"]
    other = ActivityFactory(matrix=w["matrix"], code="B-05", title="Maritime crime")
    PriorityFactory(activity=a, rank=1)
    login(page, "boss")
    page.goto("/priorities/2016/edit/")
    page.locator("#id_r-1-code").fill("B-05")
    page.locator("#id_r-1-rank").fill("1")
    page.get_by_role("button", name="Save priorities").click()
    assert "given more than once: 1." in page.locator(".error-summary").inner_text()
    screenshot(page, "edit-priorities-refused")

    page.locator("#id_r-0-rank").fill("2")
    PriorityFactory(activity=ActivityFactory(matrix=w["matrix"]), rank=9)  # someone else's
    page.get_by_role("button", name="Save priorities").click()
    assert "Someone else changed this year's priorities" in page.get_by_role("alert").inner_text()
    page.locator("#id_r-0-rank").fill("2")
    page.locator("#id_r-2-code").fill("B-05")
    page.locator("#id_r-2-rank").fill("1")
    page.get_by_role("button", name="Save priorities").click()
    assert message_in_view(page, "The priorities of 2016 are saved.")
    assert list(
        PriorityDesignation.objects.filter(year=2016)
        .order_by("rank")
        .values_list("activity", flat=True)
    )[:2] == [other.pk, a.pk]
    screenshot(page, "edit-priorities-saved")

    page.get_by_role("button", name="Log out").click()
    login(page, "lo")
    page.goto("/priorities/2016/edit/")
    assert page.get_by_role("heading", name="You may not do this").is_visible()
