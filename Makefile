# Two commands do all the set-up on a machine with only python3 (3.11+):
#   make demo   installs into .venv and starts the offline demo
#   make test   installs into .venv and runs ruff, mypy and the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newsbot console --demo

lint: $(STAMP)
	$(BIN)/ruff check bot summaries standin tests bench
	$(BIN)/ruff format --check bot summaries standin tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
