"""The database side of an import: one chunk of checked rows, decided and written at once.

Every rule that needs the database lives here: which contact a row matches, identifiers
held by other contacts, the modes, the group options. The caller runs a chunk inside one
transaction; the contacts it matches are locked (SELECT ... FOR UPDATE) so that an edit or
an anonymization running at the same time waits for the chunk, or the chunk for it, and two
chunks writing the same kinds of identifiers (two imports, two bulk API calls) run one after
the other.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils import timezone

from contacts.models import (
    AttributeDefinition,
    AttributeValue,
    Contact,
    Group,
    MemberAttributeDefinition,
    MemberAttributeValue,
    Membership,
    MembershipStatus,
)
from contacts.services import IDENTIFIER_FIELDS
from contacts.services.contacts import contact_identifier_problem
from contacts.validation import FIELD_RULES
from imports.bulk import id_sets, insert_columns, lock_identifiers, update_columns
from imports.identifiers import (
    ADDRESS_FIELDS,
    Owners,
    Stored,
    fields_mapped,
    fields_read,
    label,
)
from imports.joins import (
    Join,
    Owner,
    groups_named,
    memberships_of,
    memberships_wanted,
    owner_id,
    stored_member_values,
    wanted_values,
    write_joins,
)
from imports.mapping import MEMBERSHIPS
from imports.models import ImportMode
from imports.rows import CLEAR, CheckedRow, Rejection

IDENTIFIER_TYPES = {field: kind for kind, field in IDENTIFIER_FIELDS.items()}
# Stored as NULL when empty; the other standard fields as "".
NULLABLE = {"email", "mobile_number", "app_alias", "date_of_birth", "source_id"}
# Clearing a status makes no sense: an address always has one.
NOT_CLEARABLE = {"identifier_type", "email_status", "mobile_status", "app_alias_status"}
IDENTITY = frozenset({"identifier_type", *ADDRESS_FIELDS})
# The targets of a row that are a contact's own fields (not custom:, member: or groups).
STANDARD = frozenset(FIELD_RULES)
# A new contact before the row's values: the model's defaults.
NEW_CONTACT = {
    f.attname: f.get_default() for f in Contact._meta.concrete_fields if not f.primary_key
}


@dataclass(frozen=True)
class Options:
    """What the job says to do, with the definitions and groups it names."""

    match_on: str
    mode: str
    group: Group | None = None
    skip_existing_members: bool = False
    skip_inactive_members: bool = False
    dry_run: bool = False
    custom: Mapping[str, AttributeDefinition] = field(default_factory=dict)
    member: Mapping[str, MemberAttributeDefinition] = field(default_factory=dict)


@dataclass(slots=True)
class Outcome:
    line: int
    outcome: str  # created, updated, unchanged, skipped, rejected
    contact_id: int | None = None
    rejection: Rejection | None = None


Reject = Callable[[str | None, str], "Outcome"]


@dataclass
class ChunkResult:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def rejections(self) -> list[Rejection]:
        return [o.rejection for o in self.outcomes if o.rejection is not None]


@dataclass
class _Plan:
    """What the chunk will write, decided row by row before anything is written."""

    new: list[tuple[CheckedRow, Stored]] = field(default_factory=list)
    changed: dict[int, set[str]] = field(default_factory=dict)
    # (contact, definition, wanted value or None to remove, (id, value) stored if any)
    custom: list[tuple[Owner, AttributeDefinition, object, tuple[int, str] | None]] = field(
        default_factory=list
    )
    join: list[Join] = field(default_factory=list)
    # The stored member values of the chunk's contacts in the chosen group.
    member_values: dict[tuple[int, int], MemberAttributeValue] = field(default_factory=dict)
    # (target in a row, definition) of each custom attribute the file maps.
    custom_keys: list[tuple[str, AttributeDefinition]] = field(default_factory=list)


def apply_chunk(rows: list[CheckedRow], options: Options) -> ChunkResult:
    """Decide every row of the chunk against the database, then write (unless dry_run).

    A chunk that writes waits for any other writer of the same kinds of identifiers first
    (imports.bulk.lock_identifiers): what it reads is then what it can write."""
    if not options.dry_run:
        lock_identifiers(sorted(set(ADDRESS_FIELDS) & fields_mapped(rows)))
    owners = Owners(rows, fields=fields_read(rows), lock=not options.dry_run)
    contact_ids = list(owners.contacts)
    custom_now = _custom_values(contact_ids, options)
    groups = groups_named(rows)
    memberships = memberships_of(contact_ids, options.group, groups)
    plan_member_values = stored_member_values(
        {k: m for k, m in memberships.items() if options.group and k[1] == options.group.pk},
        options.member,
    )
    result = ChunkResult()
    plan = _Plan(
        member_values=plan_member_values,
        custom_keys=[(f"custom:{name}", d) for name, d in options.custom.items()],
    )
    for row in rows:
        result.outcomes.append(_decide(row, options, owners, custom_now, memberships, groups, plan))
    if not options.dry_run:
        _write(plan, owners)
        created = {row.line: values["id"] for row, values in plan.new}
        for outcome in result.outcomes:
            if outcome.outcome == "created":
                outcome.contact_id = created[outcome.line]
    return result


CustomNow = dict[tuple[int, int], tuple[int, str]]


def _custom_values(contact_ids: list[int], options: Options) -> CustomNow:
    """(contact id, definition id) -> (id, value) of the stored custom values."""
    if not options.custom or not contact_ids:
        return {}
    found: CustomNow = {}
    definitions = [d.pk for d in options.custom.values()]
    for batch in id_sets(contact_ids):
        stored = AttributeValue.objects.filter(
            contact_id__in=batch, definition_id__in=definitions
        ).values_list("contact_id", "definition_id", "id", "value")
        for contact_id, definition_id, pk, value in stored:
            found[(contact_id, definition_id)] = (pk, value)
    return found


def _decide(
    row: CheckedRow,
    options: Options,
    owners: Owners,
    custom_now: CustomNow,
    memberships: dict[tuple[int, int], Membership],
    groups: dict[str, Group],
    plan: _Plan,
) -> Outcome:
    def reject(column: str | None, message: str) -> Outcome:
        return Outcome(row.line, "rejected", rejection=Rejection(row.line, column, message))

    match_on = options.match_on
    if match_on == "external_id":
        ids = owners.by_external_id.get(row.key, [])
        if len(ids) > 1:
            listed = ", ".join(str(i) for i in ids)
            return reject(label(match_on), f"Several contacts have this identifier: {listed}.")
        target = ids[0] if ids else None
    else:
        target = owners.owner(match_on, row.key)

    for name in ADDRESS_FIELDS:
        value = row.values.get(name)
        if name == match_on or value in (None, CLEAR):
            continue
        holder = owners.owner(name, value)
        if holder is not None and holder != target:
            if target is not None:
                return reject(
                    label(name),
                    f"The {label(match_on)} belongs to Contact ID {target}, "
                    f"the {label(name)} to Contact ID {holder}.",
                )
            return reject(label(name), f"This {label(name)} belongs to Contact ID {holder}.")

    group_status = memberships_wanted(row, groups) if MEMBERSHIPS in row.values else {}
    if isinstance(group_status, str):
        return reject("Group memberships", group_status)

    if target is None:
        if options.mode == ImportMode.UPDATE_ONLY:
            return reject(label(match_on), f"No contact has this {label(match_on)}.")
        return _create(row, options, group_status, plan, reject)

    if options.mode == ImportMode.CREATE_ONLY:
        return Outcome(row.line, "skipped", target)
    if options.group is not None:
        membership = memberships.get((target, options.group.pk))
        if membership is not None and options.skip_existing_members:
            return Outcome(row.line, "skipped", target)
        if (
            membership is not None
            and options.skip_inactive_members
            and membership.status == MembershipStatus.DEACTIVATED
        ):
            return Outcome(row.line, "skipped", target)
    stored = owners.contacts[target]
    return _update(row, stored, options, custom_now, memberships, group_status, plan, reject)


def _standard_changes(row: CheckedRow, stored: Stored) -> dict[str, object]:
    changes: dict[str, object] = {}
    for name, value in row.values.items():
        if name not in STANDARD:
            continue
        if value is CLEAR:
            if name in NOT_CLEARABLE:
                continue
            value = None if name in NULLABLE else ""
        if stored[name] != value:
            changes[name] = value
    return changes


def _identifier_problem(values: Stored) -> Rejection | None:
    """The edit service's rule on identifiers, for these values (None: they may be saved)."""
    contact = Contact(**{name: values[name] for name in IDENTITY})
    problem = contact_identifier_problem(contact)
    if problem is None:
        return None
    return Rejection(0, label(problem[0]) if problem[0] else None, problem[1])


