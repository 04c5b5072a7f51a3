"""A liaison officer finds a 2016 priority with the filters and reports progress; a manager
approves the update and monitoring re-assesses the activity (eager Celery, in process), with
the machine's clock years after the plan: on the plan's latest assessed date."""

import datetime as dt

import pytest

from activities.models import Activity, ProgressUpdate
from monitoring import services
from monitoring.models import Assessment, MonitoringRun
from tests.browser.conftest import login
from tests.factories import (
    ActivityFactory,
    MatrixFactory,
    OrganizationFactory,
    ParticipationFactory,
    PriorityFactory,
    make_user,
    thematic_area,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def priorities_2016():
    interpol = OrganizationFactory(acronym="INTERPOL", name="INTERPOL")
    unodc = OrganizationFactory(acronym="UNODC", name="United Nations Office on Drugs and Crime")
    matrix = MatrixFactory()
    trafficking = thematic_area("trafficking-organized-crime")
    wildlife = ActivityFactory(
        matrix=matrix,
        code="P16-05",
        title="Wildlife and forest crime",
        thematic_area=trafficking,
    )
    others = [
        # Same thematic area, not a 2016 priority.
        ActivityFactory(matrix=matrix, code="T-10", title="Firearms", thematic_area=trafficking),
        # A 2016 priority in another area.
        ActivityFactory(matrix=matrix, code="P16-01", title="Foreign terrorist fighters"),
    ]
    for activity in [wildlife, *others]:
        ParticipationFactory(activity=activity, organization=interpol, role="lead")
        ParticipationFactory(activity=activity, organization=unodc, role="partner")
    PriorityFactory(activity=wildlife, year=2016, rank=5)
    PriorityFactory(activity=others[1], year=2016, rank=1)
    make_user(role="liaison_officer", organization=interpol, username="liaison-interpol")
    make_user(role="manager", username="manager")
    run = services.request_run(
        plan_id=matrix.plan_id, as_of=JUNE_30, trigger="manual", enqueue=False
    )
    services.execute_run(run_id=run.pk)
    return Activity.objects.get(pk=wildlife.pk)


JUNE_30 = dt.date(2016, 6, 30)


def test_a_liaison_officer_reports_and_a_manager_approves(page, screenshot, priorities_2016):
    activity = priorities_2016
    assert activity.status_as_of == JUNE_30

    # The liaison officer finds the activity with the filters.
    login(page, "liaison-interpol")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Activities").click()
    page.get_by_label("Priority in").select_option("2016")
    page.get_by_label("Thematic area").select_option("trafficking-organized-crime")
    page.get_by_role("button", name="Apply filters").click()
    assert (
        page.get_by_role("status").first.inner_text().startswith("1 activity matches the filters")
    )
    rows = page.locator("table.activity-list tbody tr")
    assert rows.count() == 1
    assert "P16-05" in rows.first.inner_text()
    assert page.get_by_label("Priority in").input_value() == "2016"  # the filters are kept
    screenshot(page, "liaison-activity-list-filtered")

    # … and submits a progress update.
    page.get_by_role("link", name="Wildlife and forest crime").click()
    page.get_by_role("link", name="Write a progress update").first.click()
    page.get_by_label("Period ends").fill("2016-09-30")
    page.get_by_label("Percent complete").fill("60")
    page.get_by_label("What happened").fill("Joint operation in East Africa; 12 arrests.")
    page.get_by_label("Risks and issues").fill("Funding for the second phase is not secured.")
    page.get_by_role("button", name="Submit for approval").click()
    assert "submitted for approval" in page.get_by_role("status").first.inner_text()
    update_item = page.locator("#updates .timeline-item").first
    assert "Submitted" in update_item.inner_text()
    assert "Joint operation in East Africa" in update_item.inner_text()
    screenshot(page, "liaison-progress-update-submitted")
    update = ProgressUpdate.objects.get(activity=activity)
    assert update.state == ProgressUpdate.State.SUBMITTED

    # A manager approves it from the queue.
    page.get_by_role("button", name="Log out").click()
    login(page, "manager")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Approvals").click()
    item = page.locator(f"#update-{update.pk}")
    assert "Joint operation in East Africa" in item.inner_text()
    screenshot(page, "manager-approval-queue")
    item.get_by_label("Note (optional)").fill("Thank you.")
    item.get_by_role("button", name="Approve").click()
    assert "approved" in page.get_by_role("status").first.inner_text()
    assert "Nothing is waiting for approval." in page.content()

    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.APPROVED
    assert update.reviewer.username == "manager"
    # The approval re-assessed the activity, on the plan's latest assessed date (today lies
    # years after the plan's period), and the activity keeps that assessment.
    change = MonitoringRun.objects.get(trigger="change")
    assert (change.plan_id, change.as_of, change.state) == (
        activity.matrix.plan_id,
        JUNE_30,
        "finished",
    )
    assert Assessment.objects.get(activity=activity, as_of=JUNE_30).run_id == change.pk
    activity = Activity.objects.get(pk=activity.pk)
    assert activity.status_as_of == JUNE_30
    assert activity.status != ""
    today = JUNE_30

    page.goto(f"/activities/{activity.pk}/")
    status = page.locator("#status")
    assert activity.get_status_display() in status.inner_text()
    assert f"as of {today:%-d %b %Y}" in status.inner_text()
    # The status history (monitoring's fragment) is loaded into the page.
    page.wait_for_selector("#status-history [data-fragment-loaded]")
    assert today.strftime("%-d %b %Y") in page.locator("#status-history").inner_text()
    assert "Approved" in page.locator("#updates .timeline-item").first.inner_text()
    screenshot(page, "manager-activity-reassessed")
