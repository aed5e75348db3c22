# NRM: the two commands a fresh machine needs are `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
ENV_FILE := var/nrm.env
# `make run PORT=8001` runs a second instance beside the first.
PORT ?= 8000
# Django 6 needs Python 3.12 or newer: take the first one found on PATH or under pyenv.
PYTHON ?= $(shell for c in python3.14 python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3; do \
	command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$c; break; }; done)

.PHONY: install run test test-postgres lint bench bench-postgres demo clean

$(BIN)/nrm: pyproject.toml
	@test -n "$(PYTHON)" || { echo "NRM needs Python 3.12 or newer (Django 6); none was found. Set PYTHON=/path/to/python3.12." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(BIN)/nrm

install: $(BIN)/nrm

# Development secrets, made once with the system's random source; never used in production.
$(ENV_FILE):
	@mkdir -p var
	@$(PYTHON) -c 'import base64, secrets; print("NRM_SECRET_KEY=" + secrets.token_urlsafe(50)); print("NRM_FIELD_KEYS=k1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())' > $@
	@chmod 600 $@
	@echo "Wrote development secrets to $@"

run: install $(ENV_FILE)
	NRM_DEMO=1 $(BIN)/nrm migrate --no-input
	NRM_DEMO=1 $(BIN)/nrm collectstatic --no-input --verbosity 0
	NRM_DEMO=1 $(BIN)/nrm demo
	NRM_DEMO=1 $(BIN)/nrm serve --port $(PORT)

demo: install $(ENV_FILE)
	NRM_DEMO=1 $(BIN)/nrm demo

test: install
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/mypy src/nrm/law src/nrm/authorities/access.py
	DJANGO_SETTINGS_MODULE=nrm.conf.test $(BIN)/nrm makemigrations --check --dry-run

bench: install
	$(BIN)/nrm law bench
	$(BIN)/python -m nrm.bench
	$(BIN)/python -m nrm.statistics.bench

bench-postgres: install
	$(BIN)/python -m nrm.bench --postgres postgres://postgres@127.0.0.1:5432/postgres
	$(BIN)/python -m nrm.statistics.bench --cases 1000000 --postgres postgres://postgres@127.0.0.1:5432/postgres

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
