# policeplan: the commands a newcomer runs. `make run` serves the site; `make test` checks it.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/policeplan
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run dev setup install install-dev frontend browser-deps pdf-deps migrate load test lint typecheck test-sqlite test-postgres test-slow fuzz bench bench-report bench-scale bench-serve clean

# The production server (granian + WhiteNoise, config/serve.py) on the bundled data.
# DEBUG is off as in production; development settings otherwise (no TLS on 127.0.0.1).
run: setup ## Serve the site on http://127.0.0.1:8000 with the bundled data (SQLite), with granian
	DJANGO_DEBUG=$${DJANGO_DEBUG:-0} LOG_REQUESTS=$${LOG_REQUESTS:-1} $(BIN)/python -m config.serve

dev: setup ## Django's autoreloading development server on http://127.0.0.1:8000 (DEBUG on)
	$(BIN)/python manage.py runserver 127.0.0.1:8000

setup: install frontend pdf-deps migrate load

# Runtime only (requirements.lock): what `make run` and a production server need.
install: $(VENV)/.installed
$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# Runtime plus the test and lint tools (requirements-dev.lock, the same runtime pins).
install-dev: $(VENV)/.installed-dev
$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	touch $@

frontend: frontend/build/.built
frontend/build/.built: frontend/package.json frontend/package-lock.json frontend/build.mjs $(wildcard frontend/src/*/*)
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build
	touch $@

# The browser tests (tests/browser/) drive Debian's Chromium through Playwright; Playwright's own
# browser download is never used. Needs root, as on the project's machines and CI.
browser-deps:
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# WeasyPrint (the Board and Panel report PDFs) needs Pango, HarfBuzz and fontconfig from the
# system, and at least one font. Debian's names; installed only when the library is missing.
# Serving the site never needs them (the PDF is made by build_report), so without root this
# only warns.
PDF_PACKAGES := fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libfontconfig1 fonts-liberation fonts-dejavu-core
pdf-deps:
	@ldconfig -p | grep -q libpangoft2-1.0.so.0 && ldconfig -p | grep -q libharfbuzz-subset.so.0 && fc-list 2>/dev/null | grep -qi -e liberation -e dejavu || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES)) || \
	  echo "WARNING: could not install $(PDF_PACKAGES); build_report needs them for PDFs"

migrate: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --no-input -v 0

load: install ## plans, geography and the bundled police.uk files (a no-op when already held)
	$(BIN)/python manage.py load_plans
	$(BIN)/python manage.py load_geography
	$(BIN)/python manage.py import_police_uk data/police_uk
	$(BIN)/python manage.py import_ons_pfa data/ons_pfa/*.xlsx
	$(BIN)/python manage.py load_peer_groups
	$(BIN)/python manage.py compute_metrics

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy .

test: install-dev frontend browser-deps pdf-deps lint typecheck test-sqlite test-postgres ## ruff, mypy, then pytest on SQLite and on PostgreSQL

test-sqlite: install-dev
	@echo "=== pytest on SQLite ==="
	env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider -q

test-postgres: install-dev
	@echo "=== pytest on PostgreSQL ($(PG_URL)) ==="
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -p no:cacheprovider -q

# Long trials outside `make test`: kill -9 during imports, PostgreSQL restarts, load against the
# production server. Tests marked `soak`; they choose their database themselves (PG_URL, SQLite).
test-slow: install-dev frontend migrate load ## kill -9 trials and the load test (several minutes)
	PG_URL=$(PG_URL) $(BIN)/pytest -p no:cacheprovider -q -s -m soak

# Property-based fuzzing (hypothesis) of every parser and import from real bundled files, a
# larger run than the few examples `make test` tries; prints the tally of outcomes.
# POLICEPLAN_FUZZ_EXAMPLES inputs per test (default here 200), POLICEPLAN_FUZZ_SEED to vary it.
fuzz: install-dev ## fuzz every parser and import on SQLite and PostgreSQL; prints the tallies
	@echo "=== fuzz on SQLite ==="
	POLICEPLAN_FUZZ_EXAMPLES=$${POLICEPLAN_FUZZ_EXAMPLES:-200} POLICEPLAN_FUZZ_SEED=$${POLICEPLAN_FUZZ_SEED:-0} \
	  env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider -q tests/fuzz
	@echo "=== fuzz on PostgreSQL ($(PG_URL)) ==="
	POLICEPLAN_FUZZ_EXAMPLES=$${POLICEPLAN_FUZZ_EXAMPLES:-200} POLICEPLAN_FUZZ_SEED=$${POLICEPLAN_FUZZ_SEED:-0} \
	  DATABASE_URL=$(PG_URL) $(BIN)/pytest -p no:cacheprovider -q tests/fuzz

bench-deps: install-dev
	$(BIN)/python -m pip install --quiet -r requirements-bench.lock

bench: bench-ingest bench-metrics bench-report bench-serve ## every benchmark (needs ../shared and PostgreSQL)

bench-ingest: bench-deps ## police.uk import vs bare COPY / csv+executemany (PostgreSQL, SQLite), rows/s and ratios
	$(BIN)/python benchmarks/ingest.py $(BENCH_ARGS)

bench-scale: bench-deps ## SYNTHETIC 1x and 4x scale-up on PostgreSQL: import and full recompute, extrapolated
	$(BIN)/python benchmarks/scale.py $(BENCH_ARGS)

bench-metrics: install ## recompute every metric for every area and month, seconds and rows/s
	$(BIN)/python benchmarks/metrics.py --skip-shared
	$(BIN)/python benchmarks/metrics.py

bench-report: setup ## Panel report build time vs the same metric pages one by one (ratio)
	$(BIN)/python benchmarks/report.py

# The load generator is Debian's wrk, installed here when missing (needs root); without it the
# benchmark falls back to a Python asyncio generator and says so.
bench-serve: setup bench-deps ## granian as `make run` vs Datasette under load: req/s, p50/p95/p99, ratios
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) || \
	  echo "WARNING: could not install wrk; the Python load generator is used"
	$(BIN)/python benchmarks/serve.py

clean:
	rm -rf $(VENV) var staticfiles frontend/node_modules frontend/build
