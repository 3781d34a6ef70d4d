# Vietnam TBT Portal. `make run` starts the demo; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := tbt_portal.settings

.PHONY: run test lint fmt messages compilemessages bench sysdeps venv lock clean

$(VENV)/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

venv: $(VENV)/.installed

sysdeps:
	@$(PYTHON) tbt_portal/sysdeps.py runtime

compilemessages: venv
	@DEMO_MODE=1 $(PY) manage.py compilemessages --ignore=.venv --ignore=.data -v0

run: venv sysdeps compilemessages
	DEMO_MODE=$${DEMO_MODE:-1} $(PY) manage.py migrate --noinput -v0
	DEMO_MODE=$${DEMO_MODE:-1} $(PY) manage.py load_reference_data
	DEMO_MODE=$${DEMO_MODE:-1} $(PY) manage.py create_demo_accounts
	DEMO_MODE=$${DEMO_MODE:-1} $(PY) manage.py board_demo
	DEMO_MODE=$${DEMO_MODE:-1} $(PY) manage.py notifications_demo
	DEMO_MODE=$${DEMO_MODE:-1} $(PY) manage.py inquiries_demo
	DEMO_MODE=$${DEMO_MODE:-1} PORT=$(PORT) $(PY) -m tbt_portal.devserver

test: venv compilemessages
	@$(PYTHON) tbt_portal/sysdeps.py test
	TESTING=1 $(PY) -m pytest -n $${PYTEST_WORKERS:-2} -q tests

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEMO_MODE=1 $(VENV)/bin/mypy tbt_portal network board inquiries notifications alerts

fmt: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: venv
	DEMO_MODE=1 $(PY) manage.py makemessages -l vi -l en --ignore=.venv --ignore=.data --ignore=tests --no-obsolete

bench: venv
	DEMO_MODE=1 $(PY) -m tbt_portal.bench $(BENCH)

lock:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf .data
