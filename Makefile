# The two commands a new machine needs: `make run` and `make test` (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint key lock

# The hash-locked test environment (runtime + test tools); the image installs requirements.lock only.
$(STAMP): requirements.lock requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	touch $(STAMP)

install: $(STAMP)
	mkdir -p var
	$(PY) manage.py compile_translations
	$(PY) manage.py collectstatic --noinput -v0

run: install
	$(PY) manage.py migrate --noinput
	PUBLIC_BASE_URL=http://$(HOST):$(PORT) $(PY) manage.py seed_demo --if-empty
	PUBLIC_BASE_URL=http://$(HOST):$(PORT) $(PY) manage.py serve --host $(HOST) --port $(PORT) --demo-sensors

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy
	$(PY) tools/check_sizes.py
	$(PY) manage.py makemigrations --check --dry-run

test: lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

key:
	@$(PYTHON) -c "import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())"

# Regenerate the locks after editing requirements.txt or requirements-dev.txt (needs PyPI).
PIP_COMPILE := $(PY) -m piptools compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-header
lock:
	$(PIP_COMPILE) -o requirements.lock requirements.txt
	$(PIP_COMPILE) -o requirements-dev.lock requirements-dev.txt
