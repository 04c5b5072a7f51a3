"""The dashboard's "needs attention" lists are bounded (monitoring.views.ATTENTION_LIMIT) and
show their totals: a plan of 100,000 activities has tens of thousands off track, and a page
listing them all would grow with the portfolio."""

import datetime as dt
import re

import pytest

from monitoring import views
from monitoring.dashboard import overview
from tests.monitoring.dashboard_scenario import MONTH_ENDS_2016, assess, build_scenario
from tests.monitoring.everyone import EVERYONE

pytestmark = pytest.mark.django_db

JUNE = dt.date(2016, 6, 30)


def test_attention_lists_show_the_first_items_and_the_totals(client, monkeypatch):
    scenario = build_scenario()
    assess(scenario.plan, MONTH_ENDS_2016)
    attention = overview.needing_attention(plan_id=scenario.plan.pk, viewer=EVERYONE, as_of=JUNE)
    attention_total = overview.attention_total(
        plan_id=scenario.plan.pk, as_of=JUNE, viewer=EVERYONE
    )
    stale, stale_total = overview.stale_reports(
        plan_id=scenario.plan.pk, viewer=EVERYONE, as_of=JUNE
    )
    assert attention_total == len(attention) >= 2  # the scenario has several of each
    assert stale_total == len(stale) >= 2
    monkeypatch.setattr(views, "ATTENTION_LIMIT", 1)
    client.force_login(scenario.reviewer)

    html = client.get("/dashboard/", {"plan": scenario.plan.pk, "as_of": JUNE}).content.decode()

    assert f"Off track and at risk ({len(attention)})" in html
    risk = html.split('class="attention-list"', 1)[1].split("</ul>", 1)[0]
    assert len(re.findall(r"<li>", risk)) == 1
    assert f">{attention[0].code}</a>" in risk  # off track first, then by code
    assert f"The first 1 of {len(attention)} are listed" in html
    assert f"Stale reports ({len(stale)})" in html
    table = html.split('id="stale-reports"', 1)[1].split("<tbody>", 1)[1].split("</tbody>")[0]
    assert table.count("<tr>") == 1
    assert f"The first 1 of {len(stale)} are listed" in html
