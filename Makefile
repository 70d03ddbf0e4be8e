# The two commands a new user needs: `make demo` and `make test`. Everything else is a step of theirs.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export DBT_PROFILES_DIR := $(CURDIR)
export USAGE_HEALTH_DB ?= $(CURDIR)/warehouse/usage_health.duckdb
# What BI tools and the dashboard open (read-only): a copy published after every good build.
export USAGE_HEALTH_SERVE_DB ?= $(CURDIR)/warehouse/serve/usage_health.duckdb
LANDING ?= data/landing
# Column mappings the landing folder's exports need (README, "Column mappings"), e.g. salesforce,zendesk.
MAPPINGS ?=
export USAGE_HEALTH_MAPPINGS ?= $(MAPPINGS)
# Tests on the event models read the weeks a run rebuilt; FULL_HISTORY_TESTS=1 reads every row.
FULL_HISTORY_TESTS ?=
export USAGE_HEALTH_FULL_HISTORY_TESTS ?= $(if $(FULL_HISTORY_TESTS),true,false)
ACCOUNTS ?= 300
WEEKS ?= 30
SEED ?= 42
DASHBOARD_PORT ?= 8501
# The browser test drives Debian's chromium (no browser download); `make browser` installs it.
CHROMIUM ?= /usr/bin/chromium
export USAGE_HEALTH_CHROMIUM := $(CHROMIUM)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help setup demo-data check build build-now demo summary dashboard browser lint dbt-test pytest test clean \
	spark-setup spark-build parity registry

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(BIN)/dbt: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(BIN)/dbt

setup: $(BIN)/dbt  ## make the virtual environment and install the pinned requirements

# Spark (issue 6): dbt-spark and pyspark, only for the Spark target and the parity test.
$(BIN)/pyspark: $(BIN)/dbt requirements-spark.txt
	$(BIN)/pip install --quiet -r requirements-spark.txt
	touch $(BIN)/pyspark

spark-setup: $(BIN)/pyspark  ## install dbt-spark and pyspark (local Spark; needs Java 17)
	@command -v java >/dev/null || { echo "Local Spark needs Java 17 (Debian: apt-get install openjdk-17-jre-headless)." >&2; exit 1; }

demo-data: setup  ## generate the demo landing files (ACCOUNTS, WEEKS, SEED, LANDING)
	$(BIN)/python scripts/generate_landing.py --out $(LANDING) --accounts $(ACCOUNTS) --weeks $(WEEKS) --seed $(SEED)

# The first thing to run on a landing folder of your own: exit 1 only on what would stop `make build`.
check: setup  ## preflight of LANDING (and MAPPINGS) against the input contract, in seconds, before any build
	$(BIN)/python scripts/preflight.py --landing $(LANDING) $(if $(AS_OF),--as-of $(AS_OF))

# The scheduled build leaves out the unit tests (`make test` runs them) and, while the
# configuration is the one of the last good build, loading and checking it again
# (scripts/configuration_state.py). When nothing is new at all (the landing files, the project,
# its configuration and the vars are those of the last good, published build) it says so and
# stops: the same inputs give the same marts. FORCE=1 builds anyway.
BUILD_VARS = {landing_dir: $(LANDING)}
STATE = $(BIN)/python scripts/configuration_state.py
build: setup  ## the scheduled job: dbt build into $USAGE_HEALTH_DB, then publish the marts for readers
	@$(if $(FORCE)$(FULL_REFRESH),false,$(STATE) unchanged --db $(USAGE_HEALTH_DB) --vars '$(BUILD_VARS)') \
		|| $(MAKE) --no-print-directory build-now $(if $(FULL_REFRESH),FULL_REFRESH=1)

# The build itself, after `make build` found something new (it sets up first: call that).
build-now:
	mkdir -p $(dir $(USAGE_HEALTH_DB))
	$(BIN)/dbt build $(if $(FULL_REFRESH),--full-refresh) --vars '$(BUILD_VARS)' \
		$$($(STATE) args --db $(USAGE_HEALTH_DB) --vars '$(BUILD_VARS)' $(if $(FULL_REFRESH),--full-refresh)) \
		|| { $(BIN)/python scripts/publish.py --report-failure; exit 1; }
	$(STATE) record --db $(USAGE_HEALTH_DB) --vars '$(BUILD_VARS)'
	$(BIN)/python scripts/publish.py
	$(STATE) record-inputs --db $(USAGE_HEALTH_DB) --vars '$(BUILD_VARS)'

