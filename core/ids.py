"""Database ids from user text: in URLs (`<id:...>`) and in query or form values."""

import re

# At most 18 digits: always fits a 64-bit integer column, so a lookup never overflows.
ID_PATTERN = "[0-9]{1,18}"
_ID = re.compile(ID_PATTERN)


def parse_id(text: str) -> int | None:
    """A positive database id from user text, or None; never raises."""
    return int(text) if _ID.fullmatch(text) else None


class IdConverter:
    """`<id:name>` in URL patterns: a database id (see ID_PATTERN)."""

    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
