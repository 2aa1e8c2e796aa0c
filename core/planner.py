"""Planner settings for one query's plan, where the planner's row estimates mislead it."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def planner_settings(options: Mapping[str, str]) -> Iterator[None]:
    """PostgreSQL's planner `options` (SET LOCAL) for the queries in the block, in a
    transaction of their own; nothing on other databases. The names and values are the
    caller's constants, never input."""
    if connection.vendor != "postgresql":
        yield
        return
    outer = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(";".join(f"SET LOCAL {name} = {value}" for name, value in options.items()))
        yield
        if outer:  # SET LOCAL lasts to the end of the outermost transaction: not past here
            cursor.execute(";".join(f"SET LOCAL {name} TO DEFAULT" for name in options))
