"""Who holds the identifiers a file names: the file-only rule (the same identifier twice in
the file) and the chunk's stored contacts, read as plain {field: value} dicts (a model
instance costs ten times more to build, a million times)."""

from typing import Any

from contacts.models import PROFILE_LABELS
from contacts.services import IDENTIFIER_FIELDS
from imports.bulk import contacts_holding
from imports.mapping import MEMBERSHIPS
from imports.rows import CLEAR, CheckedRow, Rejection

ADDRESS_FIELDS = tuple(IDENTIFIER_FIELDS.values())  # email, mobile_number, app_alias
# What every decision reads of a stored contact, besides the standard fields a file maps.
ALWAYS_READ = ("id", "version", "identifier_type", *ADDRESS_FIELDS, "external_id")

Stored = dict[str, Any]  # {field: value} of a contact, as read (or as it will be written)


def identity(field_name: str, value: object) -> str:
    """The key under which an identifier value is unique (emails ignore case)."""
    text = str(value)
    return f"{field_name}:{text.lower() if field_name == 'email' else text}"


def claim_identifiers(row: CheckedRow, match_on: str, seen: dict[int, int]) -> Rejection | None:
    """The file-only rule: a match key or an address twice in the file. Records the row's.

    `seen` maps the hash of each identifier met so far to its line: the identifiers
    themselves would cost a quarter more memory (150 MB instead of 115 for a million).
    Two different identifiers of a million-row file share a 64-bit hash with a chance of
    about 1 in 37 million; the later line would then be rejected as a duplicate, with a
    message the user can check. It depends only on the rows before, so a worker that
    resumes a job rebuilds it over the rows already applied (str hashes differ between
    processes, which is why it is never stored).
    """
    key = hash(identity(match_on, row.key))
    first = seen.get(key)
    if first is not None:
        return Rejection(row.line, label(match_on), f"Same contact as line {first}.")
    mine = [
        (name, hash(identity(name, row.values[name])))
        for name in ADDRESS_FIELDS
        if name != match_on and row.values.get(name) not in (None, CLEAR)
    ]
    for name, other in mine:
        if other in seen:
            return Rejection(
                row.line, label(name), f"The same {label(name)} is on line {seen[other]}."
            )
    seen[key] = row.line
    for _name, other in mine:
        seen[other] = row.line
    return None


def label(name: str) -> str:
    return PROFILE_LABELS.get(name, name)


class Owners:
    """Who holds each address and external identifier named in the chunk (locked)."""

    def __init__(self, rows: list[CheckedRow], *, fields: list[str], lock: bool):
        # Only the identifiers the chunk's rows have (a file maps one or two of them).
        mapped = fields_mapped(rows)
        wanted: dict[str, set[str]] = {
            name: {
                str(value)
                for row in rows
                if (value := row.values.get(name)) not in (None, CLEAR, "")
            }
            if name in mapped
            else set()
            for name in (*ADDRESS_FIELDS, "external_id")
        }
        holders = contacts_holding(
            emails={v.lower() for v in wanted["email"]},
            mobiles=wanted["mobile_number"],
            aliases=wanted["app_alias"],
            external_ids=wanted["external_id"],
            fields=fields,
            lock=lock,
        )
        self.contacts: dict[int, Stored] = {c["id"]: c for c in holders}
        self.by_identity: dict[str, int] = {}
        self.by_external_id: dict[str, list[int]] = {}
        for pk, contact in self.contacts.items():
            for name in ADDRESS_FIELDS:
                value = contact[name]
                if value:
                    self.by_identity[identity(name, value)] = pk
            if contact["external_id"]:
                self.by_external_id.setdefault(contact["external_id"], []).append(pk)

    def owner(self, name: str, value: object) -> int | None:
        return self.by_identity.get(identity(name, value))


def fields_mapped(rows: list[CheckedRow]) -> set[str]:
    """The targets (fields, custom:Name, ...) that any of these rows has a value for."""
    return set().union(*(row.values for row in rows))


def fields_read(rows: list[CheckedRow]) -> list[str]:
    """The contact fields a chunk's decisions read: the identity, and each standard field
    that a row sets (compared with the stored value, and written back whole)."""
    standard = {n for n in fields_mapped(rows) if ":" not in n and n != MEMBERSHIPS}
    return [*ALWAYS_READ, *sorted(standard - set(ALWAYS_READ))]