def _create(
    row: CheckedRow,
    options: Options,
    group_status: dict[Group, str],
    plan: _Plan,
    reject: Reject,
) -> Outcome:
    present = [n for n in ADDRESS_FIELDS if row.values.get(n) not in (None, CLEAR)]
    kind = options.match_on if options.match_on in present else (present[0] if present else "")
    if not kind:
        return reject(None, "A new contact needs an Email, Mobile Number or Mobile App Alias.")
    values = {**NEW_CONTACT, "identifier_type": IDENTIFIER_TYPES[kind]}
    changes = _standard_changes(row, values)
    values.update(changes)
    # The type is one of the row's identifiers unless the row names another one.
    if "identifier_type" in changes:
        problem = _identifier_problem(values)
        if problem is not None:
            return reject(problem.column, problem.message)
    plan.new.append((row, values))
    _plan_attributes(row, values, options, {}, {}, group_status, plan)
    return Outcome(row.line, "created")


def _update(
    row: CheckedRow,
    stored: Stored,
    options: Options,
    custom_now: CustomNow,
    memberships: dict[tuple[int, int], Membership],
    group_status: dict[Group, str],
    plan: _Plan,
    reject: Reject,
) -> Outcome:
    changes = _standard_changes(row, stored)
    # A stored contact's identifiers are valid: only a change to them can break the rule.
    if not IDENTITY.isdisjoint(changes):
        problem = _identifier_problem({**stored, **changes})
        if problem is not None:
            return reject(problem.column, problem.message)
    stored.update(changes)
    pk: int = stored["id"]
    others = _plan_attributes(row, pk, options, custom_now, memberships, group_status, plan)
    if changes or others:
        plan.changed.setdefault(pk, set()).update(changes)
        return Outcome(row.line, "updated", pk)
    return Outcome(row.line, "unchanged", pk)


