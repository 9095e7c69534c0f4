# CQP Mutualité — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEBIAN_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core libmagic1 poppler-utils
HOST ?= 127.0.0.1
PORT ?= 8000
# The address put in e-mail and PDF links: derived from HOST and PORT unless SITE_URL is set (environment or make
# argument), e.g. `make run PORT=8101` links to http://127.0.0.1:8101.
SITE_URL ?= http://$(HOST):$(PORT)
# make restore BACKUP=var/backups/cqp-20261123T013000Z
BACKUP ?=

.PHONY: run test lint setup system-deps browser-deps db worker beat backup restore bench bench-quick clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis ($(PYTHON) introuvable)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

system-deps:
	@missing=""; for p in $(DEBIAN_LIBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then echo "Installation des bibliothèques Debian :$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Bibliothèques manquantes pour WeasyPrint. Lancez :"; echo "  sudo apt-get install -y$$missing"; exit 1; fi; \
	fi

setup: $(STAMP) system-deps

# Browser tests (tests/browser): Debian's Chromium (never a downloaded browser) and axe-core from npm.
# Without root, prints the apt-get line: the browser tests are then skipped, with the reason.
BROWSER_NODE_MODULES := tests/browser/node_modules/.package-lock.json
browser-deps: $(BROWSER_NODE_MODULES)
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then echo "Installation de Chromium (Debian) pour les tests navigateur"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "Chromium manque : les tests navigateur seront ignorés. Pour les lancer :"; \
	    echo "  sudo apt-get install -y chromium chromium-driver"; fi; \
	fi

$(BROWSER_NODE_MODULES): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm manque : les tests navigateur seront ignorés (sudo apt-get install -y npm)."; fi

db: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_referentiels
	$(PY) manage.py seed_demo

run: db
	$(PY) manage.py collectstatic --noinput >/dev/null
	$(PY) manage.py make_seal_certificate
	@echo "CQP Mutualité : http://$(HOST):$(PORT)/ (liens des e-mails et PDF : $(SITE_URL) ; comptes de démonstration : voir README.md)"
	SITE_URL="$(SITE_URL)" $(PY) manage.py runserver $(HOST):$(PORT)

test: setup browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

# Lint (ruff, configured in pyproject.toml): the rules, then the formatting; .ci/run runs it before the tests.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# One worker for the three queues in development (docker-compose.yml runs one for "mail", one for the others).
worker: setup
	SITE_URL="$(SITE_URL)" $(VENV)/bin/celery -A cqp worker --loglevel=INFO --queues mail,documents,default

beat: setup
	$(VENV)/bin/celery -A cqp beat --loglevel=INFO --schedule var/celerybeat-schedule

# The database (SQLite or PostgreSQL: pg_dump) and the private media into var/backups/cqp-<date>/ (BACKUP_DIR),
# BACKUP_KEEP_DAYS days kept. Restore (replaces the database and the files, asks for confirmation):
# make restore BACKUP=var/backups/cqp-<date>
backup: setup
	$(PY) manage.py backup

restore: setup
	@if [ -z "$(BACKUP)" ]; then echo "Indiquez la sauvegarde : make restore BACKUP=var/backups/cqp-AAAAMMJJTHHMMSSZ"; exit 2; fi
	$(PY) manage.py restore "$(BACKUP)"

# Benchmark at a whole branch's load on PostgreSQL (database cqp_bench, recreated) with gunicorn and a
# Celery worker over Redis: writes bench/results.json and bench/results.md (see bench/README.md).
bench: setup
	$(PY) bench/run.py

# The same, end to end on small data (500 / 2,000 / 5,000 dossiers, few requests): ≈ 4 minutes.
bench-quick: setup
	$(PY) bench/run.py --quick

clean:
	rm -rf $(VENV) var tests/browser/node_modules
