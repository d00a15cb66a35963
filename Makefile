# The two commands of the README:
#   make run   - verify the spec, build the reviewer site, evaluate the example case
#   make test  - the whole test suite
# Both create .venv and install everything on first use; only Python 3.11+, pip and make are needed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
EXAMPLE ?= examples/neurological-deficiency.yaml

.PHONY: run test install lint clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/b12spec evaluate $(EXAMPLE)

lint: $(STAMP)
	$(BIN)/ruff check b12spec tests

test: $(STAMP) lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) site build reports docs/generated
