# Kokemusmittari — the two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint demo bench browser-deps postgres-deps clean

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

# Debian's PostgreSQL for the DuckLake warehouse tests: the tests start a throwaway cluster of
# their own on 127.0.0.1 (tests/postgres_support.py) and stop it when the session ends.
postgres-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else \
	    echo "The DuckLake tests need PostgreSQL: run 'sudo apt-get install postgresql'"; exit 1; \
	  fi; \
	fi

run: $(VENV)/.app-installed
	$(BIN)/python cli.py demo --if-empty
	@echo "Kokemusmittari: http://127.0.0.1:$(PORT)"
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.address 127.0.0.1

# the tests without a browser on both cores, then the browser tests, two files at a time (each
# file keeps its servers on one worker; they mostly wait on Chromium and a server, so two fit
# beside each other where the CPU-bound tests would slow them); a cluster a killed run left
# behind is stopped either way
test: $(VENV)/.dev-installed browser-deps postgres-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not browser" -n 2; status=$$?; \
	if [ $$status -eq 0 ]; then $(BIN)/python -m pytest -m browser -n 2 --dist loadfile; status=$$?; fi; \
	$(BIN)/python tests/postgres_support.py --stop-leftovers; exit $$status

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

demo: $(VENV)/.app-installed
	$(BIN)/python cli.py demo

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/run.py
	$(BIN)/python bench/board_pack.py
	$(BIN)/python bench/national.py

clean:
	rm -rf $(VENV) data tests/artifacts
