"""Settings of the benchmarks (`make bench`, `manage.py bench_monitoring`, and the gunicorn that
`bench_pages` starts): the product's settings plus this app (its commands) and a URLconf that
also serves a bare JSON endpoint, the throughput ceiling the API is measured against. Production
never loads this module, so it never exposes that endpoint."""

from config.settings import *  # noqa: F403 — the same configuration, two settings changed
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]
ROOT_URLCONF = "devtools.urls"
