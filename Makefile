# Set-up and everyday commands. `make run` and `make test` do all set-up on a fresh clone,
# Debian packages included (as root or with sudo without a password; otherwise they print the
# one command to run).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000
INSTANCE ?= instance

.PHONY: run test bench install system-run system-test lint typecheck wheel-check constraints \
        clean

# Versions pinned by constraints.txt (the ones the suite passes with); `make constraints`
# refreshes it from the venv.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	@touch $(STAMP)

# Debian packages (.ci/system-packages): WeasyPrint's Pango, HarfBuzz and font and
# python3-venv to run; Chromium and poppler-utils too for the tests.
system-run:
	@bash .ci/system-packages run

system-test:
	@bash .ci/system-packages test

install: system-run $(STAMP)

run: install
	$(BIN)/tracker db upgrade
	$(BIN)/tracker catalogue load
	@if [ ! -f $(INSTANCE)/.demo-loaded ]; then \
	  $(BIN)/tracker demo load && mkdir -p $(INSTANCE) && touch $(INSTANCE)/.demo-loaded; \
	else echo "Demo data loaded on first run (tracker demo load prints the logins)."; fi
	@# The report worker (huey on an SQLite queue under instance/: no extra server) runs beside
	@# the web server and stops with it.
	$(BIN)/tracker worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	TRACKER_SECURE_COOKIES=$${TRACKER_SECURE_COOKIES:-0} $(BIN)/tracker run --host $(HOST) --port $(PORT)

# Two workers: CI machines have two cores; each worker gets its own SQLite file and
# PostgreSQL schema (tests/conftest.py). TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
test: system-test install
	$(BIN)/pytest -n $(TEST_WORKERS) --durations=15

# ruff with the project's configuration (pyproject.toml); .ci/run calls it before the tests.
lint: install
	$(BIN)/ruff check tracker tests

# mypy with [tool.mypy] (0 findings); .ci/run calls it after ruff.
typecheck: install
	$(BIN)/pip install --quiet -c constraints.txt -e ".[typecheck]"
	$(BIN)/mypy

# Build the wheel, install it in a fresh venv and serve the demo outside the checkout.
wheel-check:
	bash .ci/wheel-check

constraints: install
	@{ sed -n '1,2p' constraints.txt; \
	  $(BIN)/pip freeze --exclude-editable | grep -vi '^sdg.tracker'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

bench: system-test install
	$(BIN)/pytest tests/perf -p no:cacheprovider -o addopts="" -q -s

clean:
	rm -rf $(VENV) .pytest_cache
