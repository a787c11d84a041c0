# One dev loop for people, pre-commit and CI: setup, up, test, lint, bench.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.hearth-setup

.PHONY: setup up test lint bench chaos clean

setup: $(STAMP)

# The stamp makes a second `make setup` on a ready tree a no-op.
$(STAMP): pyproject.toml scripts/install-llama scripts/llama-cmake-args
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	@scripts/install-llama $(BIN)/python
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $@
	@echo "Hearth is installed in $(VENV)"

up: setup
	$(BIN)/hearth up

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/mypy --strict src

bench: setup
	$(BIN)/python -m hearth.bench

# Real processes killed with SIGKILL (tests/chaos); not part of `make test`.
chaos: setup
	$(BIN)/python -m tests.chaos $(CHAOS_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build src/*.egg-info
