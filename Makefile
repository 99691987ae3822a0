# Two entry points: `make run` and `make test`. Each creates .venv and installs on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install gates gates-stop pytest bench clean redis-server

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

# `make gates`: every static gate, side by side (make -j; each gate's output printed whole when it ends).
# The warm path (GATES_DAEMON=1, the default): mypy through its daemon, dmypy, which checks what `mypy tests/`
# and `mypy` check (mypy.ini's files: tests/ among them) with the same settings; it starts on first use and
# stays for the next run (`make gates-stop` stops it; it stops by itself after DMYPY_TIMEOUT idle seconds).
# ty through tools/ty_gate.py, which checks again only the files a change reaches. gen_protocol --check and
# annotate_tests --check skip what their records say is unchanged (.protodoubles_cache/).
# `make test` (CI) runs the same gates with GATES_DAEMON=0: `mypy tests/` then `mypy`, and ty over everything;
# no daemon is started. Records and the daemon's files live in $(GATES_CACHE), which git ignores.
GATES_DAEMON ?= 1
GATES_CACHE := .gates_cache
RUFF := $(VENV)/bin/ruff
DMYPY := $(PY) -m mypy.dmypy --status-file $(GATES_CACHE)/dmypy.json
DMYPY_TIMEOUT ?= 7200
GATE_STEPS := gate-protocols gate-ruff gate-guard gate-format gate-annotate gate-mypy gate-ty
.PHONY: $(GATE_STEPS)

gates: install
	@$(MAKE) --no-print-directory --keep-going --jobs --output-sync=target GATES_DAEMON=$(GATES_DAEMON) $(GATE_STEPS)

gate-protocols:
	$(PY) tools/gen_protocol.py --check
gate-ruff:
	$(RUFF) check .
gate-guard:
	$(RUFF) check --ignore-noqa --select $(GUARD_RULES) tests/
gate-format:
	$(RUFF) format --check .
gate-annotate:
	$(PY) tools/annotate_tests.py --check tests/
ifeq ($(GATES_DAEMON),0)
gate-mypy:
	$(PY) -m mypy tests/
	$(PY) -m mypy
gate-ty:
	$(VENV)/bin/ty check --no-progress
else
gate-mypy: $(GATES_CACHE)/dmypy.installed
	$(DMYPY) run --timeout $(DMYPY_TIMEOUT) --log-file $(GATES_CACHE)/dmypy.log --
gate-ty:
	$(PY) tools/ty_gate.py
endif

# A daemon started before the last install may hold modules that changed on disk: stop it (it restarts).
$(GATES_CACHE)/dmypy.installed: $(STAMP)
	@mkdir -p $(GATES_CACHE)
	@$(DMYPY) stop >/dev/null 2>&1 || true
	@touch $@

gates-stop:
	@test ! -f $(GATES_CACHE)/dmypy.json || $(DMYPY) stop

pytest: install
	$(PY) -m pytest -n auto -q

test: GATES_DAEMON = 0
test: gates pytest

bench: install
	$(PY) -m pip install --quiet --disable-pip-version-check -e '$(TOOL)[pytest]' -e '.[dev,bench]'
	$(PY) benchmarks/run.py

clean:
	-@test ! -f $(GATES_CACHE)/dmypy.json || $(DMYPY) stop
	rm -rf $(VENV) .mypy_cache .pytest_cache $(GATES_CACHE)

# Mutation testing (mutmut 3, configured in pyproject.toml): CPU-heavy, so few workers by default.
# `make mutation MUTANTS='byok.budget.*'` runs one module's mutants; the score is printed per module.
MUTATION_JOBS ?= 2
MUTANTS ?=
.PHONY: mutation
mutation: install
	$(PY) -m pip install --quiet --disable-pip-version-check -e '$(TOOL)[pytest]' -e '.[dev,mutation]'
	-$(VENV)/bin/mutmut run --max-children $(MUTATION_JOBS) $(MUTANTS)
	$(PY) tools/mutation_score.py
