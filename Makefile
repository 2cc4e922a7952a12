# Set-up and everyday commands. `make run` and `make test` do all set-up on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000
INSTANCE ?= instance

.PHONY: run test bench install syscheck lint clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

# WeasyPrint needs Pango, HarfBuzz and a font from Debian; say exactly what is missing.
syscheck:
	@missing=""; \
	for lib in libpango-1.0.so.0:libpango-1.0-0 libpangoft2-1.0.so.0:libpangoft2-1.0-0 \
	           libharfbuzz-subset.so.0:libharfbuzz-subset0; do \
	  so=$${lib%%:*}; pkg=$${lib##*:}; \
	  ldconfig -p | grep -q "$$so" || missing="$$missing $$pkg"; \
	done; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  echo "Missing Debian packages needed by WeasyPrint:$$missing"; \
	  echo "Install them with: sudo apt-get install$$missing"; exit 1; \
	fi

run: install syscheck
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
test: install syscheck
	$(BIN)/pytest -n $(TEST_WORKERS) --durations=15

bench: install syscheck
	$(BIN)/pytest tests/perf -p no:cacheprovider -o addopts="" -q -s

clean:
	rm -rf $(VENV) .pytest_cache
