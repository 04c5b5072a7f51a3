"""The results page in the browser: the chain as a tree, statuses with reasons, filters."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from activities.models import Evidence
from monitoring import engine
from monitoring import services as monitoring_services
from monitoring.models import MonitoringRun
from results import services
from results.models import Level
from tests.browser.conftest import login
from tests.factories import (
    ActivityFactory,
    MatrixFactory,
    ProgressUpdateFactory,
    assess,
    liaison_for,
    make_user,
    partner_viewer,
)
from tests.results.builders import build_chain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JUN_30 = dt.date(2016, 6, 30)


def test_a_viewer_reads_the_chain_and_filters_it(page, screenshot):
    chain = build_chain(activities_per_output=2)
    for activities in chain.activities.values():
        for activity in activities:
            assess(activity, JUN_30, "on_track")
    assess(chain.activities["1.1.1"][0], JUN_30, "off_track")
    engine.roll_up_plan(plan_id=chain.plan.pk, as_of=JUN_30)
    make_user(role="viewer", username="viewer")

    login(page, "viewer")
    page.goto(f"/plans/{chain.plan.pk}/results/")
    output = page.locator(f"#result-{chain.outputs[0].pk}")
    assert "1 of 2 activities off track." in output.inner_text()
    assert output.locator(".result-head .badge").inner_text() == "Off track"
    screenshot(page, "viewer-results-chain")

    page.get_by_label("Status").select_option("off_track")
    page.get_by_role("button", name="Show", exact=True).click()
    codes = page.locator("li.result").evaluate_all("els => els.map(e => e.dataset.code)")
    assert codes == ["1", "1.1", "1.1.1"]


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"


def test_evidence_attached_and_approved_moves_the_results_page(
    page, screenshot, settings, tmp_path
):
    """The clock inside the plan's year (the re-assessment after an approval runs on today only
    then): an activity with nothing reported is off track, and so is its output; its liaison
    officer attaches the training report to a draft update and submits it; a manager sees the
    file in the approval queue and approves; the results page shows the output on track."""
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(dt.datetime(2016, 7, 5, 9, 0, tzinfo=dt.UTC), tick=True):
        matrix = MatrixFactory(
            plan__period_start=dt.date(2016, 1, 1), plan__period_end=dt.date(2016, 12, 31)
        )
        plan = matrix.plan
        activity = ActivityFactory(matrix=matrix, code="TER-02", budget_required=Decimal("0"))
        liaison = liaison_for(activity, username="liaison")
        make_user(role="manager", username="manager")
        objective = services.create_result(
            actor=None, plan=plan, level=Level.OBJECTIVE, code="1", title="Coherent framework"
        )
        outcome = services.create_result(
            actor=None,
            plan=plan,
            parent=objective,
            level=Level.OUTCOME,
            code="1.1",
            title="Institutions supported",
        )
        output = services.create_result(
            actor=None,
            plan=plan,
            parent=outcome,
            level=Level.OUTPUT,
            code="1.1.1",
            title="Prosecutors trained jointly",
        )
        services.add_contribution(
            actor=None, output=output, activity=activity, share=Decimal("100")
        )
        run = monitoring_services.request_run(
            plan_id=plan.pk,
            as_of=dt.date(2016, 7, 5),
            trigger=MonitoringRun.Trigger.MANUAL,
            enqueue=False,
        )
        monitoring_services.execute_run(run_id=run.pk)
        update = ProgressUpdateFactory(
            activity=activity,
            author=liaison,
            period_end=dt.date(2016, 6, 30),
            percent_complete=50,
            narrative="First regional training held.",
        )

        login(page, "liaison")
        page.goto(f"/plans/{plan.pk}/results/")
        assert page.locator(f"#result-{output.pk} .result-head .badge").inner_text() == "Off track"
        screenshot(page, "liaison-results-before-evidence")

        page.goto(f"/activities/{activity.pk}/updates/{update.pk}/evidence/")
        page.get_by_label("File").set_input_files(
            files=[{"name": "training-report.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.get_by_role("button", name="Attach file").click()
        assert "“training-report.pdf” attached." in page.get_by_role("status").first.inner_text()
        assert (
            page.locator("#evidence").get_by_role("link", name="training-report.pdf").is_visible()
        )
        screenshot(page, "liaison-evidence-attached")
        page.goto(f"/activities/{activity.pk}/")
        page.get_by_role("button", name="Submit for approval").click()
        page.wait_for_load_state("networkidle")
        page.get_by_role("button", name="Log out").click()

        login(page, "manager")
        page.goto("/approvals/")
        item = page.locator(f"#update-{update.pk}")
        link = item.get_by_role("link", name="training-report.pdf")
        assert link.is_visible()
        evidence = Evidence.objects.get()
        assert link.get_attribute("href") == f"/evidence/{evidence.pk}/download/"
        screenshot(page, "manager-approval-with-evidence")
        item.get_by_role("button", name="Approve").click()
        page.wait_for_load_state("networkidle")
        assert "approved" in page.get_by_role("status").first.inner_text()

        page.goto(f"/plans/{plan.pk}/results/")
        head = page.locator(f"#result-{output.pk} .result-head .badge")
        assert head.inner_text() == "On track"
        assert page.locator(f"#result-{objective.pk} > .result-head .badge").inner_text() == (
            "On track"
        )
        screenshot(page, "manager-results-after-approval")


def test_the_activity_page_shows_an_indicator_by_category(page, screenshot):
    """Dimensions are seeded reference data, which transactional tests flush: made if gone."""
    from activities import services as activity_services
    from activities.models import Category, Dimension
    from tests.factories import IndicatorFactory

    sex, _ = Dimension.objects.get_or_create(code="sex", defaults={"name": "Sex"})
    female, _ = Category.objects.get_or_create(
        dimension=sex, code="female", defaults={"name": "Female", "order": 0}
    )
    male, _ = Category.objects.get_or_create(
        dimension=sex, code="male", defaults={"name": "Male", "order": 1}
    )
    indicator = IndicatorFactory(name="Officers trained", kind="count", target=Decimal("100"))
    activity_services.declare_dimensions(actor=None, indicator=indicator, dimensions=[sex])
    activity_services.set_category_targets(
        actor=None, indicator=indicator, targets={female.pk: Decimal("50"), male.pk: Decimal("50")}
    )
    for day, total, given in (
        (dt.date(2016, 3, 31), "30", {female.pk: Decimal("12"), male.pk: Decimal("18")}),
        (dt.date(2016, 6, 30), "55", {female.pk: Decimal("20")}),
    ):
        activity_services.record_measurement(
            actor=None, indicator=indicator, measured_on=day, value=Decimal(total), breakdown=given
        )
    # Staff of a partner organization: indicators are shared with the partners by default.
    partner_viewer(indicator.activity, username="viewer")
    login(page, "viewer")
    page.goto(f"/activities/{indicator.activity_id}/#indicator-{indicator.pk}")
    table = page.locator(f"#breakdown-{indicator.pk}")
    assert "Sex: not all categories reported" in table.inner_text()
    table.scroll_into_view_if_needed()
    screenshot(page, "viewer-activity-indicator-by-category")


def test_a_manager_adds_an_output_and_an_activitys_contribution(page, screenshot):
    """From the results page: "Add output" under an outcome, the new output's "Contributions",
    an activity named by its code with its share; the page then shows the output with the
    activity under it."""
    matrix = MatrixFactory()
    plan = matrix.plan
    ActivityFactory(matrix=matrix, code="CYB-04", title="Darknet investigations")
    objective = services.create_result(
        actor=None, plan=plan, level=Level.OBJECTIVE, code="1", title="Coherent framework"
    )
    outcome = services.create_result(
        actor=None,
        plan=plan,
        parent=objective,
        level=Level.OUTCOME,
        code="1.1",
        title="Stronger cybercrime response",
    )
    make_user(role="manager", username="manager")

    login(page, "manager")
    page.goto(f"/plans/{plan.pk}/results/")
    page.locator(f"#result-{outcome.pk}").get_by_role(
        "link", name="Add output under outcome 1.1"
    ).click()
    assert page.get_by_label("Outcome").evaluate("el => el.value") == str(outcome.pk)
    page.get_by_label("Code").fill("1.1.1")
    page.get_by_label("Title").fill("Investigators trained in darknet forensics")
    page.get_by_role("button", name="Add output").click()
    page.wait_for_load_state("networkidle")
    assert "Output 1.1.1 added." in page.locator(".messages").inner_text()
    added = page.locator('li.result[data-code="1.1.1"]')
    assert "0 contributing activities" in added.inner_text()

    added.get_by_role("link", name="Contributions to output 1.1.1").click()
    page.get_by_label("Activity code").fill("CYB-04")
    page.get_by_label("Share (%)").fill("60")
    page.get_by_label("Contribution in words").fill("Trains the investigators.")
    page.get_by_role("button", name="Add contribution").click()
    page.wait_for_load_state("networkidle")
    assert (
        "Activity CYB-04 now contributes to output 1.1.1." in page.locator(".messages").inner_text()
    )
    assert page.locator('#contributions tr[data-activity="CYB-04"]').count() == 1

    page.get_by_role("link", name="Results chain").first.click()
    page.wait_for_load_state("networkidle")
    output = page.locator('li.result[data-code="1.1.1"]')
    text = output.inner_text()
    assert "1 contributing activity" in text
    assert "CYB-04" in text and "60 %" in text and "Trains the investigators." in text
    screenshot(page, "manager-results-chain-edited")
