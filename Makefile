# Segments: `make demo` builds the bundled sample, `make test` runs every check CI runs.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DIR ?= demo
DEMO_CUSTOMERS ?= 5000

export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

.PHONY: help install demo test lint format pytest clean chromium

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Segments needs Python 3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed ## Create the virtualenv and install Segments with its dev tools

demo: install ## Generate ~5,000 sample customers, build their segments, export the marts
	$(BIN)/segments generate --customers $(DEMO_CUSTOMERS) --out $(DEMO_DIR)/transactions.csv \
		--customers-out $(DEMO_DIR)/customers.csv --events-out $(DEMO_DIR)/events.csv
	$(BIN)/segments build --workdir $(DEMO_DIR) --transactions $(DEMO_DIR)/transactions.csv \
		--customers $(DEMO_DIR)/customers.csv --events $(DEMO_DIR)/events.csv \
		--segments-file examples/segments.yml
	$(BIN)/segments export --workdir $(DEMO_DIR) --out $(DEMO_DIR)/exports --format csv
	@echo
	@echo "Marts:   $(DEMO_DIR)/segments.duckdb (tables customer_segments, segment_summary, customer_profiles, dynamic_segment_members, ...)"
	@echo "Exports: $(DEMO_DIR)/exports/"

lint: install ## Lint Python (ruff) and SQL (sqlfluff, dbt templater, duckdb dialect)
	$(BIN)/ruff check cli tests bench
	$(BIN)/ruff format --check cli tests bench
	$(BIN)/sqlfluff lint models tests/data

format: install ## Fix Python formatting and fixable SQL lint
	$(BIN)/ruff format cli tests bench
	$(BIN)/sqlfluff fix models tests/data

pytest: install chromium ## Run the pytest suite (dbt builds, unit tests and CLI tests included)
	$(BIN)/python -m pytest -n 2 --dist loadfile

test: lint pytest ## Everything CI runs

clean: ## Remove the virtualenv, build state and demo output
	rm -rf $(VENV) target logs .segments $(DEMO_DIR) segments.duckdb .pytest_cache

# Benchmark (not part of `make test`; results in docs/benchmarks.md). Sizes count
# transactions; BENCH_LARGE=1 adds 100M (about 1.2 GB of Parquet under bench/data/).
BENCH_SIZES ?= 10k 1M 10M
BENCH_CSV_SIZES ?= 10M
BENCH_ROUNDS ?= 3
BENCH_LARGE ?=
BENCH_ARGS ?=

.PHONY: bench bench-backfill bench-append

$(VENV)/.bench-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	@touch $@

bench: $(VENV)/.bench-installed ## Time segments build against hand-made DuckDB queries, pandas and polars
	$(BIN)/python -m bench.run --sizes "$(BENCH_SIZES)$(if $(BENCH_LARGE), 100M)" \
		--csv-sizes "$(BENCH_CSV_SIZES)" --rounds $(BENCH_ROUNDS) $(BENCH_ARGS)

bench-backfill: install ## Time segments backfill against 16 separate builds (same history)
	$(BIN)/python -m bench.run --backfill $(BENCH_ARGS)

bench-append: install ## Time a build appending a day of transactions against a full build (10M)
	$(BIN)/python -m bench.run --append $(BENCH_ARGS)

chromium: ## Install headless Chromium (Debian package), used by the report tests
	command -v chromium || (apt-get update && apt-get install -y chromium)

# Parity on Apache Spark (not part of `make test`): installs the spark extra (dbt-spark,
# pyspark; Java 17 must be installed), builds the sample on DuckDB and on a local Spark
# through the CLI, and compares the marts row for row.
.PHONY: test-spark

$(VENV)/.spark-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev,spark]"
	@touch $@

test-spark: $(VENV)/.spark-installed ## Build the sample on DuckDB and on Spark, compare the marts
	$(BIN)/python -m pytest -m spark tests/test_spark.py

# Parity on PostgreSQL (not part of `make test`): installs the postgres extra and, when
# missing, Debian's postgresql package; starts a throwaway server on 127.0.0.1
# (tests/with_postgres.sh), builds the same inputs on DuckDB and on PostgreSQL through
# the CLI, and compares the marts row for row.
.PHONY: test-postgres

$(VENV)/.postgres-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[dev,postgres]"
	@touch $@

test-postgres: $(VENV)/.postgres-installed ## Build on DuckDB and on a throwaway PostgreSQL, compare the marts
	bash tests/with_postgres.sh $(BIN)/python -m pytest -m postgres tests/test_postgres.py
