"""Group memberships and member attribute values of an import chunk, written set-based."""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models.functions import Lower

from contacts.models import (
    Group,
    MemberAttributeDefinition,
    MemberAttributeValue,
    Membership,
    MembershipStatus,
)
from imports.bulk import id_sets, insert_rows, update_rows
from imports.mapping import MEMBERSHIPS
from imports.rows import CLEAR, CheckedRow

_STATUS_BY_NAME = {label.lower(): value for value, label in MembershipStatus.choices} | {
    value: value for value, _ in MembershipStatus.choices
}


# A contact of the chunk: a stored contact's id, or a new contact's values (whose "id" is
# set when it is inserted, before the memberships and values that point to it).
Owner = int | dict[str, Any]


def owner_id(owner: Owner) -> int:
    return owner if isinstance(owner, int) else int(owner["id"])


@dataclass
class Join:
    """One contact in one group after the chunk: its status and member values to set."""

    owner: Owner
    group: Group
    status: str
    membership: Membership | None  # the stored one, if any
    # definition -> wanted text, or None to remove; only the values that change
    values: dict[MemberAttributeDefinition, str | None] = field(default_factory=dict)

    @property
    def changes(self) -> bool:
        return self.membership is None or self.membership.status != self.status or bool(self.values)


def stored_member_values(
    memberships: Mapping[tuple[int, int], Membership],
    definitions: Mapping[str, MemberAttributeDefinition],
) -> dict[tuple[int, int], MemberAttributeValue]:
    """(membership id, definition id) -> the stored member value, for these memberships."""
    if not memberships or not definitions:
        return {}
    ids = [m.pk for m in memberships.values()]
    found = {}
    for batch in id_sets(ids):
        for value in MemberAttributeValue.objects.filter(
            membership_id__in=batch, definition__in=list(definitions.values())
        ):
            found[(value.membership_id, value.definition_id)] = value
    return found


def wanted_values(
    values: Mapping[str, object],
    definitions: Mapping[str, MemberAttributeDefinition],
    membership: Membership | None,
    stored: Mapping[tuple[int, int], MemberAttributeValue],
) -> dict[MemberAttributeDefinition, str | None]:
    """The member values of a row that differ from what is stored."""
    changed: dict[MemberAttributeDefinition, str | None] = {}
    for name, definition in definitions.items():
        key = f"member:{name}"
        if key not in values:
            continue
        wanted = None if values[key] is CLEAR else str(values[key])
        current = stored.get((membership.pk, definition.pk)) if membership else None
        if wanted != (current.value if current else None):
            changed[definition] = wanted
    return changed


def write_joins(
    joins: list[Join], stored: Mapping[tuple[int, int], MemberAttributeValue], now: datetime
) -> None:
    """New memberships in one insert, status changes in one update, then member values."""
    new = [
        Membership(
            contact_id=owner_id(j.owner),
            group=j.group,
            status=j.status,
            subscribed_at=now,
            updated_at=now,
            is_test_recipient=j.group.is_test_group,
        )
        for j in joins
        if j.membership is None
    ]
    insert_rows(Membership, new)
    made = iter(new)
    changed: list[Membership] = []
    for join in joins:
        if join.membership is None:
            join.membership = next(made)
        elif join.membership.status != join.status:
            join.membership.status = join.status
            join.membership.updated_at = now
            changed.append(join.membership)
    update_rows(Membership, changed, ["status", "updated_at"])
    removes, inserts, updates = [], [], []
    for join in joins:
        assert join.membership is not None
        for definition, wanted in join.values.items():
            current = stored.get((join.membership.pk, definition.pk))
            if wanted is None:
                if current is not None:
                    removes.append(current.pk)
            elif current is None:
                inserts.append(
                    MemberAttributeValue(
                        membership_id=join.membership.pk, definition=definition, value=wanted
                    )
                )
            else:
                current.value = wanted
                updates.append(current)
    for batch in id_sets(removes):
        MemberAttributeValue.objects.filter(pk__in=batch).delete()
    insert_rows(MemberAttributeValue, inserts)
    update_rows(MemberAttributeValue, updates, ["value"])


def groups_named(rows: list[CheckedRow]) -> dict[str, Group]:
    """The groups the rows' Group memberships cells name, by lower-case name."""
    names: set[str] = set()
    for row in rows:
        parsed = parse_memberships(row.values.get(MEMBERSHIPS))
        if isinstance(parsed, dict):
            names.update(name.lower() for name in parsed)
    if not names:
        return {}
    return {
        g.name.lower(): g
        for g in Group.objects.alias(name_lower=Lower("name")).filter(name_lower__in=names)
    }


def memberships_of(
    contact_ids: list[int], group: Group | None, named: dict[str, Group]
) -> dict[tuple[int, int], Membership]:
    """(contact id, group id) -> the stored membership, in the chosen and the named groups."""
    if not contact_ids:
        return {}
    group_ids = {group.pk} if group else set()
    group_ids |= {g.pk for g in named.values()}
    if not group_ids:
        return {}
    found: dict[tuple[int, int], Membership] = {}
    for batch in id_sets(contact_ids):
        query = Membership.objects.filter(contact_id__in=batch, group_id__in=group_ids)
        for membership in query:
            found[(membership.contact_id, membership.group_id)] = membership
    return found


def parse_memberships(raw: object) -> dict[str, str] | str | None:
    """The Group memberships cell of the export: a JSON object, group name -> status.

    Returns the mapping, or a message saying what is wrong with the cell.
    """
    if raw in (None, CLEAR) or not str(raw).strip():
        return None
    try:
        parsed = json.loads(str(raw))
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the decoder goes
        parsed = None
    if not isinstance(parsed, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in parsed.items()
    ):
        return 'Write the group memberships as {"Group name": "Active", ...}.'
    return parsed


def memberships_wanted(row: CheckedRow, groups: dict[str, Group]) -> dict[Group, str] | str:
    """Group -> membership status that the row's Group memberships cell asks for, or why
    it cannot be done."""
    parsed = parse_memberships(row.values.get(MEMBERSHIPS))
    if parsed is None:
        return {}
    if isinstance(parsed, str):
        return parsed
    wanted: dict[Group, str] = {}
    for name, status in parsed.items():
        group = groups.get(name.lower())
        if group is None:
            return f"There is no group named “{name}”."
        value = _STATUS_BY_NAME.get(status.strip().lower())
        if value is None:
            labels = ", ".join(label for _, label in MembershipStatus.choices)
            return f"The membership status of “{name}” must be one of: {labels}."
        wanted[group] = value
    return wanted
