"""Names sort the way people read them: "adam", "Bauer", "Émile", "Ölberg", "Zoe", not
in byte order ("Bauer", "Zoe", "adam", "Ölberg", "Émile").

A sort by name orders by `in_reading_order(field)`: the column under the collation
NAMES, which the (name, id) indexes and the keyset cursor's comparisons use too. On
PostgreSQL it is an ICU collation of Unicode's root order (a migration creates it).
SQLite has no ICU: each connection registers a Python collation of the same name that
orders the same way for letters, accents and case.

Only the order is collated, not the columns: the name searches compare UPPER() of the
column with UPPER() of the term, and under ICU the column's would differ ("ß" → "SS").
"""

import unicodedata
from functools import lru_cache
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F
from django.db.models.functions import Collate

NAMES = "names"
# Unicode's root order (CLDR "und"): letters before their accents before their case.
ICU_LOCALE = "und"


def in_reading_order(field: str) -> Collate:
    return Collate(F(field), NAMES)


def in_reading_order_sql(column: str) -> str:
    """The same for a query written out (core.raw_rows): `ORDER BY {this} ASC`."""
    return f"{column} COLLATE {NAMES}"


@lru_cache(maxsize=8192)
def name_sort_key(text: str) -> tuple[str, str, str, str]:
    """Base letters first, then accents, then case (lower before upper, as ICU), then
    the text itself, so that two different names never compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(char for char in decomposed if not unicodedata.combining(char))
    return base.casefold(), decomposed.casefold(), decomposed.swapcase(), text


def compare_names(left: str, right: str) -> int:
    left_key, right_key = name_sort_key(left), name_sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


def register_sqlite_collation(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created: before any query, as the names' table and indexes use it."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(NAMES, compare_names)
