# The README's two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test index lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/deckbot index --if-needed
	$(BIN)/deckbot serve --or-chat

test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

index: $(STAMP)
	$(BIN)/deckbot index

bench: $(STAMP)
	$(BIN)/deckbot bench

clean:
	rm -rf $(VENV) .deckbot
