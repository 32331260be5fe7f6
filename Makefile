# Customer Success Hub — `make run` starts everything, `make test` tests everything.
# Only Python 3.11+ is needed: uv, PostgreSQL and Redis come from PyPI when the machine lacks them.
SHELL := /bin/bash
PYTHON ?= python3
VENV_PY := .venv/bin/python
PYTEST_ARGS ?= -n auto --dist loadgroup
UV := $(PYTHON) -m uv

.PHONY: run test bench bootstrap lint messages services

bootstrap:
	@$(UV) --version >/dev/null 2>&1 \
	  || $(PYTHON) -m pip install --user --quiet uv 2>/dev/null \
	  || $(PYTHON) -m pip install --user --quiet --break-system-packages uv 2>/dev/null \
	  || { echo "Could not install uv with pip; install it (https://docs.astral.sh/uv/) and retry."; exit 1; }
	@$(UV) sync --frozen --quiet --python $(PYTHON)

run: bootstrap
	@$(VENV_PY) -m hub.launcher run

test: bootstrap
	@$(VENV_PY) -m hub.launcher test -- $(PYTEST_ARGS)

bench: bootstrap
	@$(VENV_PY) -m hub.launcher test -- tests/bench -p no:randomly -s $(BENCH_ARGS)

services: bootstrap
	@$(VENV_PY) -m hub.launcher services

lint: bootstrap
	@$(VENV_PY) -m ruff check .

# Developers: refresh the catalogs after changing strings (needs GNU gettext's xgettext).
messages: bootstrap
	@$(VENV_PY) manage.py makemessages --all --no-obsolete --no-wrap --ignore=.venv --ignore=.hub --ignore=tests --add-location=file
