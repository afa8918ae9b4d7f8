# safetynet — the two commands: `make run` (demo county on SQLite) and `make test` (whole suite, SQLite + PostgreSQL).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgresql://postgres@127.0.0.1:5432/safetynet
export UV_PYTHON_DOWNLOADS := never

.PHONY: run run-deps setup setup-dev serve demo test test-sqlite test-postgres system-deps bench lint clean

run: setup run-deps demo serve

# PDFs (WeasyPrint) need Pango and a CJK font at run time.
run-deps:
	@$(MAKE) -s system-deps SYSTEM_PACKAGES="fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0"

setup: $(VENV)/.installed node_modules/.installed safetynet/static/vendor/.copied
setup-dev: setup $(VENV)/.installed-dev

# `make run` installs what the platform needs; the test tools (Playwright, PySpark, …) only come with `make test`.
# Bytecode is compiled at install, as pip does (uv does not by default): every process (server workers, the jobs
# worker, `safetynet screen`) then starts without compiling polars and Django again where the environment
# forbids writing __pycache__ (PYTHONDONTWRITEBYTECODE) — importing polars alone takes 0.6 s instead of 0.2 s.
$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check uv
	$(VENV)/bin/uv pip install -q --compile-bytecode --python $(PY) -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(VENV)/bin/uv pip install -q --compile-bytecode --python $(PY) -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

safetynet/static/vendor/.copied: node_modules/.installed
	$(PY) manage.py vendor_static
	@touch $@

demo: setup
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py demo_county

# The background-job worker (imports, screening, the monthly screening) runs next to the web server and stops with it.
serve:
	@echo "safetynet: http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(PY) manage.py jobs_worker --schedule & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	$(VENV)/bin/granian --interface wsgi --host $(HOST) --port $(PORT) --workers 2 --blocking-threads 4 \
		--log-level warning safetynet.wsgi:application

# Chromium (browser tests) and Noto CJK (Chinese glyphs in screenshots and PDFs) from Debian's packages.
SYSTEM_PACKAGES ?= chromium fonts-noto-cjk poppler-utils
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
		if ! command -v apt-get >/dev/null; then echo "please install:$$missing"; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; fi

test: setup-dev system-deps
	$(MAKE) test-sqlite
	@if [ -n "$$REQUIRE_POSTGRES" ] || pg_isready -q -h 127.0.0.1 -p 5432; then \
		$(MAKE) test-postgres; \
	else echo "PostgreSQL is not answering on 127.0.0.1:5432: PostgreSQL run skipped (CI requires it)"; fi

test-sqlite:
	@echo "=== tests on SQLite ==="
	env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)

test-postgres:
	@echo "=== tests on PostgreSQL ==="
	DATABASE_URL=$(PG_URL) $(PY) -m pytest $(PYTEST_ARGS)

bench: setup-dev
	@$(MAKE) -s system-deps SYSTEM_PACKAGES="wrk fonts-noto-cjk"
	$(PY) -m bench $(BENCH)

lint: setup-dev
	$(VENV)/bin/ruff check safetynet tests bench

clean:
	rm -rf var/ $(VENV) node_modules safetynet/static/vendor
