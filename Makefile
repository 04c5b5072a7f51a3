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

.PHONY: help install run serve migrate demo test lint format worker beat bench clean

help:
	@echo "make run | make test | make lint | make format | make worker | make beat | make bench | make clean"

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

clean:
	rm -rf $(VENV) var/db.sqlite3 var/staticfiles .pytest_cache .ruff_cache