summary: setup  ## print where the warehouse is and accounts per quadrant
	$(BIN)/python scripts/summary.py --db $(USAGE_HEALTH_DB)

demo: demo-data build summary  ## set up, generate the demo data, build the warehouse, show the result
# New demo files replace every old one: the demo rebuilds from scratch instead of incrementally.
demo: FULL_REFRESH = 1

dashboard: setup  ## serve the joint dashboard on http://localhost:$(DASHBOARD_PORT) from the published marts
	@test -f $(USAGE_HEALTH_SERVE_DB) || $(MAKE) --no-print-directory demo
	@echo "Dashboard: http://localhost:$(DASHBOARD_PORT) (reads $(USAGE_HEALTH_SERVE_DB); Ctrl-C stops it)"
	$(BIN)/streamlit run dashboard/app.py --server.headless true --server.address localhost --server.port $(DASHBOARD_PORT) \
		--browser.gatherUsageStats false --client.toolbarMode viewer

browser:  ## install Debian's chromium for the dashboard's browser test, if it is missing
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium; }

registry: setup  ## after editing seeds/score_components.csv: regenerate the registry macro and per-component YAML
	$(BIN)/python scripts/registry.py

lint: setup  ## sqlfluff lint of every model and test, rendered by dbt (in a scratch warehouse)
	mkdir -p build
	USAGE_HEALTH_DB=$(CURDIR)/build/lint.duckdb $(BIN)/sqlfluff lint models tests

# Not a step of `make test`: its pytest builds the demo warehouse with the same `dbt build` (every
# seed, model, data test and unit test) and fails when any of them does (test_demo_build.py).
dbt-test: setup  ## dbt build (models, seeds, data tests, unit tests) on fresh demo data in a scratch warehouse
	$(BIN)/python scripts/generate_landing.py --out build/test-landing --accounts 120 --weeks 26 --seed 7
	USAGE_HEALTH_DB=$(CURDIR)/build/test.duckdb $(BIN)/dbt build --full-refresh --vars '{landing_dir: build/test-landing}'

# Two workers, a test file at a time each, the files in the order tests/python/conftest.py gives
# (the Spark parity file first, alone on its worker; --no-loadscope-reorder keeps that order).
pytest: setup browser spark-setup  ## the Python test suite (builds its own warehouses in temporary folders)
	$(BIN)/python -m pytest tests/python -q -n 2 --dist loadfile --no-loadscope-reorder --durations=30

# sqlfluff runs inside pytest (tests/python/test_lint.py), on whichever worker is free.
test: pytest  ## set up and run every test: pytest, with sqlfluff and a demo build that runs every dbt data and unit test

# Scale: small (about 1M events), medium (10M) or large (100M events, 20k accounts, 52 weeks).
SCALE ?= small
.PHONY: bench
bench: setup spark-setup  ## benchmark at SCALE=small|medium|large: full and incremental build, dbt overhead, the floor, pandas
	$(BIN)/python scripts/bench.py --scale $(SCALE)

# The same project on local Spark, into $(USAGE_HEALTH_SPARK_DIR) (tables are Parquet files there).
export USAGE_HEALTH_SPARK_DIR ?= $(CURDIR)/warehouse/spark
spark-build: spark-setup  ## dbt build on local Spark from $(LANDING) (make demo-data first for the demo files)
	$(BIN)/dbt build --target spark $(if $(FULL_REFRESH),--full-refresh) --vars '{landing_dir: $(LANDING)}'
	@echo "Spark warehouse: $(USAGE_HEALTH_SPARK_DIR)/tables/<schema>.db/<table> (Parquet)"

parity: spark-setup  ## compare the DuckDB warehouse with the Spark one, relation by relation
	$(BIN)/python scripts/parity.py --duckdb $(USAGE_HEALTH_DB) --spark-dir $(USAGE_HEALTH_SPARK_DIR)

clean:  ## remove the build products (not the virtual environment)
	rm -rf target logs build warehouse data/landing
