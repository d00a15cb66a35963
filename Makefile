# The two commands of the README:
#   make run   - verify the spec, build the reviewer site, evaluate the example case
#   make test  - the whole test suite
# Both create .venv and install everything on first use; only Python 3.11+, pip and make are needed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
EXAMPLE ?= examples/neurological-deficiency.yaml

.PHONY: run test install lint clean chromium java

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP) chromium
	$(BIN)/b12spec check --output reports/check.json
	$(BIN)/b12spec coverage --quiet --output reports/coverage.json --scenario-results reports/scenario-results.json
	$(BIN)/b12spec mutate --jobs 2 --output reports/mutation.json
	$(BIN)/b12spec docs build
	$(BIN)/b12spec docs packet --output site/packets
	$(BIN)/b12spec evaluate $(EXAMPLE)

# ruff with a broad rule set, and mypy --strict on the package (config in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check b12spec tests
	$(BIN)/mypy

test: $(STAMP) lint chromium java
	$(BIN)/b12spec check --strict
	$(BIN)/pytest

# The site's browser test and the sign-off packets (PDF printed by Chromium) drive Debian's
# chromium through Playwright (its own browser download does not work here): install it when
# missing and we are root, else say how.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "error: /usr/bin/chromium is missing; install it with: sudo apt-get install chromium" >&2; exit 1; \
	  fi; \
	fi

# The cohort's Spark test runs PySpark in local mode, which needs a Java runtime: install Debian's
# when missing and we are root, else say how.
java:
	@if ! command -v java >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; \
	  else \
	    echo "error: java is missing; install it with: sudo apt-get install default-jre-headless" >&2; exit 1; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) site build reports docs/generated
