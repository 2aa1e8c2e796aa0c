# Two commands matter: `make run` (the app, on SQLite, with a background worker)
# and `make test` (the whole suite). See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: setup run demo test test-quick lint check-services bench clean

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

check-services: setup
	bash scripts/ensure-chromium.sh
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) TEST_REDIS_URL=$(TEST_REDIS_URL) $(PY) scripts/check_services.py

# Unit and view tests on SQLite, the same again on PostgreSQL, then the tests that
# need a real Redis broker, a real Celery worker and a real headless Chromium.
test: lint check-services
	$(PY) -m pytest -m "not browser and not worker and not postgres" -p no:cacheprovider
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest -m "not browser and not worker" -p no:cacheprovider
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest -m "browser or worker" -p no:cacheprovider

test-quick: setup
	$(PY) -m pytest -m "not browser and not worker and not postgres" -x -q

bench: setup
	DATABASE_URL=$(or $(BENCH_DATABASE_URL),postgres://postgres@127.0.0.1:5432/contactbook_bench) \
		$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var
