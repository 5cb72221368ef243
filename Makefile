# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
# Both install exactly the versions in uv.lock (uv is installed first where it is missing);
# `make lock` refreshes the lock after pyproject.toml changes.
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
BIN := $(VENV)/bin
# uv: the one on PATH, else a copy of our own in .tools/ (installed by pip from PyPI).
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
STAMP_DEMO := $(VENV)/.examkit-demo
STAMP_DEV := $(VENV)/.examkit-dev
LOWEST := .venv-lowest
# uv makes .venv with this interpreter and never downloads one.
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Installed packages are compiled to bytecode once, and examkit's own modules may keep
# theirs: otherwise every process the tests start compiles them all again (seconds each).
export UV_COMPILE_BYTECODE := 1
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo test lock lock-check lint typecheck imports pytest pytest-portal-http docs doctest bench \
	test-lowest clean

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

# The lock must match pyproject.toml: say so plainly instead of installing something else.
lock-check: | $(UV)
	@$(UV) lock --check --quiet 2>/dev/null || { \
	  echo "uv.lock is out of date with pyproject.toml: run 'make lock' and commit uv.lock." >&2; \
	  exit 1; }

lock: | $(UV)
	$(UV) lock

$(STAMP_DEMO): pyproject.toml uv.lock | $(UV)
	$(MAKE) --no-print-directory lock-check
	$(UV) sync --quiet --locked --inexact --extra sql --extra web --no-default-groups
	touch $@

$(STAMP_DEV): pyproject.toml uv.lock | $(UV)
	$(MAKE) --no-print-directory lock-check
	$(UV) sync --quiet --locked --all-extras --all-groups
	touch $@ $(STAMP_DEMO)

demo: $(STAMP_DEMO)
	PYTHONPATH=examples/portal $(BIN)/python -m portal demo

test: lock-check lint typecheck imports pytest pytest-portal-http docs doctest

lint: $(STAMP_DEV)
	$(BIN)/ruff check src tests benchmarks docs examples
	$(BIN)/ruff format --check src tests benchmarks docs examples

typecheck: $(STAMP_DEV)
	$(BIN)/mypy

imports: $(STAMP_DEV)
	$(BIN)/lint-imports

# axe-core for the portal's accessibility tests, at the version package-lock.json holds.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --silent

pytest: $(STAMP_DEV) node_modules/.package-lock.json
	$(BIN)/pytest -n 2 --doctest-modules src tests

# The portal's route tests (all of tests/portal; not the browser tests of tests/e2e) once
# more with the portal's kit on HttpBackend, over an in-process storage server on the same
# SQLite file (issue 24; see tests/portal/backends.py). All of them, as the issue asks: about
# 360 tests, 3 minutes of CPU: 1 min 52 s on 2 idle cores (measured; the fault matrix in
# tests/http/test_http_faults.py adds 30 s to the pytest target).
pytest-portal-http: $(STAMP_DEV) node_modules/.package-lock.json
	EXAMKIT_PORTAL_BACKEND=http $(BIN)/pytest -n 2 tests/portal

docs: $(STAMP_DEV)
	$(BIN)/sphinx-build -n -W --keep-going -q -b html docs docs/_build/html

doctest: $(STAMP_DEV)
	$(BIN)/sphinx-build -n -W --keep-going -q -b doctest docs docs/_build/doctest

# The lowest versions pyproject.toml allows for the runtime dependencies (the sql extra
# included) and the testing extra (uv's lowest-direct resolution), in a venv of their own,
# on the tests of the pure domain, the parsers and the memory backend. The tools the tests
# use beside them (pytest-xdist, pypdf, pypdfium2) come at their locked versions.
LOWEST_TESTS := tests/unit tests/properties tests/known_answers tests/test_catalogue_codes.py \
	tests/contract/test_memory_backend.py tests/contract/test_broken_backend.py
LOWEST_TOOLS := pytest-xdist|execnet|pypdf|pypdfium2

test-lowest: | $(UV)
	$(MAKE) --no-print-directory lock-check
	rm -rf $(LOWEST)
	$(UV) venv --quiet $(LOWEST)
	$(UV) export --quiet --locked --all-groups --no-hashes --no-emit-project \
	  | grep -E '^($(LOWEST_TOOLS))==' > $(LOWEST)/tools.txt
	$(UV) pip install --quiet --python $(LOWEST)/bin/python --resolution lowest-direct \
	  -e ".[testing,sql]" -r $(LOWEST)/tools.txt
	$(UV) pip list --python $(LOWEST)/bin/python
	$(LOWEST)/bin/python -m pytest -n 2 $(LOWEST_TESTS)

bench: $(STAMP_DEV)
	for bench in benchmarks/[!_]*.py; do $(BIN)/python $$bench --quick || exit 1; done

clean:
	rm -rf $(VENV) $(LOWEST) .tools docs/_build demo-out .mypy_cache .ruff_cache examkit-demo.db*
