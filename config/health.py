"""/healthz: is the database reachable, and the broker (when one is configured)?"""

import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True, "detail": connection.vendor}
    except Exception as exc:  # any failure means "down"; the message says which
        logger.warning("healthz: database unreachable: %s", exc)
        return {"ok": False, "detail": f"unreachable: {exc.__class__.__name__}"}


def _broker() -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "detail": "not in use (tasks run in process)"}
    from config.celery import app  # the composition root's app, already configured

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True, "detail": "redis"}
    except Exception as exc:
        logger.warning("healthz: broker unreachable: %s", exc)
        return {"ok": False, "detail": f"unreachable: {exc.__class__.__name__}"}


@never_cache
@require_GET
def healthz(request):
    parts = {"database": _database(), "broker": _broker()}
    healthy = all(part["ok"] for part in parts.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **parts}, status=200 if healthy else 503
    )
