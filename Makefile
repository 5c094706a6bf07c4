# envmap — two commands: `make run` and `make test`. Both bootstrap .venv on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-postgis lint build bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

## start the dashboard (creates the store from data/ on first run)
run: $(STAMP)
	$(BIN)/envmap serve

## lint and run the whole test suite
test: $(STAMP) lint
	$(BIN)/python -m pytest

## the store tests against a throwaway PostgreSQL/PostGIS cluster (needs postgresql + postgresql-postgis)
test-postgis: $(STAMP)
	eval "$$(.ci/pg-cluster start)" && trap '.ci/pg-cluster stop "$$ENVMAP_PG_CLUSTER"' EXIT && \
	ENVMAP_REQUIRE_POSTGIS=1 $(BIN)/python -m pytest tests/geodata/store

lint: $(STAMP)
	$(BIN)/ruff check geodata dashboard tests

## regenerate data/plans/*.csv from the plan documents in data/seeds/
build: $(STAMP)
	$(BIN)/envmap build

## measure the dashboard's speed budgets (prints a table, writes bench/results.json)
bench: $(STAMP)
	$(BIN)/python bench/run.py
