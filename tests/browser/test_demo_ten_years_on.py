"""The demo as a new user meets it with the machine's clock ten years after the plan: loaded with
`load_demo`, one approval in the browser, and the dashboard still opens on 2016-12-31 with the
same figures (issue 15). Screenshots: demo-ten-years-on-dashboard-before.png,
demo-ten-years-on-dashboard-after-approval.png and demo-ten-years-on-trend-chart.png."""

import datetime as dt
import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from activities.models import ProgressUpdate
from monitoring.models import Assessment, MonitoringRun
from partnership.models import JointActionPlan
from tests.browser.conftest import SCREENSHOTS, login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    # tick=True: the clock runs on from there, so sessions and timeouts behave.
    with time_machine.travel(dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC), tick=True):
        call_command("load_demo", stdout=StringIO())
        yield JointActionPlan.objects.get(title="INTERPOL–UNODC Joint Action Plan")


def dashboard_figures(page) -> dict:
    page.goto("/dashboard/")
    counts = {
        status: int(n)
        for status, n in re.findall(
            r'data-status="(\w+)">(\d+)</span>', page.locator("#status-counts").inner_html()
        )
    }
    return {
        "as_of": page.locator("#as-of").inner_text(),
        "counts": counts,
        "run_form": page.locator("input[name=as_of]").input_value(),
    }


def test_an_approval_ten_years_on_leaves_the_dashboard_on_2016_12_31(demo, page, screenshot):
    login(page, "manager", PASSWORD)
    before = dashboard_figures(page)
    assert before["as_of"] == "2016-12-31"
    assert before["run_form"] == "2016-12-31"
    screenshot(page, "demo-ten-years-on-dashboard-before")

    update = ProgressUpdate.objects.filter(state=ProgressUpdate.State.SUBMITTED).first()
    page.goto("/approvals/")
    item = page.locator(f"#update-{update.pk}")
    item.get_by_role("button", name="Approve").click()
    page.wait_for_load_state("networkidle")
    assert "approved" in page.get_by_role("status").first.inner_text()
    update.refresh_from_db()
    assert update.state == ProgressUpdate.State.APPROVED

    # The re-assessment ran (eagerly, on commit) on the plan's latest date, not on 2026-12-04.
    change = MonitoringRun.objects.filter(trigger=MonitoringRun.Trigger.CHANGE).latest("id")
    assert (change.as_of, change.state) == (dt.date(2016, 12, 31), "finished")
    assert not Assessment.objects.filter(as_of__gt=demo.period_end).exists()

    after = dashboard_figures(page)
    assert after == before
    # The trend's first label names its year; no label leaves the chart.
    chart = page.locator("#trend-heading + figure svg")
    assert "2016" in chart.text_content()
    box = chart.bounding_box()
    for label in chart.locator("text.chart-axis").all():
        text_box = label.bounding_box()
        assert (
            box["x"] - 0.5
            <= text_box["x"]
            <= text_box["x"] + text_box["width"]
            <= (box["x"] + box["width"] + 0.5)
        ), label.text_content()
    screenshot(page, "demo-ten-years-on-dashboard-after-approval")
    chart.screenshot(path=str(SCREENSHOTS / "demo-ten-years-on-trend-chart.png"))
