"""Realistic demo data (development only): contacts of every identifier type with their
groups, attributes, app data, related rows and message history.

`demo.seed.seed_demo` writes with COPY on PostgreSQL (a million contacts in minutes) and
with executemany on SQLite (local demo sizes); `make demo` and `make bench` use it through
the seed_demo command and the bench. The package imports nothing at load: the app is listed
in every installation, while Faker (which the seeder needs) is a development dependency.
"""
