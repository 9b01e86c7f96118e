# Osez l'IA — the two commands: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
PYTEST_WORKERS ?= 2
# The pinned, hashed dependencies (runtime + dev, Python 3.11 on Linux x86_64), from pyproject.toml.
LOCK := requirements.lock
VAR := $(or $(OSEZIA_VAR_DIR),var)

.PHONY: demo serve test test-unit e2e chromium lint format bench install lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# A reproducible install: every package (pip, setuptools and wheel included) at the version and
# hash of the lock, then the project itself without resolving anything more.
$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

## make demo: install, migrate, load reference and demo data, serve on 127.0.0.1:$(PORT) with the task worker
demo: install
	mkdir -p "$(VAR)"
	$(MANAGE) ensure_secret_key
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

## make lock: re-resolve the lock from pyproject.toml (pip-tools, in a throwaway venv)
lock:
	rm -rf $(VENV)-lock && $(PYTHON) -m venv $(VENV)-lock
	$(VENV)-lock/bin/python -m pip install --quiet "pip-tools>=7.4,<8"
	$(VENV)-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--extra dev --all-build-deps --no-emit-index-url --no-emit-find-links -o $(LOCK) pyproject.toml
	rm -rf $(VENV)-lock

clean:
	rm -rf $(VENV) $(VENV)-lock var/static
