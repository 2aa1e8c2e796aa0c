# Two commands matter: `make run` (the app, on SQLite, with a background worker)
# and `make test` (the whole suite). See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# make test: auto = the servers of TEST_DATABASE_URL / TEST_REDIS_URL, else the local defaults
# when they answer, else private throwaway ones; private = always private ones.
SERVICES ?= auto

.PHONY: setup dev-setup hooks run demo test test-steps test-quick lint graph bench clean

# Runtime dependencies only (production installs these): requirements.lock.
$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

# The development and test tools on top (pytest, Playwright, Hypothesis, Faker, ruff, mypy,
# ...): requirements-dev.lock, compiled with the runtime lock as its constraint.
$(VENV)/.dev-installed: requirements-dev.lock $(VENV)/.installed
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

var/.static: $(VENV)/.installed node_modules/.installed $(wildcard static/*/*)
	$(PY) manage.py collectstatic --noinput --verbosity 0
	touch $@

setup: $(VENV)/.installed node_modules/.installed var/.static

dev-setup: setup $(VENV)/.dev-installed

# The checks of `make lint` on every commit (.pre-commit-config.yaml).
hooks: dev-setup
	$(VENV)/bin/pre-commit install

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py ensure_admin
	$(PY) manage.py runlocal --port $(PORT)

demo: dev-setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --contacts $(or $(SIZE),2000)

# The same checks as .pre-commit-config.yaml, over every file. django-upgrade and djlint
# look at what git knows (tracked and new files), not .venv or node_modules.
lint: dev-setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	git ls-files -z --cached --others --exclude-standard '*.html' | xargs -0 -r $(VENV)/bin/djlint --lint
	git ls-files -z --cached --others --exclude-standard '*.py' | xargs -0 -r $(VENV)/bin/django-upgrade --check
	$(PY) manage.py makemigrations --check --dry-run --verbosity 0
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

# The imports between the packages, and any cycle (lint-imports fails on an arrow that points up).
graph: dev-setup
	$(PY) -m scripts.import_graph

# scripts/test_services.py picks (or starts) PostgreSQL and Redis, installs what is missing,
# says what the run uses, runs test-steps with TEST_DATABASE_URL and TEST_REDIS_URL set to
# those servers, and stops the private ones however the run ends.
test: dev-setup
	$(PY) -m scripts.test_services --services=$(SERVICES) -- $(MAKE) --no-print-directory test-steps

# Unit and view tests on SQLite, the same again on PostgreSQL, then the tests that need a
# real Redis broker, a real Celery worker, a real headless Chromium or private servers.
test-steps: lint
	$(PY) -m pytest -m "not browser and not worker and not postgres and not servers" -p no:cacheprovider
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest -m "not browser and not worker and not servers" -p no:cacheprovider
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest -m "browser or worker or servers" -p no:cacheprovider

test-quick: dev-setup
	$(PY) -m pytest -m "not browser and not worker and not postgres and not servers and not slow" -x -q

# The load test needs wrk: installed with apt-get like make test's servers and Chromium
# (without it the bench still runs and its report says why the load test is missing).
bench: dev-setup
	-@command -v wrk >/dev/null || $(PY) -c "from scripts.test_services import install; install(['wrk'])"
	DATABASE_URL=$(or $(BENCH_DATABASE_URL),postgres://postgres@127.0.0.1:5432/contactbook_bench) \
		$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var
