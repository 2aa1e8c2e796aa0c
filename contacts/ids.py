import re

_ID = re.compile(r"[0-9]{1,18}")


def parse_id(text: str) -> int | None:
    """A positive database id from user text, or None; never raises, always fits a bigint."""
    return int(text) if _ID.fullmatch(text) else None
