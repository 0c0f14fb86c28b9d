# Everything a newcomer needs: `make run` for the app with demo data, `make test` for the suite.
# `make run PORT=5050` serves on another port; links in mails follow it unless BASE_URL is set.
# `make test-fast` leaves out the browser tests; `make lint` runs ruff and mypy.
PYTHON ?= python3
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := planner

.PHONY: run test test-fast lint install translations extract-messages db demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile -d planner/translations

db: install translations
	FLASK_DEBUG=1 $(BIN)/flask db upgrade

demo: db
	FLASK_DEBUG=1 PORT=$(PORT) $(BIN)/flask demo --if-empty

run: demo
	FLASK_DEBUG=1 PORT=$(PORT) $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# Tests run in parallel, one worker per core (each with its own database); the browser tests
# come last. PYTEST_WORKERS=0 runs them in this process.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(PYTEST_WORKERS)

test: install translations
	$(PYTEST) $(PYTEST_ARGS)

test-fast: install translations
	$(PYTEST) -m "not browser" $(PYTEST_ARGS)

# All three run, so one report shows every finding; the target fails if any of them did.
lint: install
	@status=0; \
	$(BIN)/ruff check planner tests scripts || status=1; \
	$(BIN)/ruff format --check planner tests scripts || status=1; \
	$(BIN)/mypy planner || status=1; \
	exit $$status

# Refresh both catalogues after changing user-facing text, then translate the new entries.
extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o planner/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i planner/translations/messages.pot -d planner/translations
	$(BIN)/python scripts/fill_english_catalogue.py

clean:
	rm -rf $(VENV) instance .pytest_cache