def _plan_attributes(
    row: CheckedRow,
    owner: Owner,
    options: Options,
    custom_now: CustomNow,
    memberships: dict[tuple[int, int], Membership],
    group_status: dict[Group, str],
    plan: _Plan,
) -> bool:
    """Plan custom values, the group and member values; whether anything changes.
    `owner` is a stored contact's id, or a new contact's values (nothing stored yet)."""
    contact_id = owner if isinstance(owner, int) else None
    changed = False
    for key, definition in plan.custom_keys:
        if key not in row.values:
            continue
        value = row.values[key]
        current = custom_now.get((contact_id, definition.pk)) if contact_id else None
        stored = current[1] if current else None
        wanted = None if value is CLEAR else value
        if wanted != stored:
            plan.custom.append((owner, definition, wanted, current))
            changed = True
    if not group_status and options.group is None:
        return changed
    joins = dict(group_status)
    if options.group is not None:
        joins.setdefault(options.group, MembershipStatus.ACTIVE)
    for group, status in joins.items():
        membership = memberships.get((contact_id, group.pk)) if contact_id else None
        join = Join(owner, group, status, membership)
        if group == options.group:
            join.values = wanted_values(row.values, options.member, membership, plan.member_values)
        if join.changes:
            plan.join.append(join)
            changed = True
    return changed


def _write(plan: _Plan, owners: Owners) -> None:
    now = timezone.now()
    if plan.new:
        for _row, values in plan.new:
            values["created_at"] = values["updated_at"] = now
        insert_columns(Contact, [values for _row, values in plan.new])
    if plan.changed:
        ids = list(plan.changed)
        stored = [owners.contacts[pk] for pk in ids]
        names = sorted(set().union(*plan.changed.values()))
        columns: dict[str, list[object]] = {n: [c[n] for c in stored] for n in names}
        # The contacts are locked: the version read is the stored one.
        columns["version"] = [c["version"] + 1 for c in stored]
        columns["updated_at"] = [now] * len(ids)
        update_columns(Contact, ids, columns)
    _write_custom(plan)
    write_joins(plan.join, plan.member_values, now)


def _write_custom(plan: _Plan) -> None:
    """The custom values decided for the chunk: the stored rows were read when deciding
    (the contacts are locked), so nothing is read again."""
    removes, new, changed_ids, changed_values = [], [], [], []
    for owner, definition, wanted, current in plan.custom:
        if wanted is None:
            if current is not None:
                removes.append(current[0])
        elif current is None:
            value = {"definition_id": definition.pk, "value": str(wanted)}
            new.append({"contact_id": owner_id(owner), **value})
        else:
            changed_ids.append(current[0])
            changed_values.append(str(wanted))
    for batch in id_sets(removes):
        AttributeValue.objects.filter(pk__in=batch).delete()
    insert_columns(AttributeValue, new)
    update_columns(AttributeValue, changed_ids, {"value": changed_values})
