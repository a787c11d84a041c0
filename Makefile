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

# The status page is tested in a real headless Chromium (Debian's package).
test: setup
	@command -v chromium >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q chromium; }
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy --strict src benchmarks

# `make bench ONLY=bridge` runs one group (worker, retrieval, bridge, turn, growth,
# quality, search).
bench: setup
	$(BIN)/python -m benchmarks $(if $(ONLY),--only $(ONLY))

# Real processes killed with SIGKILL (tests/chaos); not part of `make test`.
chaos: setup
	$(BIN)/python -m tests.chaos $(CHAOS_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build src/*.egg-info
