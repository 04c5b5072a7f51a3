"""The embedded default (no REDIS_URL: tasks run in process) never asks a broker, so a run is
requested and carried out even though no broker could be reached."""

import datetime as dt

import pytest

from monitoring import services
from monitoring.models import MonitoringRun
from tests.factories import ActivityFactory, MatrixFactory
from tests.trust.redis_server import celery_broker_at

pytestmark = pytest.mark.django_db


def test_a_run_requested_in_the_embedded_default_runs_in_process_without_a_broker(
    django_capture_on_commit_callbacks,
):
    matrix = MatrixFactory()
    ActivityFactory.create_batch(2, matrix=matrix)
    # Nothing listens on port 1: any attempt to reach the broker would fail the request.
    with celery_broker_at("redis://127.0.0.1:1/0", eager=True):
        assert not services.broker_in_use()
        with django_capture_on_commit_callbacks(execute=True):
            run = services.request_run(
                plan_id=matrix.plan_id, as_of=dt.date(2016, 9, 30), trigger="api"
            )

    run = MonitoringRun.objects.get(pk=run.pk)
    assert run.state == MonitoringRun.State.FINISHED
    assert run.activities_assessed == 2
