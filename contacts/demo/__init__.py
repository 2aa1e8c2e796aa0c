"""Realistic demo data: contacts of every identifier type with their groups,
attributes, app data, related rows and message history.

`seed_demo` writes with COPY on PostgreSQL (a million contacts in minutes) and
with executemany on SQLite (local demo sizes). See the seed_demo command.
"""

from contacts.demo.seed import (
    TABLES,
    DemoLogin,
    DemoOptions,
    SeedReport,
    ensure_demo_users,
    seed_demo,
)

__all__ = ["TABLES", "DemoLogin", "DemoOptions", "SeedReport", "ensure_demo_users", "seed_demo"]
