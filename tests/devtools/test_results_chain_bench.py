"""The benchmark's results chain (devtools.synthetic.generate_results_chain): every activity of
the plan under an output, rolled up by a run, read by the page and the API in the same number of
queries as the small chains of tests/results; removed with the portfolio."""

import datetime as dt

import pytest

from devtools.synthetic import (
    delete_synthetic_portfolios,
    generate_portfolio,
    generate_results_chain,
)
from monitoring import services
from monitoring.models import MonitoringRun
from partnership.models import Profile
from results.models import Contribution, Result, ResultAssessment
from tests.api.conftest import client_for
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_chain_covers_the_plan_rolls_up_and_goes_with_the_portfolio(
    client, django_assert_num_queries
):
    summary = generate_portfolio(activities=60, partnerships=1, plans_per_partnership=1)
    plan_id = summary.plan_ids[0]
    assert generate_results_chain(plan_id=plan_id, objectives=2, outcomes=2, outputs=3) == 60
    assert Result.objects.filter(plan_id=plan_id).count() == 2 + 4 + 12
    run = services.request_run(
        plan_id=plan_id,
        as_of=dt.date(2016, 6, 30),
        trigger=MonitoringRun.Trigger.MANUAL,
        enqueue=False,
    )
    services.execute_run(run_id=run.pk)
    assert ResultAssessment.objects.filter(result__plan_id=plan_id).count() == 18

    client.force_login(make_user(Profile.Role.VIEWER))
    # session, user, the plan, the reader's profile (the tiers), the chain (dates, results,
    # assessments, indicators, sources, their values by category, category targets, own SDG
    # links, activities' SDG targets, contributions counted by output, the first few ids of each,
    # those with their activities), the header's profile with its unread count
    with django_assert_num_queries(17):
        assert client.get(f"/plans/{plan_id}/results/").status_code == 200
    api = client_for(make_user(Profile.Role.VIEWER))
    # token with its user, the reader's profile (the tiers), the chain as above
    with django_assert_num_queries(15):
        assert api.get(f"/api/v1/plans/{plan_id}/results/").status_code == 200

    assert delete_synthetic_portfolios() == 1
    assert not Result.objects.exists() and not Contribution.objects.exists()
