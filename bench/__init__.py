"""The performance benchmark: `make bench` or `python -m bench.run` (see docs/performance.md).

Run on demand against PostgreSQL, never in CI. It fills a bench database with demo
contacts, times the pages through Django's test client, times bulk delete,
anonymize and export, load-tests gunicorn with wrk, and writes docs/performance.md.
"""
