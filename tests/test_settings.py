"""The settings module read from the environment, checked in fresh processes."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What the parent test process may have set (CI's URLs, the browser tests' async flag) must not
# leak into the fresh process whose settings are under test.
ENV_VARS = (
    "DEBUG",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "ALLOWED_HOSTS",
    "STATICFILES_BACKEND",
)


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in ENV_VARS and not k.startswith("SECURE_")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_with_debug_off_the_app_refuses_to_start_without_a_secret_key():
    result = _manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-production-secret-" + "x" * 50,
        ALLOWED_HOSTS="tracker.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text("from-a-file-" + "y" * 50 + "\n")
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        SECRET_KEY_FILE=str(secret),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "from-a-file-" + "y" * 50


def test_without_database_and_redis_urls_the_embedded_default_is_used():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)",
        DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]


def test_with_database_and_redis_urls_postgres_and_the_broker_are_used():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['CONN_HEALTH_CHECKS'], "
        "s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND'], "
        "s.CACHES['default']['LOCATION'])",
        DEBUG="1",
        DATABASE_URL="postgres://u@db.example:5432/tracker",
        REDIS_URL="redis://broker.example:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "True",
        "False",
        "redis://broker.example:6379/0",
        # The API's throttles count in one cache that every process shares.
        "django.core.cache.backends.redis.RedisCache",
        "redis://broker.example:6379/0",
    ]


def test_webhooks_refuse_private_hosts_unless_the_environment_allows_them():
    show = "from django.conf import settings; print(settings.WEBHOOK_ALLOW_PRIVATE_HOSTS)"
    key = "a-production-secret-" + "x" * 50
    assert _manage("shell", "-c", show, SECRET_KEY=key).stdout.split()[-1] == "False"
    allowed = _manage("shell", "-c", show, SECRET_KEY=key, WEBHOOK_ALLOW_PRIVATE_HOSTS="true")
    assert allowed.stdout.split()[-1] == "True"
