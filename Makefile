# Thin wrappers around the real commands. `make run` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test test-fast lint format messages bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Links in e-mails and the API point at this local server.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: export TEILHABE_DEMO = 1
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test-fast: install
	$(VENV)/bin/pytest -m "not browser and not slow" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Needs GNU gettext (Debian: gettext); the compiled .mo files are committed.
messages: install
	cd teilhabe && ../$(PY) ../manage.py makemessages --no-obsolete --no-location -l de -l ar -l fa -l tr -l uk -l ru -l ro -l bg -l en
	cd teilhabe && ../$(PY) ../manage.py compilemessages

bench: install
	@for script in bench/*.py; do [ -e "$$script" ] || continue; echo "== $$script"; $(PY) "$$script"; done

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
