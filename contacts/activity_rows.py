"""The rows of the activity table (Contact Profile, Message History), built in Python.

Fifty events a page, each with two dates, two labels and a shortened address: as a
template loop that was a third of the Contact Profile's time outside SQL. The markup is
the template's (tests/contacts/test_activity_rows.py compares them).
"""

from collections.abc import Iterable
from datetime import tzinfo

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from contacts.rows import esc
from contacts.selectors import ActivityRow

ADDRESS_SHOWN = 60


def activity_rows(events: Iterable[ActivityRow]) -> SafeString:
    zone = timezone.get_current_timezone()  # once: each lookup reads a context variable
    return mark_safe("".join(_row(event, zone) for event in events))  # noqa: S308 (esc)


def _row(event: ActivityRow, zone: tzinfo) -> str:
    # SHORT_DATETIME_FORMAT of config/formats; the column header names the zone.
    at = timezone.localtime(event.occurred_at, zone)
    what = esc(event.message_name or "")
    if event.group_name is not None:
        what += f"{' · ' if event.message_name else ''}{esc(event.group_name)}"
    address = event.address
    if not (address.isascii() and len(address) <= ADDRESS_SHOWN):  # most are: kept as they are
        address = Truncator(address).chars(ADDRESS_SHOWN)
    return (
        f'<tr><td class="text-nowrap"><time datetime="{at.isoformat()}">'
        f"{at.strftime('%Y-%m-%d %H:%M')}</time></td>"
        f"<td>{esc(event.type_label)}</td>"
        f"<td>{esc(event.channel_label)}</td>"
        f'<td class="wrap-col">{what}</td>'
        f'<td class="wrap-col">{esc(address)}</td></tr>'
    )
