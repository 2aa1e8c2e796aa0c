"""Message history of demo contacts: which events, when, about what.

The innermost loop of a large run (ten million rows for a million contacts), so
it trades a little elegance for speed: precomputed tables, rand() indexing.
"""

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from contacts.models import EventChannel, EventType
from demo.pools import Pools

if TYPE_CHECKING:
    from demo.rows import Person

DAY = 86_400
EVENT_SPAN_DAYS = 90
EVENT_BATCH = 50_000
# Indexes into Person.addresses: the address an event was sent to.
ADDRESS_EMAIL, ADDRESS_MOBILE, ADDRESS_ALIAS, ADDRESS_PRIMARY, ADDRESS_NONE = range(5)


@dataclass(frozen=True)
class EventKind:
    event_type: str
    channel: str
    address: int  # index into Person.addresses
    messages: tuple[str, ...]  # empty: the event concerns no message
    grouped: bool  # concerns one of the contact's groups
    weight: float
    needs: int  # identifier bit the contact must have (0: any contact)


def _event_kinds(pools: Pools) -> tuple[EventKind, ...]:
    """Every kind of event, with its weight (how often it occurs). The order is part of the
    seed: the same seed gives the same history."""

    def email(event_type: EventType, weight: float) -> EventKind:
        return _kind(event_type, EventChannel.EMAIL, ADDRESS_EMAIL, pools.email_messages, weight)

    def sms(event_type: EventType, weight: float) -> EventKind:
        return _kind(event_type, EventChannel.SMS, ADDRESS_MOBILE, pools.sms_messages, weight)

    def push(event_type: EventType, weight: float) -> EventKind:
        return _kind(event_type, EventChannel.PUSH, ADDRESS_ALIAS, pools.push_messages, weight)

    return (
        email(EventType.SENT, 40),
        email(EventType.OPENED, 18),
        email(EventType.CLICKED, 7),
        email(EventType.SKIPPED, 1.5),
        email(EventType.BOUNCED, 1.2),
        email(EventType.FORWARDED, 0.4),
        email(EventType.UNSUBSCRIBED, 0.4),
        email(EventType.SPAM_COMPLAINT, 0.1),
        sms(EventType.SENT, 6),
        sms(EventType.SKIPPED, 0.3),
        sms(EventType.BOUNCED, 0.3),
        push(EventType.PUSH_SENT, 8),
        push(EventType.PUSH_OPENED, 3),
        _kind(EventType.APP_OPENED, EventChannel.APP, ADDRESS_ALIAS, (), 6, grouped=False),
        _kind(EventType.SUBSCRIBED, EventChannel.SYSTEM, ADDRESS_PRIMARY, (), 1),
        _kind(EventType.PROFILE_UPDATED, EventChannel.SYSTEM, ADDRESS_NONE, (), 1.5, grouped=False),
    )


# The identifier bit (as in Person.bits) that the address of an event needs.
_NEEDS = {
    ADDRESS_EMAIL: 1,
    ADDRESS_MOBILE: 2,
    ADDRESS_ALIAS: 4,
    ADDRESS_PRIMARY: 0,
    ADDRESS_NONE: 0,
}


def _kind(
    event_type: EventType,
    channel: EventChannel,
    address: int,
    messages: tuple[str, ...],
    weight: float,
    *,
    grouped: bool = True,
) -> EventKind:
    # Plain strings in the rows: the writers take the values as the database stores them.
    return EventKind(
        event_type=event_type.value,
        channel=channel.value,
        address=address,
        messages=messages,
        grouped=grouped,
        weight=weight,
        needs=_NEEDS[address],
    )


# Identifier bit mask (1 email, 2 mobile, 4 app alias) -> fitting kinds, cumulative weights.
EventTables = dict[int, tuple[tuple[EventKind, ...], list[float]]]


def event_tables(pools: Pools) -> EventTables:
    kinds = _event_kinds(pools)
    tables: EventTables = {}
    for bits in range(1, 8):
        fitting = tuple(k for k in kinds if k.needs & bits == k.needs)
        cum, running = [], 0.0
        for kind in fitting:
            running += kind.weight
            cum.append(running)
        tables[bits] = (fitting, cum)
    return tables


def event_rows(
    people: Iterable["Person"], *, tables: EventTables, rng: random.Random, now: float
) -> Iterator[tuple[Any, ...]]:
    """Event rows (demo.rows.EVENT_FIELDS) of the given contacts."""
    rand, fromtimestamp = rng.random, datetime.fromtimestamp
    window = now - EVENT_SPAN_DAYS * DAY
    for person in people:
        kinds, cum = tables[person.bits]
        start = max(person.created, window)
        cid, addresses, groups = person.id, person.addresses, person.groups
        # Events come in time order, as in a real history (ids grow with time). A
        # heavy contact's events are drawn slice by slice of the time window, so
        # that only one batch (not a million timestamps) is in memory at a time.
        batches = -(-person.events // EVENT_BATCH)
        slice_width = (now - start) / max(batches, 1)
        remaining = person.events
        for number in range(batches):
            batch = min(remaining, EVENT_BATCH)
            remaining -= batch
            low = start + number * slice_width
            times = sorted([low + slice_width * rand() for _ in range(batch)])
            picks = rng.choices(kinds, cum_weights=cum, k=batch)
            for kind, at in zip(picks, times, strict=True):
                yield (
                    cid,
                    kind.event_type,
                    kind.channel,
                    # Indexing by rand() is several times cheaper than rng.choice.
                    kind.messages[int(rand() * len(kind.messages))] if kind.messages else "",
                    groups[int(rand() * len(groups))] if kind.grouped and groups else None,
                    fromtimestamp(at, UTC),
                    addresses[kind.address],
                )
