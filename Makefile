# G2ID — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-suite test-fast lint format messages clean browser-deps bench

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "G2ID needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

## run: install, migrate, load the demo data, start the mail worker and the scheduler, serve http://127.0.0.1:8000
run: $(INSTALLED)
	$(BIN)/g2id migrate --noinput
	$(BIN)/g2id load_demo
	@trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	  G2ID_DEBUG=1 $(BIN)/g2id db_worker --interval 2 --no-reload & worker=$$!; \
	  G2ID_DEBUG=1 $(BIN)/g2id scheduler & scheduler=$$!; \
	  G2ID_DEBUG=1 $(BIN)/g2id runserver 127.0.0.1:8000

## test: the whole suite, browser tests included (Chromium installed from Debian when possible)
test: $(INSTALLED) browser-deps lint
	$(BIN)/g2id makemigrations --check --dry-run
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

## test-suite: the tests alone, on the database DATABASE_URL names (used by .ci/run)
test-suite: $(INSTALLED) browser-deps
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

## test-fast: everything but the browser tests
test-fast: $(INSTALLED)
	$(BIN)/pytest -n 2 -m "not browser" $(PYTEST_ARGS)

## bench: seed BENCH_N requests (default 20000) and measure every page with gunicorn and wrk;
## on PostgreSQL when DATABASE_URL names it, else SQLite in bench/var (see bench/run.py)
BENCH_N ?= 20000
bench: $(INSTALLED)
	G2ID_VAR_DIR=$(CURDIR)/bench/var BENCH_N=$(BENCH_N) DJANGO_SETTINGS_MODULE=bench.settings \
	  $(BIN)/python -m bench.seed
	G2ID_VAR_DIR=$(CURDIR)/bench/var BENCH_N=$(BENCH_N) DJANGO_SETTINGS_MODULE=bench.settings \
	  $(BIN)/python -m bench.run
	G2ID_VAR_DIR=$(CURDIR)/bench/var DJANGO_SETTINGS_MODULE=bench.settings \
	  $(BIN)/python -m bench.suggest

browser-deps:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Chromium from Debian for the browser tests…"; \
	  (apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 || \
	   (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null)); \
	else \
	  echo "!!! /usr/bin/chromium is missing and cannot be installed (not root): BROWSER TESTS WILL BE SKIPPED !!!"; \
	fi

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy g2id

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh the French and English catalogues, then compile them (needs gettext)
messages: $(INSTALLED)
	cd g2id && ../$(BIN)/g2id makemessages -l fr -l en -e html,txt,py,md --no-obsolete --ignore 'static/*'
	cd g2id && ../$(BIN)/g2id compilemessages

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
