# Development and CI entry points for wagtail-beian. `make help` lists the targets.
#
#   make run              sandbox site on http://127.0.0.1:8000 (SQLite), demo data if available
#   make test             the whole pytest suite on SQLite      (PYTEST_ARGS="-x -k foo" to narrow)
#   make test-postgres    the same suite on a throw-away PostgreSQL (.ci/postgres.sh), stopped after
#   make test-e2e         only the browser tests (tests/e2e, Debian chromium); screenshots in tests/e2e/screenshots/
#   make lint             the layer contract (import-linter) and lint-migrations
#   make lint-migrations  no missing migrations, Django system checks pass
#   make bench            every bench/*_bench.py once, small (BENCH_ROWS=2000; BENCH_ROWS= for their defaults)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
MANAGE := $(BIN)/python sandbox/manage.py
PIP := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: help venv .venv compilemessages run test test-e2e test-postgres lint lint-imports lint-migrations bench clean distclean

help:
	@sed -n 's/^#   //p' Makefile

# --- virtualenv: rebuilt when the package metadata changes ----------------------------------------
venv .venv: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): setup.cfg pyproject.toml | $(BIN)/python
	$(PIP) install --progress-bar off --upgrade pip
	$(PIP) install --progress-bar off -e '.[test]'
	@touch $@

# --- translations: no-op until wagtail_beian/locale/*/LC_MESSAGES/*.po exist -----------------------
# (a clean clone has no locale directories at all: git does not keep empty ones, and Django's
#  compilemessages fails when it finds no locale directory or no msgfmt.)
#  Both catalogs: the app's (wagtail_beian/locale) and the sandbox's own pages (sandbox/home/locale).
LOCALE_APPS := wagtail_beian sandbox/home
compilemessages: venv
	@for app in $(LOCALE_APPS); do \
	    if [ -n "$$(find $$app -path '*/LC_MESSAGES/*.po' -print -quit)" ]; then \
	        echo "compilemessages: $$app"; \
	        (cd $$app && env -u DJANGO_SETTINGS_MODULE $(CURDIR)/$(BIN)/django-admin compilemessages); \
	    else \
	        echo "compilemessages: no .po files in $$app yet, nothing to compile"; \
	    fi; \
	done

# --- sandbox site ----------------------------------------------------------------------------------
run: venv compilemessages
	$(MANAGE) migrate --noinput
	@out="$$($(MANAGE) help beian_demo 2>&1)" && rc=0 || rc=$$?; \
	if [ $$rc -eq 0 ]; then \
	    echo "$(MANAGE) beian_demo"; $(MANAGE) beian_demo; \
	elif grep -q "Unknown command" <<<"$$out"; then \
	    echo "run: no beian_demo command yet, skipping demo data"; \
	else \
	    echo "$$out" >&2; echo "run: 'manage.py help beian_demo' failed (see above)" >&2; exit $$rc; \
	fi
	$(MANAGE) runserver 127.0.0.1:8000

# --- tests -----------------------------------------------------------------------------------------
# pytest exits 5 when it collected nothing: that is a failure here, not a pass.
test: venv compilemessages
	@echo "$(BIN)/pytest $(PYTEST_ARGS)"; \
	rc=0; $(BIN)/pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: FAILED: pytest collected no tests (exit 5)" >&2; fi; \
	exit $$rc

# The browser walk alone (it is part of `make test` too). Needs Debian's chromium and fonts-noto-cjk.
test-e2e: venv compilemessages
	$(BIN)/pytest tests/e2e $(PYTEST_ARGS)

# Starts .ci/postgres.sh, checks that Django really talks to it, runs `make test`, always stops it.
test-postgres: venv
	@trap 'bash .ci/postgres.sh stop' EXIT; \
	eval "$$(bash .ci/postgres.sh start)"; \
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python -c 'import django; django.setup(); \
	from django.db import connection as c; c.ensure_connection(); \
	assert c.vendor == "postgresql", c.vendor; \
	print("test-postgres: Django connects to PostgreSQL", c.pg_version, "at", c.settings_dict["HOST"], c.settings_dict["PORT"])'; \
	$(MAKE) --no-print-directory test

lint: lint-imports lint-migrations

# Layers point down only, no import cycles: the contracts in pyproject.toml [tool.importlinter].
lint-imports: venv
	$(BIN)/lint-imports

lint-migrations: venv
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check

# --- benchmarks: print ratios to a baseline measured in the same run; never assert a time --------
# Benches that need PostgreSQL (scale_bench.py) run only when BEIAN_DB_ENGINE=postgresql is set.
BENCH_ROWS ?= 2000
bench: venv
	$(PIP) install --progress-bar off -q -e '.[test,bench]'
	@for script in bench/*_bench.py; do \
	    if [ "$$script" = bench/scale_bench.py ] && [ "$${BEIAN_DB_ENGINE:-}" != postgresql ]; then \
	        echo "== $$script: skipped (needs BEIAN_DB_ENGINE=postgresql and BEIAN_DB_* settings)"; continue; \
	    fi; \
	    echo "== $(BIN)/python $$script $(if $(BENCH_ROWS),--rows $(BENCH_ROWS))"; \
	    $(BIN)/python "$$script" $(if $(BENCH_ROWS),--rows $(BENCH_ROWS)); \
	done

# --- cleaning --------------------------------------------------------------------------------------
# clean: caches, build output, compiled translations, the throw-away PostgreSQL (stopped first).
clean:
	-@[ -f .ci/tmp/postgres.root ] && bash .ci/postgres.sh stop || true
	@if [ -f .ci/tmp/postgres.root ]; then rm -rf "$$(cat .ci/tmp/postgres.root)"; fi
	rm -rf .ci/tmp build dist .pytest_cache .hypothesis *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	find $(LOCALE_APPS) -path '*/LC_MESSAGES/*.mo' -delete

# distclean: also the virtualenv and the sandbox's SQLite database and files.
distclean: clean
	rm -rf $(VENV) sandbox/db.sqlite3 sandbox/media sandbox/private sandbox/static
