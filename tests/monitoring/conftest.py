"""Fixtures of the monitoring engine's tests."""

import pytest

from config.celery import app as celery_app


@pytest.fixture
def eager_celery():
    """Run tasks in process even where REDIS_URL is set (CI): the test is about what the tasks
    do, not about the broker (tests/monitoring/test_celery_worker.py covers the real one).

    Exceptions are not propagated, as in a worker: a failure shows in what the task recorded,
    and eager retries really re-run the task (with propagation the first Retry would escape)."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, False
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


@pytest.fixture
def chunk_size(settings):
    """Set settings.MONITORING["CHUNK_SIZE"]: `chunk_size(2)`."""

    def set_size(size: int) -> None:
        settings.MONITORING = {**settings.MONITORING, "CHUNK_SIZE": size}

    return set_size
