# chainwork — `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: run test lint fmt install install-dev assets translations bench clean help backup restore

help:
	@echo "make run    - install, migrate, load demo data, serve http://127.0.0.1:8000/ with Celery"
	@echo "make test   - install and run the whole test suite"
	@echo "make lint   - ruff, the apps' import order (import-linter) and the migrations check"
	@echo "make bench [SCALE=small] - the scale benchmark on its own database (bench/README.md), w1 by default"
	@echo "make backup - pg_dump the database into var/backups/ (docs/backups.md)"
	@echo "make restore FILE=... [DATABASE=postgres://...] [REPLACE=1] - restore a backup (docs/backups.md)"

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/.built: node_modules/.installed scripts/vendor.mjs
	node scripts/vendor.mjs
	touch $@

install: $(VENV)/.installed assets translations
install-dev: $(VENV)/.installed-dev assets translations
assets: static/vendor/.built

translations: $(VENV)/.installed
	@$(PY) scripts/compile_translations.py >/dev/null

run: install
	@bash scripts/run.sh

test: install-dev
	@bash scripts/test.sh

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

fmt: install-dev
	$(VENV)/bin/ruff check --fix .

# The scale benchmark (bench/README.md): seeds chainwork_bench_<scale> once, then measures; not part of `make test`.
bench: install-dev
	$(PY) bench/run.py --scale $(or $(SCALE),w1)

clean:
	rm -rf staticfiles static/vendor node_modules/.installed

# Backups (docs/backups.md): the database of DATABASE_URL, or the embedded one when it is unset.
backup: install
	$(PY) manage.py backup

# Into the app's database when empty, or into DATABASE=postgres://…/new_name (created when missing);
# REPLACE=1 drops and re-creates the database first, after asking for its name.
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/<file>.dump [DATABASE=postgres://...]"; exit 2; }
	$(PY) manage.py restore "$(FILE)" $(if $(DATABASE),--database-url "$(DATABASE)") $(if $(REPLACE),--replace)
