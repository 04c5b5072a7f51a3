"""The activity page shows the reporting periods, with the missing and late reports."""

import datetime as dt

import pytest
import time_machine

from activities import services
from tests.factories import ActivityFactory, MatrixFactory, liaison_for

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def activity():
    matrix = MatrixFactory()
    plan = matrix.plan
    plan.period_start, plan.period_end = D(2016, 1, 1), D(2016, 12, 31)
    plan.save()
    services.set_reporting_calendar(actor=None, plan=plan, frequency="quarterly")
    return ActivityFactory(matrix=matrix, start_date=D(2016, 1, 1), end_date=D(2016, 12, 31))


def test_the_page_lists_each_period_with_its_report_late_or_missing(
    client, activity, django_assert_num_queries
):
    officer = liaison_for(activity, username="officer", password=None)
    with time_machine.travel(dt.datetime(2016, 4, 20, 9, tzinfo=dt.UTC), tick=False):
        services.create_progress_update(
            actor=officer,
            activity=activity,
            period_end=D(2016, 3, 31),
            percent_complete=20,
            narrative="Q1",
            submit=True,
        )
    client.force_login(officer)
    # The page's 33 queries (tests/pages/test_activity_detail), the plan's periods among them,
    # and the first submissions of the activity's reports (1); less one: this activity's
    # history names no indicator.
    with (
        time_machine.travel(dt.datetime(2016, 8, 1, 9, tzinfo=dt.UTC), tick=False),
        django_assert_num_queries(33),
    ):
        page = client.get(f"/activities/{activity.pk}/").content.decode()
    assert '<h2 id="reporting-h">Reporting periods</h2>' in page
    rows = page.split('<tr class="report-')[1:]
    assert [row.split('"')[0] for row in rows] == [
        "submitted_late",
        "missing",
        "upcoming",
        "upcoming",
    ]
    assert "5 days late" in rows[0]  # due 15 April, submitted 20 April
    assert "17 days late" in rows[1]  # Q2: due 15 July, nothing by 1 August
