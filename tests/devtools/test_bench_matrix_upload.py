"""`bench_matrix_upload` prints figures (docs/benchmarks.md); here it runs on a tiny plan, to see
that every step works and that the edited upload is applied."""

import io

import pytest
from django.core.management import CommandError, call_command

from partnership.models import Partnership


@pytest.mark.django_db
def test_the_benchmark_times_download_dry_runs_and_apply_on_a_tiny_plan():
    out = io.StringIO()
    call_command("bench_matrix_upload", "--sizes", "5", stdout=out)
    text = out.getvalue()
    assert "5 activities" in text
    assert "dry run, unchanged:" in text and "(0 changes, 0 errors)" in text
    assert "apply, 5 titles edited:" in text and "(applied: True)" in text
    assert not Partnership.objects.filter(name__startswith="Synthetic").exists()  # cleaned up


def test_the_benchmark_refuses_sizes_that_are_not_numbers():
    with pytest.raises(CommandError, match="comma-separated"):
        call_command("bench_matrix_upload", "--sizes", "many")
