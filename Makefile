# gongkai — developer and CI entry points.
#   make demo   set up, ingest the bundled sample reports into a SQLite file, print stats
#   make test   set up, start what the tests need (PostgreSQL when available), run pytest
# .ci/run installs system packages and then runs exactly `make test`.

PYTHON   ?= python3
VENV     ?= .venv
PY       := $(VENV)/bin/python
GONGKAI  := $(VENV)/bin/gongkai
DEMO_DB  ?= out/demo.db
PYTEST_ARGS ?=

.PHONY: setup demo test lint bench clean-demo

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

demo: setup
	@mkdir -p $(dir $(DEMO_DB))
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(GONGKAI) ingest src/gongkai/samples --db $(DEMO_DB)
	$(GONGKAI) reports --db $(DEMO_DB)
	$(GONGKAI) stats --db $(DEMO_DB) --level 2
	$(GONGKAI) corpus-check --db $(DEMO_DB)

test: setup
	@set +e; \
	if [ -z "$$GONGKAI_TEST_PG" ]; then eval "$$(bash .ci/run pg-env)"; fi; \
	$(PY) -m pytest --verbosity=-1 $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc = 5 ]; then echo "pytest: no tests collected (exit 5)"; rc=0; fi; \
	if [ -n "$$GK_PG_STOP" ]; then eval "$$GK_PG_STOP" >/dev/null 2>&1; fi; \
	exit $$rc

lint: setup
	$(VENV)/bin/ruff check src tests

bench: setup
	$(PY) bench/bench_ingest.py --n 2000
