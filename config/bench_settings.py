"""Settings of the gunicorn that `manage.py bench_pages` starts: the production settings plus a
URLconf that also serves a bare JSON endpoint (the throughput ceiling of this stack). Production
never loads this module, so it never exposes that endpoint."""

from config.settings import *  # noqa: F403 — the same configuration, one setting changed

ROOT_URLCONF = "config.bench_urls"
