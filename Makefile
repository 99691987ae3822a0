# Two entry points: `make run` and `make test`. Each creates .venv and installs on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install gates pytest bench clean redis-server

TOOL := packages/protodoubles
# The rules that keep a test from dodging the gates: in tests/ a `# noqa` does not turn them off.
GUARD_RULES := TID251,B009,B010,B017,PT011,PGH003,PGH004,S102,S307

# The tool first, from this checkout: byok-contracts depends on it by name.
$(STAMP): pyproject.toml $(TOOL)/pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '$(TOOL)[pytest]' -e '.[dev,corpus,redis]'
	touch $(STAMP)

# The shared budget's tests run a real redis-server: Debian's package, installed with apt-get when missing
# (as root, else through sudo).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
redis-server:
	@command -v redis-server >/dev/null || $(SUDO) apt-get install -y -qq redis-server \
		|| ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq redis-server)
	@command -v redis-server >/dev/null || (echo "make: redis-server could not be installed; install Debian's redis-server package" >&2; exit 1)

install: $(STAMP) redis-server

run: install
	$(PY) tools/gen_protocol.py
	$(PY) tools/gen_protocol.py --check
	$(PY) -m byok route "Compare two sorting algorithms and explain the trade-offs"

gates: install
	$(PY) tools/gen_protocol.py --check
	$(PY) -m ruff check .
	$(PY) -m ruff check --ignore-noqa --select $(GUARD_RULES) tests/
	$(PY) -m ruff format --check .
	$(PY) tools/annotate_tests.py --check tests/
	$(PY) -m mypy tests/
	$(VENV)/bin/ty check --no-progress
	$(PY) -m mypy

pytest: install
	$(PY) -m pytest -n auto -q

test: gates pytest

bench: install
	$(PY) -m pip install --quiet --disable-pip-version-check -e '$(TOOL)[pytest]' -e '.[dev,bench]'
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache

# Mutation testing (mutmut 3, configured in pyproject.toml): CPU-heavy, so few workers by default.
# `make mutation MUTANTS='byok.budget.*'` runs one module's mutants; the score is printed per module.
MUTATION_JOBS ?= 2
MUTANTS ?=
.PHONY: mutation
mutation: install
	$(PY) -m pip install --quiet --disable-pip-version-check -e '$(TOOL)[pytest]' -e '.[dev,mutation]'
	-$(VENV)/bin/mutmut run --max-children $(MUTATION_JOBS) $(MUTANTS)
	$(PY) tools/mutation_score.py
