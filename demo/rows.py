"""Rows of demo data for one chunk of contacts, as plain tuples.

Everything here is cheap Python on purpose (random, precomputed pools, no ORM
objects): it runs tens of millions of times for a large demo.
"""

import random
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple, TypeVar

from contacts.models import (
    PROFILE_FIELD_NAMES,
    AddressStatus,
    Gender,
    IdentifierType,
    MembershipStatus,
    Title,
)
from demo.catalog import Catalog, GroupSpec, money
from demo.events import DAY, event_rows, event_tables
from demo.identifiers import alias_for, email_local_part, mobile_for
from demo.pools import Pools

Row = tuple[Any, ...]  # the values of one table row, in the order of its *_FIELDS
Item = TypeVar("Item")
CONTACT_SPAN_DAYS = 730

# The columns of a seeded contact row: the profile fields (contacts.models.PROFILE_FIELDS)
# between the id and the times.
CONTACT_FIELDS = ("id", *PROFILE_FIELD_NAMES, "created_at", "updated_at", "version")
MEMBERSHIP_FIELDS = (
    "id",
    "contact",
    "group",
    "status",
    "subscribed_at",
    "is_test_recipient",
    "updated_at",
)
MEMBER_VALUE_FIELDS = ("membership", "definition", "value")
ATTRIBUTE_VALUE_FIELDS = ("contact", "definition", "value")
APP_DATA_FIELDS = ("contact", "push_opt_in_at", "push_opt_out_at", "last_app_open_at")
RELATED_FIELDS = ("contact", "table_name", "values", "created_at")
EVENT_FIELDS = (
    "contact",
    "event_type",
    "channel",
    "message_name",
    "group",
    "occurred_at",
    "address",
)

_NEEDS_BIT = {"email": 1, "mobile": 2, "alias": 4}
# Plain str values, not the enum members: psycopg then dumps them without a lookup.
_ACTIVE = AddressStatus.ACTIVE.value
_STATUSES = (_ACTIVE, AddressStatus.BOUNCED.value, AddressStatus.OPTED_OUT.value)
_MEMBERSHIP_ACTIVE = MembershipStatus.ACTIVE.value
# Active 70 %, Pending 10 %, Awaiting Approval 5 %, Deactivated 15 %: rng.choice of
# a repeated list is cheaper than rng.choices with weights.
_MEMBERSHIP_STATUSES = (
    (MembershipStatus.ACTIVE.value,) * 14
    + (MembershipStatus.PENDING.value,) * 2
    + (MembershipStatus.AWAITING_APPROVAL.value,)
    + (MembershipStatus.DEACTIVATED.value,) * 3
)
_FEMALE, _MALE, _UNDISCLOSED = Gender.FEMALE.value, Gender.MALE.value, Gender.UNDISCLOSED.value
_TITLE_OF_GENDER = {
    _FEMALE: Title.MS.value,
    _MALE: Title.MR.value,
    _UNDISCLOSED: Title.UNKNOWN.value,
}
# Identifiers as bits (1 email, 2 mobile, 4 app alias), as in demo.events.
_TYPE_OF_BIT = {
    1: IdentifierType.EMAIL.value,
    2: IdentifierType.MOBILE.value,
    4: IdentifierType.APP_ALIAS.value,
}
_PARTNER_IDS = (101, 250, 777, 1200, 4711, 9001, 12345, 31337, 55000, 99999)
_TIERS = ("Bronze", "Silver", "Gold", "Platinum")
_ORDER_STATES = ("delivered", "delivered", "delivered", "shipped", "returned", "cancelled")


class Person:
    """What later tables need to know about a contact of the current chunk."""

    __slots__ = ("addresses", "bits", "created", "events", "groups", "id")

    def __init__(self, *, id: int, addresses: tuple[str, ...], bits: int, created: float):
        self.id = id
        self.addresses = addresses
        self.bits = bits
        self.created = created
        self.groups: list[int] = []
        self.events = 0


class PlannedMembership(NamedTuple):  # a tuple: created a few million times
    contact_id: int
    group: GroupSpec
    status: str
    subscribed: datetime
    is_test: bool
    updated: datetime


