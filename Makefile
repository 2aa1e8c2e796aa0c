# Two commands matter: `make run` (the app, on SQLite, with a background worker)
# and `make test` (the whole suite). See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# make test: auto = the servers of TEST_DATABASE_URL / TEST_REDIS_URL, else the local defaults
# when they answer, else private throwaway ones; private = always private ones.
SERVICES ?= auto

.PHONY: setup run demo test test-steps test-quick lint bench clean

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

var/.static: $(VENV)/.installed node_modules/.installed $(wildcard static/*/*)
	$(PY) manage.py collectstatic --noinput --verbosity 0
	touch $@

setup: $(VENV)/.installed node_modules/.installed var/.static

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py ensure_admin
	$(PY) manage.py runlocal --port $(PORT)

demo: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --contacts $(or $(SIZE),2000)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# scripts/test_services.py picks (or starts) PostgreSQL and Redis, installs what is missing,
# says what the run uses, runs test-steps with TEST_DATABASE_URL and TEST_REDIS_URL set to
# those servers, and stops the private ones however the run ends.
test: setup
	$(PY) -m scripts.test_services --services=$(SERVICES) -- $(MAKE) --no-print-directory test-steps

# Unit and view tests on SQLite, the same again on PostgreSQL, then the tests that need a
# real Redis broker, a real Celery worker, a real headless Chromium or private servers.
test-steps: lint
	$(PY) -m pytest -m "not browser and not worker and not postgres and not servers" -p no:cacheprovider
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest -m "not browser and not worker and not servers" -p no:cacheprovider
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest -m "browser or worker or servers" -p no:cacheprovider

test-quick: setup
	$(PY) -m pytest -m "not browser and not worker and not postgres and not servers" -x -q

bench: setup
	DATABASE_URL=$(or $(BENCH_DATABASE_URL),postgres://postgres@127.0.0.1:5432/contactbook_bench) \
		$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var
