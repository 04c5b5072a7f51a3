import pytest
from django.test import override_settings


def test_healthz_is_public_and_reports_each_part(client, db, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


@override_settings(REDIS_URL="")
def test_healthz_without_a_broker_says_it_is_not_in_use(client, db):
    body = client.get("/healthz").json()
    assert body["broker"] == {"ok": True, "detail": "not in use (tasks run in process)"}


@pytest.mark.redis
def test_healthz_answers_503_and_names_the_broker_when_it_is_unreachable(client, db, settings):
    from config.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
            response = client.get("/healthz")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False
    assert "unreachable" in body["broker"]["detail"]


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, DEBUG=False)
def test_with_the_https_redirect_on_healthz_answers_over_http_and_pages_redirect(client):
    # docker-compose's health check asks http://127.0.0.1:8000/healthz inside the container.
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    for path in ("/", "/accounts/login/", "/api/v1/activities/", "/healthz/x"):
        response = client.get(path, HTTP_HOST="127.0.0.1:8000")
        assert response.status_code == 301, path
        assert response["Location"] == f"https://127.0.0.1:8000{path}"
