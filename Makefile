# Pulsedesk: `make run` starts the local stack, `make test` runs every test layer.
# Both install whatever is missing first and are safe to run again.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
LOCAL := .local
export PULSEDESK_TABLE_PREFIX ?= pulsedesk-dev-

.PHONY: metrics-backfill tags-backfill list-keys-backfill run test bench bench-load lint typecheck unit api integration contract e2e infra-test frontend-test install clean api-types

# uv installs the pinned requirements in seconds where pip takes more than a minute; pip stays the fallback.
UV_VERSION := 0.13.8
UV := $(VENV)/bin/uv

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(UV) pip install -q --python $(PY) -r requirements-dev.txt \
		|| $(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

include infra/local/local.mk
include frontend/frontend.mk
include infra/aws/aws.mk

run: install local-deps frontend-build
	$(PY) -m infra.local.run

# Rebuild the running local stack's metrics from its tickets: DAYS (default 90), WORKSPACE=slug (default all)
metrics-backfill: install
	$(PY) -m infra.local.metrics_backfill --days $(or $(DAYS),90) $(if $(WORKSPACE),--workspace $(WORKSPACE))

# Recount tags from tickets (tickets tagged before tag counts existed); idempotent. WORKSPACE=slug (default all)
tags-backfill: install
	$(PY) -m infra.local.tags_backfill $(if $(WORKSPACE),--workspace $(WORKSPACE))

# Give the running local stack's older tickets the composite list keys (idempotent): WORKSPACE=slug (default all)
list-keys-backfill: install
	$(PY) -m infra.local.list_keys_backfill $(if $(WORKSPACE),--workspace $(WORKSPACE))

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache --no-logo

typecheck: install
	$(VENV)/bin/mypy

unit: install
	$(PY) -m pytest -q -n 2 tests/unit

api: install frontend-deps
	$(PY) -m pytest -q -n 2 tests/api

# The worker-process stack (test_local_workers.py) spawns processes from the test process, whose settings
# the shared stack's tests have already pointed elsewhere: it runs in a pytest process of its own.
WORKERS_TEST = tests/integration/test_local_workers.py

# Two workers, each with a stack of its own (as the contract layer): a test mostly waits on the stream.
integration: install local-deps
	$(PY) -m pytest -q -n 2 tests/integration --ignore=$(WORKERS_TEST)
	$(PY) -m pytest -q $(WORKERS_TEST)

# schemathesis over the OpenAPI the local stack serves (PULSEDESK_CONTRACT_EXAMPLES=200 for a deeper run).
# Two workers, each with a stack of its own: a case waits on the stack as much as it computes.
contract: install local-deps
	$(PY) -m pytest -q -n 2 tests/contract

e2e: install local-deps frontend-build browser
	$(PY) -m pytest -q tests/e2e

# The frontend's API types, generated from the OpenAPI document the app builds (tests/api/test_api_types.py
# fails when they are stale): run after changing a request or response model, and commit the result.
api-types: install frontend-deps
	cd frontend && npm run --silent gen:api

infra-test: install
	$(PY) -m pytest -q tests/infra

# Each layer runs in its own pytest process: the api layer mocks AWS for the whole session, the
# integration and e2e layers point the same settings at the local stack.
test: install local-deps frontend-build browser
	$(MAKE) --no-print-directory lint typecheck frontend-lint frontend-test
	$(PY) -m pytest -q -n 2 tests/unit
	$(PY) -m pytest -q -n 2 tests/api
	$(PY) -m pytest -q tests/infra
	$(MAKE) --no-print-directory deploy-check
	$(PY) -m pytest -q -n 2 tests/integration --ignore=$(WORKERS_TEST)
	$(PY) -m pytest -q $(WORKERS_TEST)
	$(PY) -m pytest -q -n 2 tests/contract
	$(PY) -m pytest -q tests/e2e

bench: install local-deps frontend-build
	$(PY) -m pytest -q -s tests/perf

clean:
	rm -rf $(VENV) $(LOCAL) frontend/node_modules frontend/dist

# The issue-19 load benchmark (locust, headless): the agent mix at 25, 100 and 200 agents against a local
# stack seeded with 10,000 tickets (cached), and against PEER_URL when given. Never part of `make test`.
# USERS=25,100 DURATION=60 TICKETS=10000 AGENTS=200 BASE_URL=... PEER_URL=... (see tests/perf/load.py)
bench-load: install local-deps
	$(PY) -m tests.perf.load
