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
UNICODE_UPPER = "unicode_upper"  # an SQLite function of this module
# Unicode's root order (CLDR "und"): letters before their accents before their case.
ICU_LOCALE = "und"


def in_reading_order(field: str) -> Collate:
    return Collate(F(field), NAMES)


def in_reading_order_sql(column: str) -> str:
    """The same for a query written out (core.raw_rows): `ORDER BY {this} ASC`."""
    return f"{column} COLLATE {NAMES}"


# Letters that Unicode does not decompose into a base letter and an accent, placed as
# ICU's root order places them: ł and ø beside l and o, œ as "oe", æ after every a-word,
# đ and ð after d, þ after z.
_LETTER_FOLDS = {"ł": "l", "ø": "o", "œ": "oe", "æ": "a~", "đ": "d~", "ð": "d~", "þ": "z~"}
# Before letters, as in ICU's root order: spaces, punctuation, symbols (emoji), digits.
_CLASS_MARKS = {"Z": "\x01", "P": "\x02", "S": "\x03", "N": "\x04"}


@lru_cache(maxsize=8192)
def name_sort_key(text: str) -> tuple[str, str, str, str]:
    """Base letters first, then accents, then case (lower before upper, as ICU), then
    the text itself, so that two different names never compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(_base(char) for char in decomposed.casefold())
    return base, decomposed.casefold(), decomposed.swapcase(), text


def _base(char: str) -> str:
    category = unicodedata.category(char)
    if category[0] in "MC":  # accents (sorted second) and joiners (ignored)
        return ""
    if category[0] == "L":
        return _LETTER_FOLDS.get(char, char)
    return _CLASS_MARKS.get(category[0], "") + char


def compare_names(left: str, right: str) -> int:
    left_key, right_key = name_sort_key(left), name_sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


def register_sqlite_collation(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created: before any query, as the names' table and indexes use it.
    With UNICODE_UPPER: SQLite's own UPPER() and LIKE fold the case of A-Z only, so a
    search for "örtel" missed "Örtel" (contacts.search)."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(NAMES, compare_names)
        connection.connection.create_function(UNICODE_UPPER, 1, _upper, deterministic=True)


def _upper(text: str | None) -> str | None:
    return None if text is None else text.upper()
