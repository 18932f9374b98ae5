# Treffpunkt: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the suite.
# Needs only Python 3.11+. DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test bench lint messages worker beat clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Treffpunkt needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip 2>/dev/null
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]" 2>&1 | grep -v "^WARNING: Location" || true
	@$(PY) -c "import django, schedule, icalendar" 
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py run_periodic_jobs
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install
	$(PY) bench/run.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Needs GNU gettext; the compiled catalogues are committed so `make run` does not.
messages: install
	$(PY) manage.py makemessages -l de -l en --add-location file --ignore=.venv --ignore=bench --ignore=tests --ignore=node_modules
	$(PY) manage.py makemessages -d djangojs -l de -l en --add-location file --ignore=.venv --ignore=staticfiles --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv

worker: install
	$(BIN)/celery -A config worker -l info

beat: install
	$(BIN)/celery -A config beat -l info

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles .pytest_cache
