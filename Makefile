# Kokemusmittari — the two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint demo bench browser-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.app-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.app-installed

# Debian's Chromium for the real-browser tests (Playwright drives /usr/bin/chromium;
# it cannot download a browser of its own here).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Browser tests need /usr/bin/chromium: run 'sudo apt-get install chromium'"; exit 1; \
	  fi; \
	fi

run: $(VENV)/.app-installed
	$(BIN)/python cli.py demo --if-empty
	@echo "Kokemusmittari: http://127.0.0.1:$(PORT)"
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.address 127.0.0.1

test: $(VENV)/.dev-installed browser-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

demo: $(VENV)/.app-installed
	$(BIN)/python cli.py demo

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/run.py
	$(BIN)/python bench/board_pack.py

clean:
	rm -rf $(VENV) data tests/artifacts
