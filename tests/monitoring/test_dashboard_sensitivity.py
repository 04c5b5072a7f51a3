"""The dashboard's lists of rows (needing attention, stale reports, overdue milestones, the
priority board, the funding gaps, the printable report) show nothing a reader may not see: no
trace of a restricted activity outside it, no milestone or reason of a withheld group. Its
counts count every activity, as aggregates that name none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from monitoring import services as monitoring_services
from tests.factories import PriorityFactory
from tests.support.sensitivity_world import build_world, leaked

pytestmark = pytest.mark.django_db

JUNE = dt.date(2016, 6, 30)
TABS = ("monitoring:dashboard", "monitoring:priorities", "monitoring:funding", "monitoring:report")


@pytest.fixture
def world():
    world = build_world()
    PriorityFactory(activity=world.restricted, year=2016, rank=1)
    PriorityFactory(activity=world.partners, year=2016, rank=2)
    run = monitoring_services.request_run(
        plan_id=world.plan.pk,
        as_of=JUNE,
        trigger="manual",
        requested_by=world.manager,
        enqueue=False,
    )
    monitoring_services.execute_run(run_id=run.pk)
    return world


def _tabs(client, user, world) -> str:
    client.force_login(user)
    params = {"plan": world.plan.pk, "as_of": JUNE.isoformat()}
    answers = [client.get(reverse(name), params) for name in TABS]
    assert [a.status_code for a in answers] == [200] * len(TABS)
    return "\n".join(a.content.decode() for a in answers)


def test_the_dashboard_lists_nothing_of_a_restricted_activity_outside_it(client, world):
    text = _tabs(client, world.outsider, world)
    assert leaked(text, world.of("restricted")) == []
    assert "Partners activity" in text  # theirs to read
    # The partners activity's overdue milestone shows to UNODC's officer…
    assert "zqtierpartnersmilestoneqz" in text
    # …not to a viewer of no partner organization, who reads outlines only.
    text = _tabs(client, world.stranger, world)
    assert leaked(text, [*world.of("restricted"), *world.of("partners")]) == []


def test_managers_see_every_row(client, world):
    text = _tabs(client, world.manager, world)
    assert world.restricted.title in text
    assert "zqtierrestrictedmilestoneqz" in text
