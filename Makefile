# The README's two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test redis-server index lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/deckbot index --if-needed
	$(BIN)/deckbot serve --or-chat

# The store tests start their own redis-server on a free loopback port; install the Debian package when it is
# missing (checked on every run, so a removed binary is noticed; sudo only when not root).
redis-server:
	@command -v redis-server >/dev/null 2>&1 || { \
	  SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	  echo "installing redis-server (Debian package) for the store tests"; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server; }
	@command -v redis-server >/dev/null 2>&1 || { echo "make test needs redis-server: install it" >&2; exit 1; }

test: $(STAMP) redis-server
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

index: $(STAMP)
	$(BIN)/deckbot index

bench: $(STAMP)
	$(BIN)/deckbot bench

clean:
	rm -rf $(VENV) .deckbot
