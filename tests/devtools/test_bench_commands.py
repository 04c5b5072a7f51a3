"""`bench_monitoring` prints figures (docs/benchmarks.md); here only its refusals are tested."""

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.django_db
def test_the_benchmark_needs_postgresql_and_the_broker(settings):
    settings.REDIS_URL = ""
    with pytest.raises(CommandError, match=r"PostgreSQL|Redis broker"):
        call_command("bench_monitoring", "--sizes", "10")
