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

.PHONY: install demo test lint bench
install: $(VENV)/.installed

demo: install
	$(BIN)/newsscore score corpus/seeds -o out/seeds_scores.csv
	$(BIN)/newsscore report out/seeds_scores.csv -o out/report.html

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: install
	$(BIN)/ruff check scoring tests benchmarks

bench: install
	$(BIN)/python benchmarks/extraction_speed.py
