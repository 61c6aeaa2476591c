# Two commands on a fresh machine: `make run` serves the site, `make test` tests it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run dev test lint format check install install-dev chromium clean export lighthouse soak bench bench-scale bench-reload bench-tools bench-import bench-papers

run: install  ## Serve the site with gunicorn on http://127.0.0.1:8000/
	$(BIN)/gunicorn --config gunicorn.conf.py

dev: install  ## Flask's development server with the debugger (never in production)
	$(BIN)/flask --app app run --debug

export: install  ## Write the whole site as static files into build/site/ (for any static host)
	$(BIN)/python -m workshop export --destination build/site

test: install-dev node_modules/.installed chromium bench-tools  ## Lint, then every test (browser tests included)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lighthouse: install-dev node_modules/.installed chromium  ## Lighthouse (mobile) on the page served by gunicorn: the timed performance score (median of 3 runs), and the hard checks
	$(BIN)/python scripts/lighthouse.py

soak: install  ## 60 s of load on gunicorn (3 workers): a worker killed, a data file edited; reports errors, reload time, memory
	$(BIN)/python scripts/soak.py

bench: install bench-tools  ## The app vs nginx serving its static export (wrk on 127.0.0.1): requests/s, p50/p99, ratio; page weight
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

bench-scale: install bench-tools  ## The same on a generated edition (1,000 papers, 100 sessions), with the reload time
	$(BIN)/python scripts/bench.py --scale $(BENCH_ARGS)

bench-import: install  ## Time import-papers on a generated export of 300 papers (CMT formats, camera-ready zip, OpenReview)
	$(BIN)/python scripts/bench_import.py $(BENCH_ARGS)

bench-papers: install chromium  ## An edition of 300 papers: check, reload, page weight, a filter keystroke in Chromium at 4x CPU slowdown
	$(BIN)/python scripts/bench_papers.py $(BENCH_ARGS)

bench-reload: install  ## An edit of a generated edition (300, 3,000, 26,000 papers) under gunicorn: CPU, time until live, RSS/PSS, latency
	$(BIN)/python scripts/bench_reload.py $(BENCH_ARGS)

lint: install-dev
	$(BIN)/ruff check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

# Test-only npm packages (axe-core, ical.js, lighthouse, vnu-jar, the OpenAPI linters @redocly/cli and
# @stoplight/spectral-cli), exactly as locked.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

chromium:
	@scripts/ensure-chromium

bench-tools:
	@scripts/ensure-bench-tools

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache test-artifacts build
