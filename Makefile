# envmap — two commands: `make run` and `make test`. Both bootstrap .venv on a fresh machine.
# Python packages come at the versions the tests passed with: constraints.txt (README "如何升级依赖").
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CONSTRAINTS := constraints.txt
PIP := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: install run test test-postgis lint build bench lock upgrade

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -c $(CONSTRAINTS) --upgrade pip
	$(PIP) install -q -c $(CONSTRAINTS) -e '.[test]'
	$(BIN)/python -m dashboard.assets >/dev/null
	touch $(STAMP)

## create .venv and install envmap with the pinned versions; copy Leaflet into dashboard/static/vendor
install: $(STAMP)

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

## measure speed at 1x, 10x, 50x and national size against issue 14's budgets (≈40 min; table + bench/results.json)
bench: $(STAMP)
	$(BIN)/python bench/run.py

## upgrade .venv to the newest releases pyproject.toml allows, ignoring the pins (then: make test bench lock)
upgrade:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q --upgrade --upgrade-strategy eager -e '.[test]'

## write the versions installed in .venv (the ones just tested) into constraints.txt
lock:
	{ sed -n '/^#/p' $(CONSTRAINTS); \
	  $(PIP) freeze --all --exclude-editable --exclude setuptools --exclude wheel; } > $(CONSTRAINTS).new
	mv $(CONSTRAINTS).new $(CONSTRAINTS)
	touch $(STAMP)
