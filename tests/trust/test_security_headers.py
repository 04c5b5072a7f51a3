"""Security headers on pages and API answers; the production settings' HSTS, secure cookies and
HTTPS redirect, checked in a fresh process with DEBUG off."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from partnership.models import Profile
from tests.api.conftest import API, client_for
from tests.factories import ActivityFactory, make_user

ROOT = Path(__file__).resolve().parents[2]
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    directives = [d.strip().split(None, 1) for d in header.split(";") if d.strip()]
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


def assert_hardened(response) -> None:
    directives = policy(response)
    for name, value in CSP.items():
        assert directives[name] == value, (name, directives)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] in ("strict-origin-when-cross-origin", "same-origin")
    assert response["X-Content-Type-Options"] == "nosniff"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")


def test_a_page_carries_the_security_headers_and_no_inline_script_or_style(client):
    manager = make_user(Profile.Role.MANAGER, username="maria")
    activity = ActivityFactory()
    client.force_login(manager)
    for url in ("/", "/activities/", f"/activities/{activity.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_hardened(response)
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert "<style" not in html and " style=" not in html, url


def test_the_login_page_carries_the_security_headers(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert_hardened(response)


def test_an_api_answer_carries_the_security_headers():
    viewer = make_user(Profile.Role.VIEWER, username="viewer")
    response = client_for(viewer).get(f"{API}/activities/")
    assert response.status_code == 200
    assert_hardened(response)


def test_the_api_docs_run_without_inline_script(client):
    """drf-spectacular's split Swagger view: the start-up script is a separate file."""
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert_hardened(response)
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert "<style" not in html
    script_url = re.search(r'<script src="([^"]*script=[^"]*)"', html).group(1)
    script = client.get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_admin_works_under_the_policy(client):
    admin = make_user(Profile.Role.ADMIN, username="root", is_staff=True, is_superuser=True)
    activity = ActivityFactory()
    client.force_login(admin)
    for url in ("/admin/", f"/admin/activities/activity/{activity.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_hardened(response)
        assert not INLINE_SCRIPT.search(response.content.decode()), url


PRODUCTION_PROBE = """
import json
from django.conf import settings
from django.test import Client
client = Client()
secure = client.get("/accounts/login/", secure=True)
plain = client.get("/accounts/login/")
csrf = secure.cookies["csrftoken"]
print(json.dumps({
    "hsts": secure.get("Strict-Transport-Security", ""),
    "csp": secure.get("Content-Security-Policy", ""),
    "csrf_cookie_secure": bool(csrf["secure"]),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
}))
"""


def test_production_settings_send_hsts_secure_cookies_and_redirect_to_https(tmp_path):
    """A fresh process with DEBUG off and only the documented environment."""
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "a-production-secret-" + "x" * 50,
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        # The hashed-name manifest exists only after collectstatic.
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    assert facts["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "frame-ancestors 'none'" in facts["csp"]
    assert facts["csrf_cookie_secure"] is True
    assert facts["session_cookie_secure"] is True
    assert facts["session_cookie_httponly"] is True
    assert facts["plain_status"] == 301
    assert facts["plain_location"].startswith("https://")
