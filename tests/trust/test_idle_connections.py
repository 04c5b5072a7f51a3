"""The database drops a web process's idle connection (a restart, a proxy's idle timeout,
pg_terminate_backend): the next request opens a new one and answers as usual, a write included,
saved once.

A real gunicorn with production settings and persistent connections (CONN_MAX_AGE 60, with
CONN_HEALTH_CHECKS), on the test's PostgreSQL database; the browser is a `requests` session
signed in through the login form.
"""

import re

import pytest
import requests
from django.db import connection

from activities.models import ProgressUpdate
from tests.factories import ActivityFactory, liaison_for
from tests.monitoring.test_celery_worker import worker_env
from tests.support.gunicorn import Gunicorn

pytestmark = [
    pytest.mark.postgres,
    # Requests commit for real in another process.
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "correct-horse-battery"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="token" value="([^"]+)"')


def production_env() -> dict[str, str]:
    return worker_env(
        DEBUG="0",
        SECRET_KEY="idle-connection-test-secret-key-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        CONN_MAX_AGE="60",
    )


def terminate_idle_connections() -> int:
    """Terminate every other connection to the test database that sits idle (gunicorn's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND state = 'idle'"
            " AND pid <> pg_backend_pid()) AS t"
        )
        return cursor.fetchone()[0]


def sign_in(session: requests.Session, base: str, username: str) -> None:
    form = session.get(f"{base}/accounts/login/", timeout=10)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": CSRF_INPUT.search(form.text).group(1),
        },
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text[:500]


def test_requests_after_the_database_dropped_the_idle_connection_answer_as_usual(settings):
    # Hashed as production checks it (the tests' own hasher is a fast one gunicorn doesn't know).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    activity = ActivityFactory()
    officer = liaison_for(activity, username="officer", password=PASSWORD)
    with Gunicorn(env=production_env()) as web, requests.Session() as browser:
        sign_in(browser, web.url, officer.username)
        assert browser.get(f"{web.url}/activities/", timeout=10).status_code == 200

        assert terminate_idle_connections() >= 1  # gunicorn's, kept open between requests
        page = browser.get(f"{web.url}/activities/{activity.pk}/", timeout=10)
        assert page.status_code == 200, web.log_tail()

        form_path = f"/activities/{activity.pk}/updates/new/"
        form = browser.get(f"{web.url}{form_path}", timeout=10)
        assert form.status_code == 200
        assert terminate_idle_connections() >= 1
        saved = browser.post(
            f"{web.url}{form_path}",
            data={
                "csrfmiddlewaretoken": CSRF_INPUT.search(form.text).group(1),
                "token": FORM_TOKEN.search(form.text).group(1),  # the form's one-time token
                "period_end": activity.start_date.isoformat(),
                "percent_complete": 40,
                "narrative": "Saved across a dropped connection.",
                "risks": "",
                "action": "submit",
            },
            headers={"Referer": f"{web.url}{form_path}"},
            allow_redirects=False,
            timeout=10,
        )

    assert saved.status_code == 302, web.log_tail()
    assert saved.headers["Location"].startswith(f"/activities/{activity.pk}/")
    update = ProgressUpdate.objects.get(activity=activity)  # once
    assert (update.state, update.percent_complete, update.author) == ("submitted", 40, officer)
