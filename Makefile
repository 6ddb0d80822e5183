VENV := .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	python3.11 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Set up, load the shipped catalogue into SQLite and serve on http://127.0.0.1:8000
run: $(STAMP)
	$(PYTHON) manage.py migrate --no-input
	$(PYTHON) manage.py load_catalogue
	DJANGO_DEBUG=1 $(PYTHON) manage.py runserver 127.0.0.1:8000

## Set up and run the whole test suite (SQLite unless DATABASE_URL says otherwise); installs
## Chromium (and pg_dump for PostgreSQL) on Debian as root, elsewhere says what to install
test: $(STAMP)
	scripts/test-prerequisites
	$(VENV)/bin/pytest

## The same suite on the local PostgreSQL
test-postgres:
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(MAKE) test

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PYTHON) manage.py makemigrations --check --dry-run
	$(PYTHON) manage.py build_catalogue --check

## Rebuild fixtures/catalogue.json from fixtures/source/*.yaml
catalogue: $(STAMP)
	$(PYTHON) manage.py build_catalogue

## How complete the published records are in the database (DATABASE_URL, else db.sqlite3)
completeness: $(STAMP)
	$(PYTHON) manage.py catalogue_completeness

## Back up the database (DATABASE_URL, else db.sqlite3) into backups/, or to BACKUP=path
backup: $(STAMP)
	$(PYTHON) manage.py backup_database $(BACKUP)

## Replace the database with a backup and rebuild its search data: make restore BACKUP=path
restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo "Say which backup: make restore BACKUP=backups/directory-….dump" >&2; exit 2; }
	$(PYTHON) manage.py restore_database $(BACKUP)

.PHONY: install run test test-postgres lint catalogue completeness bench backup restore

## Time the public pages against RESOURCES resources (100,000 unless given) on the local
## PostgreSQL (see scripts/bench.py): make bench RESOURCES=1000000
RESOURCES ?= 100000
bench: $(STAMP)
	$(PYTHON) scripts/bench.py --resources $(RESOURCES)
