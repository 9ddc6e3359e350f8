# Two commands for a newcomer: `make demo` (score the bundled corpus) and `make test`.
# Both create .venv from pyproject.toml on first use; only python3 (3.10+) and make are needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

.PHONY: install demo test test-fast lint bench feature-table
install: $(VENV)/.installed

# the seeds (outlets from corpus/seeds/manifest.csv) and 40 real articles of four outlets (corpus/sample/)
demo: install
	$(BIN)/newsscore score corpus/seeds corpus/sample/articles.jsonl -o out/demo_scores.csv
	$(BIN)/newsscore report out/demo_scores.csv -o out/report.html

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider

# the quick loop: everything but the tests marked slow (nested CV, notebooks, Dask, browser, wheel)
test-fast: install
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow"

lint: install
	$(BIN)/ruff check scoring tests benchmarks scripts

# README's feature table, regenerated from scoring/features/specs.tsv
feature-table: install
	$(BIN)/python scripts/feature_table.py

bench: install
	$(BIN)/python benchmarks/extraction_speed.py
