"""contacts.selectors.contact_activity reads the events with SQL written out, as rows: the
same events, in the same order, with the same values and group names, as the ORM queryset
it replaced."""

import datetime as dt

import pytest
from django.utils import timezone

from contacts import selectors
from contacts.models import Event, EventType
from tests.factories import ContactFactory, EventFactory, GroupFactory

pytestmark = pytest.mark.django_db


def _orm_page(contact_id, *, time_frame="30", event_type="", before="", limit=50):
    """The queryset contact_activity was."""
    events = Event.objects.filter(contact_id=contact_id).select_related("group")
    _label, span = selectors.ACTIVITY_TIME_FRAMES.get(
        time_frame, selectors.ACTIVITY_TIME_FRAMES["30"]
    )
    if span is not None:
        events = events.filter(occurred_at__gte=timezone.now() - span)
    if event_type:
        events = events.filter(event_type=event_type)
    cursor = selectors._parse_cursor(before)
    if cursor is not None:
        at, event_id = cursor
        events = events.filter(occurred_at__lte=at).exclude(occurred_at=at, id__gte=event_id)
    return list(events.order_by("-occurred_at", "-id")[: limit + 1])[:limit]


def _as_row(event: Event) -> selectors.ActivityRow:
    return selectors.ActivityRow(
        event.pk,
        event.occurred_at,
        event.event_type,
        event.channel,
        event.message_name,
        event.address,
        event.group.name if event.group else None,
    )


def _same(ours: list[selectors.ActivityRow], theirs: list[Event]) -> None:
    assert ours == [_as_row(e) for e in theirs]
    for mine, other in zip(ours, theirs, strict=True):
        assert mine.occurred_at.tzinfo is not None
        assert mine.type_label == other.get_event_type_display()
        assert mine.channel_label == other.get_channel_display()


@pytest.fixture
def history():
    contact = ContactFactory()
    groups = [GroupFactory(name='<script>"x"</script>'), GroupFactory(name="O'Brien")]
    now = timezone.now()
    same_time = now - dt.timedelta(days=2)
    for index in range(14):
        EventFactory(
            contact=contact,
            event_type=[EventType.SENT, EventType.OPENED, EventType.CLICKED][index % 3],
            group=groups[index % 2] if index % 3 else None,
            message_name=f"<b>Mail {index}</b>",
            # Several at the same time, so that the id decides their order.
            occurred_at=same_time if index in (3, 4, 5) else now - dt.timedelta(days=index * 3),
        )
    EventFactory()  # another contact's
    return contact


@pytest.mark.parametrize("time_frame", ["1", "7", "30", "all", "unknown"])
@pytest.mark.parametrize("event_type", ["", EventType.OPENED])
def test_a_first_page_is_that_of_the_orm(history, time_frame, event_type):
    ours = selectors.contact_activity(
        contact_id=history.pk, time_frame=time_frame, event_type=event_type
    )
    _same(ours.events, _orm_page(history.pk, time_frame=time_frame, event_type=event_type))


def test_pages_by_cursor_are_those_of_the_orm(history):
    seen: list[int] = []
    before = ""
    for _ in range(10):
        page = selectors.contact_activity(
            contact_id=history.pk, time_frame="all", before=before, limit=2
        )
        _same(page.events, _orm_page(history.pk, time_frame="all", before=before, limit=2))
        seen += [event.pk for event in page.events]
        if page.older_cursor is None:
            break
        before = page.older_cursor
    assert seen == [e.pk for e in _orm_page(history.pk, time_frame="all", limit=100)]
    assert len(seen) == 14


def test_a_bad_cursor_reads_the_first_page(history):
    page = selectors.contact_activity(contact_id=history.pk, time_frame="all", before="x|y")
    _same(page.events, _orm_page(history.pk, time_frame="all"))


def test_the_last_activity_is_the_newest_event_of_any_time(history):
    newest = Event.objects.filter(contact=history).order_by("-occurred_at", "-id").first()
    assert newest is not None
    assert selectors.contact_last_activity(contact_id=history.pk) == _as_row(newest)
    assert selectors.contact_last_activity(contact_id=ContactFactory().pk) is None


def test_an_unknown_type_or_channel_shows_as_stored(history):
    row = selectors.contact_activity(contact_id=history.pk, time_frame="all").events[0]
    odd = row._replace(event_type="legacy_bounce", channel="fax")
    assert (odd.type_label, odd.channel_label) == ("legacy_bounce", "fax")
