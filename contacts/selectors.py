"""Reads of contacts and their data. Query counts here do not grow with row counts."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import NamedTuple

from django.contrib.auth.models import User
from django.core.exceptions import TooManyFieldsSent
from django.db.models import F, QuerySet
from django.db.models.functions import Lower
from django.http import QueryDict
from django.utils import timezone

from contacts.filters import ContactFilter
from contacts.models import (
    AttributeDefinition,
    AttributeValue,
    BulkDeletion,
    Contact,
    Event,
    EventChannel,
    EventType,
    Group,
    MemberAttributeDefinition,
    MemberAttributeValue,
    Membership,
)
from contacts.search import SHORT_NAME_TERM, alias_is, search_for
from core import raw_rows
from core.collation import in_reading_order, in_reading_order_sql
from core.jobs import OPEN_STATUSES


class InvalidSelection(ValueError):
    """A saved filter that no longer validates (e.g. the group it named was deleted)."""


def contacts_in_selection(
    *, filter_query: str, max_contact_id: int | None, contact_ids: list[int] | None = None
) -> QuerySet[Contact]:
    """The contacts matching a saved All Contacts filter, among those that existed when the
    user confirmed it (Contact ID up to `max_contact_id`); with `contact_ids`, only those
    (the ticked rows). See core.selection."""
    if contact_ids is not None and not filter_query:
        contacts = Contact.objects.filter(pk__in=contact_ids)
        return contacts if max_contact_id is None else contacts.filter(pk__lte=max_contact_id)
    try:
        filterset = ContactFilter(QueryDict(filter_query))
    except TooManyFieldsSent:
        raise InvalidSelection("The filter of the selection has too many fields.") from None
    if not filterset.is_valid():
        raise InvalidSelection("The filter of the selection is no longer valid.")
    contacts = filterset.qs
    if contact_ids is not None:
        contacts = contacts.filter(pk__in=contact_ids)
    if max_contact_id is not None:
        contacts = contacts.filter(pk__lte=max_contact_id)
    return contacts


def contact_find_by_identifier(*, field: str, value: str) -> Contact | None:
    """Exact, index-backed lookup of a normalized identifier."""
    contacts = Contact.objects.order_by()
    if field == "email":
        contacts = contacts.alias(email_lower=Lower("email")).filter(email_lower=value.lower())
    elif field == "app_alias":
        contacts = contacts.filter(alias_is(value))
    else:
        contacts = contacts.filter(**{field: value})
    return contacts.first()


def contact_get(*, contact_id: int) -> Contact | None:
    """The contact with its app data read along (written out: core.raw_rows)."""
    found = raw_rows.select_models(
        Contact, f"WHERE {raw_rows.column(Contact, 'id')} = %s", [contact_id], related="app_data"
    )
    return found[0] if found else None


@dataclass(frozen=True)
class CustomAttributeRow:
    definition: AttributeDefinition
    value: str | None


def contact_custom_attributes(*, contact: Contact) -> list[CustomAttributeRow]:
    """Every custom attribute (by name) with the contact's value; both reads written out
    (core.raw_rows), as the profile makes them on every request."""
    values = dict(raw_rows.select_values(AttributeValue, _attribute_values_sql(), [contact.pk]))
    definitions = raw_rows.select_models(
        AttributeDefinition,
        f"ORDER BY {in_reading_order_sql(raw_rows.column(AttributeDefinition, 'name'))} ASC",
        [],
    )
    return [CustomAttributeRow(definition=d, value=values.get(d.pk)) for d in definitions]


@cache
def _attribute_values_sql() -> str:
    definition, value, contact = (
        raw_rows.column(AttributeValue, name) for name in ("definition", "value", "contact")
    )
    return (
        f"SELECT {definition}, {value} FROM {raw_rows.table(AttributeValue)} WHERE {contact} = %s"  # noqa: S608
    )


def contact_memberships(*, contact_id: int) -> list[Membership]:
    """The contact's memberships by group name, each with its group and its attribute
    values (by name, ignoring case, with their definitions). Both reads are written out
    (core.raw_rows): through the ORM, the prefetch of the values cost the profile about
    three times what its two queries take."""
    memberships = raw_rows.select_models(
        Membership,
        f"WHERE {raw_rows.column(Membership, 'contact')} = %s "
        f"ORDER BY {in_reading_order_sql(raw_rows.column(Group, 'name'))} ASC",
        [contact_id],
        related="group",
    )
    if not memberships:
        return memberships
    ids = [membership.pk for membership in memberships]
    by_name = in_reading_order_sql(raw_rows.column(MemberAttributeDefinition, "name"))
    values = raw_rows.select_models(
        MemberAttributeValue,
        f"WHERE {raw_rows.column(MemberAttributeValue, 'membership')} "
        f"IN ({', '.join(['%s'] * len(ids))}) "
        f"ORDER BY {by_name} ASC, {raw_rows.column(MemberAttributeValue, 'id')} ASC",
        ids,
        related="definition",
    )
    by_membership: dict[int, list[MemberAttributeValue]] = {pk: [] for pk in ids}
    for value in values:
        by_membership[value.membership_id].append(value)
    for membership in memberships:
        raw_rows.set_prefetched(membership, "attribute_values", by_membership[membership.pk])
    return memberships


ACTIVITY_TIME_FRAMES = {
    "1": ("Last 24 hours", timedelta(days=1)),
    "7": ("Last 7 days", timedelta(days=7)),
    "30": ("Last 30 days", timedelta(days=30)),
    "90": ("Last 90 days", timedelta(days=90)),
    "all": ("All time", None),
}


# get_event_type_display() and get_channel_display() as plain dicts: those methods build
# a dict of the choices on every call.
EVENT_TYPE_LABELS = {value: str(label) for value, label in EventType.choices}
EVENT_CHANNEL_LABELS = {value: str(label) for value, label in EventChannel.choices}


class ActivityRow(NamedTuple):
    """An event as the activity table and the summary show it: a tuple, not an Event with
    its Group (building fifty of each cost the profile twice the query's own time)."""

    pk: int
    occurred_at: datetime
    event_type: str
    channel: str
    message_name: str
    address: str
    group_name: str | None

    @property
    def type_label(self) -> str:
        return EVENT_TYPE_LABELS.get(self.event_type, self.event_type)

    @property
    def channel_label(self) -> str:
        return EVENT_CHANNEL_LABELS.get(self.channel, self.channel)


@dataclass(frozen=True)
class ActivityPage:
    events: list[ActivityRow]
    older_cursor: str | None


def contact_activity(
    *,
    contact_id: int,
    time_frame: str = "30",
    event_type: str = "",
    before: str = "",
    limit: int = 50,
) -> ActivityPage:
    """Newest first; pages by (time, id) so deep pages cost the same as the first."""
    contact, occurred, pk, kind = (
        raw_rows.column(Event, name) for name in ("contact", "occurred_at", "id", "event_type")
    )
    conditions = [f"{contact} = %s"]
    params: list[object] = [contact_id]
    _label, span = ACTIVITY_TIME_FRAMES.get(time_frame, ACTIVITY_TIME_FRAMES["30"])
    if span is not None:
        conditions.append(f"{occurred} >= %s")
        params.append(raw_rows.param(Event, "occurred_at", timezone.now() - span))
    if event_type:
        conditions.append(f"{kind} = %s")
        params.append(event_type)
    cursor = _parse_cursor(before)
    if cursor is not None:
        at, event_id = cursor
        conditions.append(f"{occurred} <= %s AND NOT ({occurred} = %s AND {pk} >= %s)")
        at = raw_rows.param(Event, "occurred_at", at)
        params += [at, at, event_id]
    rows = _activity_rows(conditions, params, limit + 1)
    older = None
    if len(rows) > limit:
        rows = rows[:limit]
        older = f"{rows[-1].occurred_at.isoformat()}|{rows[-1].pk}"
    return ActivityPage(events=rows, older_cursor=older)


def contact_last_activity(*, contact_id: int) -> ActivityRow | None:
    found = _activity_rows([f"{raw_rows.column(Event, 'contact')} = %s"], [contact_id], 1)
    return found[0] if found else None


def _activity_rows(conditions: list[str], params: list[object], limit: int) -> list[ActivityRow]:
    """The newest events that meet `conditions`, with SQL written out (core.raw_rows)."""
    occurred, pk = raw_rows.column(Event, "occurred_at"), raw_rows.column(Event, "id")
    sql = (
        f"{_activity_select()} WHERE {' AND '.join(conditions)} "
        f"ORDER BY {occurred} DESC, {pk} DESC LIMIT %s"
    )
    rows = raw_rows.select_values(Event, sql, [*params, limit])
    to_time = raw_rows.converter(Event, "occurred_at")
    return [ActivityRow(row[0], to_time(row[1]), *row[2:]) for row in rows]


@cache
def _activity_select() -> str:
    columns = ", ".join(
        raw_rows.column(Event, name)
        for name in ("id", "occurred_at", "event_type", "channel", "message_name", "address")
    )
    group = raw_rows.column(Group, "name")
    on = f"{raw_rows.column(Event, 'group')} = {raw_rows.column(Group, 'id')}"
    return (
        f"SELECT {columns}, {group} FROM {raw_rows.table(Event)} "  # noqa: S608 (no input)
        f"LEFT OUTER JOIN {raw_rows.table(Group)} ON {on}"
    )


def _parse_cursor(raw: str) -> tuple[datetime, int] | None:
    at_text, sep, id_text = raw.partition("|")
    if not sep:
        return None
    try:
        typed = datetime.fromisoformat(at_text)
        event_id = int(id_text)
        # In UTC, as the database compares it: a time near year 1 or 9999 that cannot be
        # is refused here (OverflowError) instead of failing in the query.
        at = typed.astimezone(UTC) if timezone.is_aware(typed) else None
    except (ValueError, OverflowError):
        return None
    if at is None or not 0 < event_id < 2**63:
        return None
    return at, event_id


def group_list() -> QuerySet[Group]:
    return Group.objects.order_by(in_reading_order("name"))


def group_get(*, group_id: int) -> Group | None:
    return Group.objects.filter(pk=group_id).first()


def groups_manageable_by(user: User) -> QuerySet[Group]:
    """The groups whose memberships the user may add: the rule of
    contacts.roles.can_manage_memberships, as a query."""
    if user.has_perm("contacts.change_membership"):
        return Group.objects.order_by(in_reading_order("name"))
    if user.has_perm("contacts.manage_test_memberships"):
        return Group.objects.filter(is_test_group=True).order_by(in_reading_order("name"))
    return Group.objects.none()


# The longest search the group page takes: an email address.
MEMBER_SEARCH_MAX = 254


def group_members(*, group: Group, search: str = "") -> QuerySet[Membership]:
    """The group's memberships, newest contact first; `search` finds what the search of
    All Contacts finds (contacts.search.search_for), among the members."""
    members = (
        Membership.objects.filter(group=group).select_related("contact").order_by("-contact_id")
    )
    if not search:
        return members
    found = members.filter(
        contact_id__in=Contact.objects.filter(search_for(search).condition()).values("id")
    )
    if len(search) < SHORT_NAME_TERM:
        return found  # common: the newest contacts hold a page of matches soon
    # A longer term matches few: sorted by an expression, not by the index on contact_id,
    # PostgreSQL finds them in the search's indexes, then sorts them. With the index it
    # walked the contacts from the newest, testing each, until it had a page (170 ms for
    # a surname in a group of 170,000 among 1,000,000 contacts; 55 ms this way).
    return found.order_by((F("contact_id") + 0).desc())


def membership_get(*, group_id: int, membership_id: int) -> Membership | None:
    """A membership of the group (None if it does not exist or is of another group)."""
    return (
        Membership.objects.select_related("group", "contact")
        .filter(pk=membership_id, group_id=group_id)
        .first()
    )


def membership_attributes(
    *, membership: Membership
) -> tuple[list[MemberAttributeDefinition], dict[int, str]]:
    """The member attributes of the membership's group, and its values by definition id."""
    definitions = list(MemberAttributeDefinition.objects.filter(group_id=membership.group_id))
    values = dict(membership.attribute_values.values_list("definition_id", "value"))
    return definitions, values


def contact_max_id() -> int:
    """The highest Contact ID now: "select all" never reaches contacts created after it.

    Both reads of All Contacts' every request (this and the next) are written out
    (core.raw_rows): through the ORM they cost more outside the database than in it."""
    rows = raw_rows.select_values(Contact, _max_id_sql())
    return int(rows[0][0]) if rows else 0


@cache
def _max_id_sql() -> str:
    pk = raw_rows.column(Contact, "id")
    return f"SELECT {pk} FROM {raw_rows.table(Contact)} ORDER BY {pk} DESC LIMIT 1"  # noqa: S608


def bulk_deletions_recent(*, user: User) -> list[BulkDeletion]:
    """The user's background deletions that run, or ended in the last ten minutes and
    whose notice the user has not closed."""
    if not user.has_perm("contacts.delete_contact"):
        return []
    since = raw_rows.param(BulkDeletion, "finished_at", timezone.now() - timedelta(minutes=10))
    return raw_rows.select_models(
        BulkDeletion, _recent_deletions_sql(), [user.pk, *OPEN_STATUSES, since]
    )


@cache
def _recent_deletions_sql() -> str:
    """The user's deletions with an open status or finished since a time and not
    dismissed, newest 5."""
    user, status, finished, dismissed, requested = (
        raw_rows.column(BulkDeletion, name)
        for name in ("requested_by", "status", "finished_at", "dismissed_at", "requested_at")
    )
    statuses = ", ".join("%s" for _ in OPEN_STATUSES)
    return (
        f"WHERE {user} = %s AND ({status} IN ({statuses}) "
        f"OR ({finished} >= %s AND {dismissed} IS NULL)) "
        f"ORDER BY {requested} DESC LIMIT 5"
    )
