# Two commands set everything up on a machine that has only Python 3.11+:
#   make run   — virtual environment, install, migrate, 2016 demo data, serve http://127.0.0.1:8000
#   make test  — the whole test suite
# With no DATABASE_URL / REDIS_URL the app runs on SQLite (var/) with Celery tasks run in process.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# Development server only: DEBUG on unless the caller says otherwise.
RUN_ENV := DEBUG=$${DEBUG:-1}

.PHONY: help install run serve migrate demo test lint format worker beat bench bench-monitoring clean vendor

help:
	@echo "make run | make test | make lint | make format | make worker | make beat | make bench | make bench-monitoring | make vendor | make clean"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput

demo: migrate
	$(RUN_ENV) $(BIN)/python manage.py load_demo

run: demo serve

serve: install
	@echo "Serving http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(RUN_ENV) $(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The same commands docker-compose.yml runs.
worker: install
	$(BIN)/celery -A config worker --loglevel=INFO

beat: install
	$(BIN)/celery -A config beat --loglevel=INFO --schedule var/celerybeat-schedule

# The pages-and-API benchmark (docs/benchmarks.md, "Pages and API"): PostgreSQL, gunicorn, wrk.
# Needs DATABASE_URL pointing at a scratch database (it grows a synthetic portfolio there).
# wrk is installed with apt-get when missing (as root; otherwise a Python load loop is used).
# BENCH_SIZES=1000,10000,100000 for the large size (slow: ~3 min to generate 100,000).
BENCH_SIZES ?= 1000,10000
# The spreadsheet round trip (docs/benchmarks.md, "Spreadsheet upload"): download, dry run, apply.
BENCH_UPLOAD_SIZES ?= 10000
BENCH_ARGS ?=
# The benchmarks' commands live in devtools/, an app only these settings install.
BENCH_ENV := DJANGO_SETTINGS_MODULE=devtools.settings
bench: install
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL to a scratch PostgreSQL database"; exit 1; }
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null; } || \
		echo "wrk not installed: the throughput figures use a Python load loop"
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BENCH_ENV) $(BIN)/python manage.py bench_pages --sizes $(BENCH_SIZES) $(BENCH_ARGS)
	$(RUN_ENV) $(BENCH_ENV) $(BIN)/python manage.py bench_matrix_upload --sizes $(BENCH_UPLOAD_SIZES)

# The monitoring benchmark (docs/benchmarks.md, "Monitoring"): PostgreSQL and Redis, real workers.
bench-monitoring: install
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL to a scratch PostgreSQL database"; exit 1; }
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL to a Redis database the workers can use"; exit 1; }
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BENCH_ENV) $(BIN)/python manage.py bench_monitoring --sizes $(BENCH_SIZES) $(BENCH_ARGS)

# axe-core for the browser tests' accessibility audit, from npm, into a test-only folder
# (tests/browser/vendor/; the app never serves it). The vendored copy is committed; run this to
# fetch it again or, after changing AXE_VERSION in the script, to update it.
.PHONY: vendor-axe
vendor-axe:
	sh tests/browser/vendor/fetch_axe.sh

clean:
	rm -rf $(VENV) var/db.sqlite3 var/staticfiles .pytest_cache .ruff_cache

# Load test (a command, not a CI test): a fresh PostgreSQL database "tracker_load" with the demo,
# gunicorn and a Celery worker on loopback, 50 locust users for 60 s; prints p50/p95/p99 per
# request type and the error count. Needs PostgreSQL and Redis on 127.0.0.1 (see docs/benchmarks.md).
.PHONY: loadtest
loadtest: install
	bash devtools/loadtest/run.sh

# Front-end data served from static/vendor/, from the npm registry at the versions
# vendor/package-lock.json pins: the world map's country boundaries (Natural Earth 1:110m, public
# domain, as the world-atlas package publishes them as TopoJSON). The copies are committed, so
# `make run` needs no npm; run this after changing vendor/package.json (then `npm install
# --package-lock-only --prefix vendor` first) and commit what it copies.
# tests/geography/test_vendor.py checks that the copy is the version the lock names.
vendor:
	npm ci --prefix vendor --no-audit --no-fund
	mkdir -p static/vendor/world-atlas
	cp vendor/node_modules/world-atlas/countries-110m.json vendor/node_modules/world-atlas/LICENSE \
		vendor/node_modules/world-atlas/package.json static/vendor/world-atlas/
