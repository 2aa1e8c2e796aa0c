"""Message history of demo contacts: which events, when, about what.

The innermost loop of a large run (ten million rows for a million contacts), so
it trades a little elegance for speed: precomputed tables, rand() indexing.
"""

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from contacts.demo.pools import Pools
from contacts.models import EventChannel, EventType

if TYPE_CHECKING:
    from contacts.demo.rows import Person

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
    email, sms, push = pools.email_messages, pools.sms_messages, pools.push_messages
    E, S, P, A = EventChannel.EMAIL, EventChannel.SMS, EventChannel.PUSH, EventChannel.APP
    T = EventType
    kinds = (
        EventKind(T.SENT, E, ADDRESS_EMAIL, email, True, 40, 1),
        EventKind(T.OPENED, E, ADDRESS_EMAIL, email, True, 18, 1),
        EventKind(T.CLICKED, E, ADDRESS_EMAIL, email, True, 7, 1),
        EventKind(T.SKIPPED, E, ADDRESS_EMAIL, email, True, 1.5, 1),
        EventKind(T.BOUNCED, E, ADDRESS_EMAIL, email, True, 1.2, 1),
        EventKind(T.FORWARDED, E, ADDRESS_EMAIL, email, True, 0.4, 1),
        EventKind(T.UNSUBSCRIBED, E, ADDRESS_EMAIL, email, True, 0.4, 1),
        EventKind(T.SPAM_COMPLAINT, E, ADDRESS_EMAIL, email, True, 0.1, 1),
        EventKind(T.SENT, S, ADDRESS_MOBILE, sms, True, 6, 2),
        EventKind(T.SKIPPED, S, ADDRESS_MOBILE, sms, True, 0.3, 2),
        EventKind(T.BOUNCED, S, ADDRESS_MOBILE, sms, True, 0.3, 2),
        EventKind(T.PUSH_SENT, P, ADDRESS_ALIAS, push, True, 8, 4),
        EventKind(T.PUSH_OPENED, P, ADDRESS_ALIAS, push, True, 3, 4),
        EventKind(T.APP_OPENED, A, ADDRESS_ALIAS, (), False, 6, 4),
        EventKind(T.SUBSCRIBED, EventChannel.SYSTEM, ADDRESS_PRIMARY, (), True, 1, 0),
        EventKind(T.PROFILE_UPDATED, EventChannel.SYSTEM, ADDRESS_NONE, (), False, 1.5, 0),
    )
    return tuple(replace(k, event_type=k.event_type.value, channel=k.channel.value) for k in kinds)


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
) -> Iterator[tuple]:
    """Event rows (contacts.demo.rows.EVENT_FIELDS) of the given contacts."""
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
