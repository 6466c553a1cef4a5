# Two commands do all the set-up on a machine with only python3 (3.11+):
#   make demo   installs into .venv and starts the offline demo
#   make test   installs into .venv and runs ruff, mypy and the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint bench clean catalogs

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

# The message catalogs (bot/locales): extract the strings into the template, merge it into
# each language's .po (new strings come in empty, for a translator), compile the .mo files the
# package ships. A new language: $(BIN)/pybabel init -i $(POT) -d bot/locales -D newsbot -l fr
POT := bot/locales/newsbot.pot
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -o $(POT) --no-location --sort-output \
		--add-comments=Translators: --project=newsbot --copyright-holder=newsbot \
		--msgid-bugs-address= --version=0.1 bot
	$(BIN)/pybabel update -i $(POT) -d bot/locales -D newsbot --ignore-obsolete --width=99
	$(BIN)/pybabel compile -d bot/locales -D newsbot --statistics

test: lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
