"""The results page in the browser: the chain as a tree, statuses with reasons, filters."""

import datetime as dt

import pytest

from monitoring import engine
from tests.browser.conftest import login
from tests.factories import assess, make_user
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
