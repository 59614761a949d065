# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults; any of them can be overridden from the environment.
export DJANGO_DEBUG ?= true
STAMP := $(VENV)/.installed

.PHONY: install run demo test test-postgres test-sqlite browser lint format check-migrations clean bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## run: install, migrate, load the demo record, serve on http://127.0.0.1:8000/
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py load_places
	$(BIN)/python manage.py import_attacks incidents/data/missile_attacks_daily.csv
	@echo ""
	@echo "Admin login: create one with"
	@echo "    DJANGO_DEBUG=true $(BIN)/python manage.py createsuperuser"
	@echo "then open http://$(HOST):$(PORT)/admin/"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## browser: the Chromium that the browser tests drive (Debian's package),
## and wrk for the load test
browser:
	@test -x /usr/bin/chromium -a -x /usr/bin/wrk || { \
		echo "Installing Debian's chromium and wrk for the browser and load tests"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium wrk >/dev/null; }

## test: install what tests need, then run the whole suite (DATABASE_URL picks
## the database; SQLite by default)
test: install browser
	DJANGO_DEBUG=false $(BIN)/python -m pytest $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check-migrations: install
	$(BIN)/python manage.py makemigrations --check --dry-run

## bench: load the app, Datasette and a static file with wrk (bench/README.md);
## it empties and refills the PostgreSQL database incidents_bench
DATASETTE := bench/.venv-datasette/bin/datasette
bench: install
	test -x $(DATASETTE) || { $(PYTHON) -m venv bench/.venv-datasette && \
		bench/.venv-datasette/bin/pip install --quiet "datasette>=0.65,<1"; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles test-output .pytest_cache
