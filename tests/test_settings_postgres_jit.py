"""PostgreSQL's JIT is off for the application's connections unless POSTGRES_JIT=1: compiling
the dashboard's aggregates cost 100–180 ms for 2 ms of work (docs/benchmarks.md)."""

from tests.test_settings import _manage

PRINT_OPTIONS = (
    "from django.conf import settings as s; print(s.DATABASES['default'].get('OPTIONS', {}))"
)


def test_postgres_connections_turn_jit_off():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        PRINT_OPTIONS,
        DEBUG="1",
        DATABASE_URL="postgres://u@db.example:5432/tracker",
    )
    assert result.returncode == 0, result.stderr
    assert "-c jit=off" in result.stdout


def test_postgres_jit_can_be_kept_and_sqlite_has_no_such_option():
    kept = _manage(
        "shell",
        "--no-imports",
        "-c",
        PRINT_OPTIONS,
        DEBUG="1",
        DATABASE_URL="postgres://u@db.example:5432/tracker",
        POSTGRES_JIT="1",
    )
    assert kept.returncode == 0, kept.stderr
    assert "jit" not in kept.stdout
    sqlite = _manage("shell", "--no-imports", "-c", PRINT_OPTIONS, DEBUG="1")
    assert sqlite.returncode == 0, sqlite.stderr
    assert "jit" not in sqlite.stdout