class ChunkGenerator:
    """Generates the rows of all tables, one chunk of contacts at a time."""

    def __init__(
        self,
        *,
        pools: Pools,
        catalog: Catalog,
        rng: random.Random,
        now: datetime,
        total: int,
        events_per_contact: float,
        memberships_per_contact: float,
        heavy_contacts: int,
        heavy_events: int,
    ):
        self.pools = pools
        self.catalog = catalog
        self.rng = rng
        self.now = now.timestamp()
        self.today = now.date()
        self.total = total
        self.events_per_contact = events_per_contact
        self.memberships_per_contact = memberships_per_contact
        self.heavy_contacts = heavy_contacts
        self.heavy_events = heavy_events
        # Each locale repeated by its weight: rng.choice is cheaper than rng.choices.
        self.locale_picks = tuple(pool for pool in pools.locales for _ in range(pool.weight))
        self.event_tables = event_tables(pools)

    # -- contacts ---------------------------------------------------------------------

    def contacts(self, *, ids: list[int], first_index: int) -> tuple[list[Person], list[Row]]:
        people, rows = [], []
        for offset, contact_id in enumerate(ids):
            person, row = self._contact(contact_id, first_index + offset)
            people.append(person)
            rows.append(row)
        return people, rows

    def _pick(self, items: Sequence[Item]) -> Item:
        """rng.choice, but several times cheaper (it matters a million times over)."""
        return items[int(self.rng.random() * len(items))]

    def _status(self) -> str:
        r = self.rng.random()
        return _STATUSES[0] if r < 0.94 else _STATUSES[1] if r < 0.97 else _STATUSES[2]

    def _contact(self, contact_id: int, index: int) -> tuple[Person, Row]:
        rng, rand, pick = self.rng, self.rng.random, self._pick
        locale = pick(self.locale_picks)
        r = rand()
        gender = _FEMALE if r < 0.46 else _MALE if r < 0.90 else _UNDISCLOSED if r < 0.93 else ""
        if gender == _FEMALE or (gender != _MALE and rand() < 0.5):
            first, first_slug = pick(locale.female)
        else:
            first, first_slug = pick(locale.male)
        last, last_slug = pick(locale.last)

        # Mostly email contacts; some mobile or app-only ones; some with 2-3 identifiers.
        # Heavy contacts have all three, so that every event type occurs for them.
        heavy = index < self.heavy_contacts
        r = rand()
        type_bit = 1 if heavy or r < 0.80 else 2 if r < 0.92 else 4
        bits = type_bit
        r = rand()
        if heavy or r < 0.04:
            bits = 7
        elif r < 0.16:
            bits |= (2 if rand() < 0.6 else 4) if bits == 1 else 1

        email = mobile = alias = None
        if bits & 1:
            local = email_local_part(
                contact_id, first=first_slug, last=last_slug, style=rng.randrange(4)
            )
            email = f"{local}@{pick(self.pools.email_domains)}"
        if bits & 2:
            mobile = mobile_for(contact_id)
        if bits & 4:
            alias = alias_for(contact_id, rng)
        primary = {1: email, 2: mobile, 4: alias}[type_bit]

        now = self.now
        # Ids grow with creation time, as they would in a real system.
        created = now - CONTACT_SPAN_DAYS * DAY * (1 - (index + rand()) / self.total)
        updated = created if rand() < 0.4 else created + rand() * (now - created)
        has_name = rand() < 0.92
        title = _TITLE_OF_GENDER[gender] if gender and rand() < 0.75 else ""
        row = (
            contact_id,
            _TYPE_OF_BIT[type_bit],
            email,
            self._status() if email else _ACTIVE,
            mobile,
            self._status() if mobile else _ACTIVE,
            alias,
            self._status() if alias else _ACTIVE,
            f"CRM-{rng.randrange(10**7):07d}" if rand() < 0.25 else "",
            first if has_name else "",
            last if has_name else "",
            pick(locale.nicknames) if rand() < 0.12 else "",
            title,
            gender,
            self._birthday() if rand() < 0.55 else None,
            locale.country if rand() < 0.85 else "",
            locale.language if rand() < 0.8 else "",
            pick(locale.zip_codes) if rand() < 0.6 else "",
            pick(locale.time_zones) if rand() < 0.65 else "",
            pick(_PARTNER_IDS) if rand() < 0.3 else None,
            datetime.fromtimestamp(created, UTC),
            datetime.fromtimestamp(updated, UTC),
            1,
        )
        # In the order of demo.events.ADDRESS_* (what an event's address is).
        addresses = (email or "", mobile or "", alias or "", primary or "", "")
        person = Person(id=contact_id, addresses=addresses, bits=bits, created=created)
        if heavy:
            person.events = self.heavy_events
        elif self.events_per_contact > 0:
            person.events = int(rng.expovariate(1 / self.events_per_contact) + 0.5)
        return person, row

    def _birthday(self) -> date:
        return self.today - timedelta(days=self.rng.randint(18 * 365, 85 * 365))

    def _between(self, start: float) -> datetime:
        return datetime.fromtimestamp(start + self.rng.random() * (self.now - start), UTC)

    # -- memberships --------------------------------------------------------------------

    def memberships(self, people: list[Person], *, first_index: int) -> list[PlannedMembership]:
        rng, rand, pick = self.rng, self.rng.random, self._pick
        fromtimestamp, now = datetime.fromtimestamp, self.now
        regular, tests = self.catalog.regular_groups, self.catalog.test_groups
        spread = 2 * self.memberships_per_contact + 1
        planned = []
        for offset, person in enumerate(people):
            count = min(len(regular), int(rand() * spread))
            chosen = [(group, False) for group in rng.sample(regular, count)]
            # A few test recipients in every run, however small.
            if tests and (first_index + offset < 3 or rand() < 0.01):
                chosen.append((pick(tests), True))
            for group, is_test in chosen:
                status = _MEMBERSHIP_ACTIVE if is_test else pick(_MEMBERSHIP_STATUSES)
                if status == _MEMBERSHIP_ACTIVE:
                    person.groups.append(group.id)
                subscribed = person.created + rand() * (now - person.created)
                updated = subscribed + rand() * (now - subscribed)
                planned.append(
                    PlannedMembership(
                        person.id,
                        group,
                        status,
                        fromtimestamp(subscribed, UTC),
                        is_test,
                        fromtimestamp(updated, UTC),
                    )
                )
        return planned

    @staticmethod
    def membership_rows(planned: list[PlannedMembership], ids: list[int]) -> Iterator[Row]:
        for membership_id, m in zip(ids, planned, strict=True):
            yield (
                membership_id,
                m.contact_id,
                m.group.id,
                m.status,
                m.subscribed,
                m.is_test,
                m.updated,
            )

    def member_value_rows(self, planned: list[PlannedMembership], ids: list[int]) -> Iterator[Row]:
        rng, rand = self.rng, self.rng.random
        for membership_id, m in zip(ids, planned, strict=True):
            for definition in m.group.member_definitions:
                if rand() < definition.share:
                    yield (membership_id, definition.id, definition.make(rng))

    # -- per-contact tables -------------------------------------------------------------

    def attribute_value_rows(self, people: list[Person]) -> Iterator[Row]:
        rng, rand = self.rng, self.rng.random
        definitions = [
            (d, _NEEDS_BIT.get(d.needs, 0) if d.needs else 0) for d in self.catalog.definitions
        ]
        for person in people:
            for definition, needs in definitions:
                if needs & person.bits == needs and rand() < definition.share:
                    yield (person.id, definition.id, definition.make(rng))

    def app_data_rows(self, people: list[Person]) -> Iterator[Row]:
        rand = self.rng.random
        for person in people:
            if not person.bits & 4:
                continue
            opt_in = self._between(person.created) if rand() < 0.85 else None
            opt_out = None
            if opt_in is not None and rand() < 0.12:
                opt_out = self._between(opt_in.timestamp())
            last_open = self._between(person.created) if rand() < 0.9 else None
            yield (person.id, opt_in, opt_out, last_open)

    def related_rows(self, people: list[Person]) -> Iterator[Row]:
        rng, rand = self.rng, self.rng.random
        for person in people:
            if rand() < 0.25:
                for _ in range(rng.randint(1, 4)):
                    at = self._between(person.created)
                    values = {
                        "order_id": f"ORD-{rng.randrange(10**8):08d}",
                        "ordered_at": at.date().isoformat(),
                        "total": money(rng, high_cents=40_000),
                        "currency": "EUR",
                        "items": rng.randint(1, 6),
                        "status": rng.choice(_ORDER_STATES),
                    }
                    yield (person.id, "orders", values, at)
            if rand() < 0.1:
                at = self._between(person.created)
                values = {
                    "tier": rng.choice(_TIERS),
                    "points": rng.randint(0, 25_000),
                    "valid_until": (at.date() + timedelta(days=365)).isoformat(),
                }
                yield (person.id, "loyalty_tiers", values, at)

    def event_rows(self, people: list[Person]) -> Iterator[Row]:
        return event_rows(people, tables=self.event_tables, rng=self.rng, now=self.now)
