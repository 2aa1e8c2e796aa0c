"""Unique identifiers for demo contacts, derived from the Contact ID.

A Contact ID is never reused, so an identifier that is a one-to-one function of
it cannot collide with one from an earlier run, without asking the database.
"""

import bisect
import random
import uuid

# German mobile ranges with the subscriber-number length that phonenumbers accepts:
# 015xx + 7 digits, 016x/017x + 8 digits.
_PREFIXES_7: tuple[str, ...] = ("1511", "1512", "1514", "1515", "1516", "1517", "1520", "1521")
_PREFIXES_7 += ("1522", "1523", "1525", "1526", "1529", "1570", "1573", "1575", "1577", "1578")
_PREFIXES_7 += ("1579", "1590")
_PREFIXES_8: tuple[str, ...] = ("160", "162", "163", "170", "171", "172", "173", "174", "175")
_PREFIXES_8 += ("176", "177", "178", "179")
_MOBILE_RANGES: tuple[tuple[str, int], ...] = (
    *((prefix, 7) for prefix in _PREFIXES_7),
    *((prefix, 8) for prefix in _PREFIXES_8),
)
_MOBILE_STARTS: tuple[int, ...] = tuple(
    sum(10**digits for _, digits in _MOBILE_RANGES[:i]) for i in range(len(_MOBILE_RANGES))
)
MOBILE_CAPACITY = sum(10**digits for _, digits in _MOBILE_RANGES)
# Multiplying by a number coprime with the capacity permutes [0, capacity): unique
# numbers that do not look sequential. Fixed constants: the mapping must not change.
MOBILE_MULTIPLIER = 1_000_000_007
_MOBILE_OFFSET = 271_828_182

_ALIAS_MULTIPLIER = 0x9E3779B1  # odd, so a permutation of 32-bit values
_ALIAS_MAX_ID = 2**32


def mobile_for(contact_id: int) -> str:
    """A valid German mobile number in E.164, distinct for every Contact ID."""
    if not 0 < contact_id < MOBILE_CAPACITY:
        raise ValueError(f"Contact ID {contact_id} is outside the demo mobile number range.")
    slot = (contact_id * MOBILE_MULTIPLIER + _MOBILE_OFFSET) % MOBILE_CAPACITY
    index = bisect.bisect_right(_MOBILE_STARTS, slot) - 1
    prefix, digits = _MOBILE_RANGES[index]
    return f"+49{prefix}{slot - _MOBILE_STARTS[index]:0{digits}d}"


def alias_for(contact_id: int, rng: random.Random) -> str:
    """A device-style UUID whose last 32 bits encode the Contact ID (so it is unique)."""
    if not 0 < contact_id < _ALIAS_MAX_ID:
        raise ValueError(f"Contact ID {contact_id} is outside the demo app alias range.")
    low = (contact_id * _ALIAS_MULTIPLIER) % _ALIAS_MAX_ID
    # UUID version bits live above bit 48, so the low 32 bits survive unchanged.
    value = str(uuid.UUID(int=(rng.getrandbits(96) << 32) | low, version=4))
    return value.upper() if rng.random() < 0.6 else value


def email_local_part(contact_id: int, *, first: str, last: str, style: int) -> str:
    """An address local part ending in the Contact ID.

    Name slugs hold letters only, so the trailing digits are the Contact ID and two
    contacts can never get the same address.
    """
    if not first or not last:
        return f"contact{contact_id}"
    if style == 0:
        return f"{first}.{last}{contact_id}"
    if style == 1:
        return f"{first[0]}.{last}{contact_id}"
    if style == 2:
        return f"{last}.{first}{contact_id}"
    return f"{first}_{last}.{contact_id}"
