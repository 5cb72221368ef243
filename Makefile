# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_DEMO := $(VENV)/.examkit-demo
STAMP_DEV := $(VENV)/.examkit-dev

.PHONY: demo test lint typecheck imports pytest docs doctest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"

$(STAMP_DEMO): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[sql]"
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e . --group dev
	touch $@ $(STAMP_DEMO)

demo: $(STAMP_DEMO)
	$(BIN)/examkit demo --out demo-out

test: lint typecheck imports pytest docs doctest

lint: $(STAMP_DEV)
	$(BIN)/ruff check src tests benchmarks docs
	$(BIN)/ruff format --check src tests benchmarks docs

typecheck: $(STAMP_DEV)
	$(BIN)/mypy

imports: $(STAMP_DEV)
	$(BIN)/lint-imports

pytest: $(STAMP_DEV)
	$(BIN)/pytest -n 2 --doctest-modules src tests

docs: $(STAMP_DEV)
	$(BIN)/sphinx-build -n -W --keep-going -q -b html docs docs/_build/html

doctest: $(STAMP_DEV)
	$(BIN)/sphinx-build -n -W --keep-going -q -b doctest docs docs/_build/doctest

bench: $(STAMP_DEV)
	for bench in benchmarks/[!_]*.py; do $(BIN)/python $$bench --quick || exit 1; done

clean:
	rm -rf $(VENV) docs/_build demo-out .mypy_cache .ruff_cache
