# attain: two commands, `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP    := $(BIN)/python -m pip

.PHONY: install install-test demo test test-thorough test-fast lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install -q -c constraints.txt -e '.[test,dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/attain demo

test: install
	$(BIN)/python -m pytest -n 2 -q $(PYTEST_ARGS)

test-thorough: install
	ATTAIN_THOROUGH=1 $(BIN)/python -m pytest -n 2 -q $(PYTEST_ARGS)

test-fast: install
	$(BIN)/python -m pytest -q -x -m "not slow and not postgres" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
