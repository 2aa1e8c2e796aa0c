"""Timestamps read from PostgreSQL by psycopg's C loader instead of Django's Python one.

Django registers a timestamptz loader of its own on every connection: psycopg's Python
loader, the time zone then replaced. It costs about 7 µs a value, so a page of fifty
contacts with two times each spent 0.7 ms in it. With USE_TZ on and no TIME_ZONE of the
database's own, Django sets each session's time zone to UTC; psycopg's C loader then
gives the very same datetimes, in UTC with datetime.UTC as their tzinfo
(tests/core/test_timestamps.py).
"""

import datetime as dt
from typing import Any

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg.abc import AdaptContext
from psycopg.adapt import Loader
from psycopg.pq import Format

_TIMESTAMPTZ = psycopg.adapters.types["timestamptz"].oid
# psycopg's own, in C where psycopg's binary or C package is installed.
_PSYCOPG_LOADER = psycopg.adapters.get_loader(_TIMESTAMPTZ, Format.TEXT)


class UtcTimestampLoader(Loader):
    """psycopg's loader behind a Python class: the C class cannot be subclassed, and
    Django's create_cursor reads `timezone` off the registered class."""

    timezone = dt.UTC

    def __init__(self, oid: int, context: AdaptContext | None = None) -> None:
        super().__init__(oid, context)
        assert _PSYCOPG_LOADER is not None
        self._load = _PSYCOPG_LOADER(oid, context).load

    def load(self, data: Any) -> dt.datetime:
        value: dt.datetime = self._load(data)
        return value


def applies(connection: BaseDatabaseWrapper) -> bool:
    """PostgreSQL, with times in UTC (USE_TZ on, no TIME_ZONE of the database's own)."""
    return (
        connection.vendor == "postgresql"
        and _PSYCOPG_LOADER is not None
        and connection.timezone is dt.UTC
    )


def use_psycopg_loader(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created: on a new connection whose session is in UTC (Django set it)."""
    if applies(connection):
        connection.connection.adapters.register_loader("timestamptz", UtcTimestampLoader)
