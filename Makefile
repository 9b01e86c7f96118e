# Osez l'IA — the two commands: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: demo serve test test-unit e2e chromium lint format bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

## make demo: install, migrate, load reference and demo data, serve on 127.0.0.1:$(PORT) with the task worker
demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_referentiels
	$(MANAGE) seed_demo
	$(MANAGE) collectstatic --noinput --verbosity 0
	PORT=$(PORT) ./scripts/serve.sh

serve: install
	PORT=$(PORT) ./scripts/serve.sh

## make test: the whole suite (unit, services, API, pages, then browser journeys)
test: test-unit e2e

test-unit: install
	OSEZIA_FAST_PASSWORD_HASHER=1 $(BIN)/pytest -q -n $(PYTEST_WORKERS) -m "not e2e"

chromium:
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium || { \
		echo "Installation de Chromium (paquet Debian)…"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; }

e2e: install chromium
	$(BIN)/pytest -q -m e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) var/static
