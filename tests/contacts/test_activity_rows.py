"""The activity table's rows are built in Python (contacts.activity_rows): the markup must
be what the template loop made."""

import re
from datetime import UTC, datetime

import pytest
from django.template import engines
from django.utils import timezone

from contacts import selectors
from contacts.activity_rows import activity_rows
from contacts.models import Event
from tests.factories import ContactFactory, EventFactory, GroupFactory

pytestmark = pytest.mark.django_db

# The loop the template had before.
TEMPLATE_LOOP = """{% for event in events %}
  <tr>
    <td class="text-nowrap"><time datetime="{{ event.occurred_at|date:'c' }}">{{ event.occurred_at|date:"SHORT_DATETIME_FORMAT" }}</time></td>
    <td>{{ event.get_event_type_display }}</td>
    <td>{{ event.get_channel_display }}</td>
    <td class="wrap-col">{{ event.message_name|default:"" }}{% if event.group %}{% if event.message_name %} · {% endif %}{{ event.group.name }}{% endif %}</td>
    <td class="wrap-col">{{ event.address|truncatechars:60 }}</td>
  </tr>
  {% endfor %}"""  # noqa: E501


def _tight(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/St_Johns"])
def test_the_rows_are_the_template_s(zone):
    contact = ContactFactory()
    group = GroupFactory(name="News & <Offers>")
    at = datetime(2026, 3, 29, 1, 30, 5, 123456, tzinfo=UTC)
    EventFactory(contact=contact, occurred_at=at, group=group)
    EventFactory(contact=contact, occurred_at=at, group=group, message_name="")
    EventFactory(contact=contact, occurred_at=at, message_name='Sale "50%" <now>', address="")
    EventFactory(contact=contact, occurred_at=at, address="a" * 58 + "&<>" + "b" * 10)
    EventFactory(contact=contact, occurred_at=at, address="x" * 60, message_name="")
    EventFactory(contact=contact, occurred_at=at, address="ü" * 59 + "u\u0308" + "ü" * 3)
    # Newest first, as the profile reads them (all at the same time: by id, descending).
    events = list(Event.objects.filter(contact=contact).select_related("group").order_by("-id"))
    rows = selectors.contact_activity(contact_id=contact.pk, time_frame="all").events
    assert [row.pk for row in rows] == [event.pk for event in events]
    with timezone.override(zone):
        expected = engines["django"].from_string(TEMPLATE_LOOP).render({"events": events})
        built = activity_rows(rows)
    assert built.count("<tr>") == 6
    assert _tight(built) == _tight(expected)
