# Segments: `make demo` builds the bundled sample, `make test` runs every check CI runs.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DIR ?= demo
DEMO_CUSTOMERS ?= 5000

export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

.PHONY: help install demo test lint format pytest clean

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
	$(BIN)/segments generate --customers $(DEMO_CUSTOMERS) --out $(DEMO_DIR)/transactions.csv
	$(BIN)/segments build --workdir $(DEMO_DIR) --transactions $(DEMO_DIR)/transactions.csv
	$(BIN)/segments export --workdir $(DEMO_DIR) --out $(DEMO_DIR)/exports --format csv
	@echo
	@echo "Marts:   $(DEMO_DIR)/segments.duckdb (tables customer_segments, segment_summary, rejected_transactions)"
	@echo "Exports: $(DEMO_DIR)/exports/"

lint: install ## Lint Python (ruff) and SQL (sqlfluff, dbt templater, duckdb dialect)
	$(BIN)/ruff check cli tests
	$(BIN)/ruff format --check cli tests
	$(BIN)/sqlfluff lint models macros tests/data

format: install ## Fix Python formatting and fixable SQL lint
	$(BIN)/ruff format cli tests
	$(BIN)/sqlfluff fix models tests/data

pytest: install ## Run the pytest suite (dbt builds, unit tests and CLI tests included)
	$(BIN)/python -m pytest

test: lint pytest ## Everything CI runs

clean: ## Remove the virtualenv, build state and demo output
	rm -rf $(VENV) target logs .segments $(DEMO_DIR) segments.duckdb .pytest_cache
