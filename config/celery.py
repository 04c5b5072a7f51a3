"""The Celery app. Its beat schedule lives here, in one place."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("partnership_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Every adopted plan whose period includes today is assessed as of today, once a day
    # (CELERY_TIMEZONE, UTC). A plan whose period has ended keeps its last picture.
    "monitoring-daily-runs": {
        "task": "monitoring.tasks.start_daily_runs",
        "schedule": crontab(hour=1, minute=0),
    },
    # No run stays "running" forever: those past their deadline are marked failed.
    "monitoring-fail-stale-runs": {
        "task": "monitoring.tasks.fail_stale_runs",
        "schedule": crontab(minute="*/5"),
    },
}
