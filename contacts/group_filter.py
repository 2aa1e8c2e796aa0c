"""The group filter of All Contacts: which side is read first, the group's members or
the contacts (on PostgreSQL), and how a group in a created range is counted.

contacts.filters applies it; the listing (contacts.views.listing) counts with it.
"""

from typing import NamedTuple

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BigIntegerField, BooleanField, Exists, F, Func, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from contacts.models import Contact, Group, Membership

# Up to this many members a group is read member first on PostgreSQL: its member ids go
# to the page's query as an array whose size the planner knows, so it probes a few members
# by id, or walks the sort's index-only scan checking each entry in a hash of the ids (1 ms
# for 5,000 at any table size; contacts.pagination reads the ids first). A larger group
# walks the sort's index and probes each contact's membership.
SMALL_GROUP_MEMBERS = 10_000


class EqualsAny(Func):
    """value = ANY(array): an array of ids, or ARRAY(subquery)."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = BooleanField()


class GroupCondition(NamedTuple):
    condition: Q
    members_first: bool  # the members' ids were read, and go to the query as an array
    members: int | None = None  # how many there are, then


def in_group(group: Group, *, ids: tuple[int, int] | None = None) -> GroupCondition:
    """The contacts in `group` (with an id in `ids`), and whether they are read member
    first; one bounded query decides. The id range is given to the memberships too: read
    through their (group, contact) index, a large group's members in a month are few."""
    members = Membership.objects.filter(group=group).order_by()
    if ids is not None:
        members = members.filter(contact__id__range=ids)
    if connection.vendor == "postgresql" and ids is not None:
        # In a created range the members are read by id, then sorted: their ids lie close
        # together. An array literal would grow with the table there (a large group's
        # members in a month), and its planning with it.
        if members[: SMALL_GROUP_MEMBERS + 1].count() <= SMALL_GROUP_MEMBERS:
            subquery = ArraySubquery(members.values("contact_id"))
            return GroupCondition(Q(EqualsAny(F("id"), subquery)), members_first=False)
    elif connection.vendor == "postgresql":
        ids_text = _member_ids_text(members)
        if ids_text is not None:
            count = ids_text.count(",") + 1 if ids_text else 0
            return GroupCondition(ids_in(ids_text), members_first=True, members=count)
    return GroupCondition(Q(Exists(members.filter(contact_id=OuterRef("pk")))), False)


def ids_in(ids_text: str) -> Q:
    """The contacts whose id is in `ids_text` ("1,5,9", PostgreSQL): one text parameter
    made an array, where Django would prepare a list's every item, each query."""
    array = RawSQL("%s::bigint[]", (f"{{{ids_text}}}",), ArrayField(BigIntegerField()))
    return Q(EqualsAny(F("id"), array))


def _member_ids_text(members: QuerySet[Membership]) -> str | None:
    """The contact ids of `members` as "1,5,9" (one value, not a row each), or None when
    there are more than SMALL_GROUP_MEMBERS."""
    limited = members.values("contact_id")[: SMALL_GROUP_MEMBERS + 1]
    sql, params = limited.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT CASE WHEN cardinality(ids) <= %s THEN array_to_string(ids, ',') END "  # noqa: S608
            # OFFSET 0: the array is built once, not for each of its two uses.
            f"FROM (SELECT ARRAY({sql}) AS ids OFFSET 0) members",  # (SQL compiled by Django)
            [SMALL_GROUP_MEMBERS, *params],
        )
        text: str | None = cursor.fetchone()[0]
        return text


class ProbedExists(Exists):
    """EXISTS, kept a subquery run for each outer row (OFFSET 0 stops PostgreSQL from
    turning it into a join): the outer rows are read in their index's order, each probed,
    and a LIMIT above stops the reading."""

    template = "EXISTS(%(subquery)s OFFSET 0)"


def members_in_created_range(
    group: Group, *, ids: tuple[int, int], contacts: QuerySet[Contact]
) -> QuerySet[Membership]:
    """The group's memberships whose contact is among `contacts` (those created in a
    range whose ids are `ids`): one per contact, so a capped count of them is the list's.

    Read member first through the (group, contact) index, each contact probed by its
    primary key: a count capped at 1,000 stops after about 1,000 members at any size,
    where counting the contacts read every member in the range first."""
    probe = ProbedExists(contacts.filter(pk=OuterRef("contact_id")).order_by())
    return Membership.objects.filter(group=group, contact__id__range=ids).filter(probe).order_by()
