"""The cells of a membership (Contact Profile, Memberships page) and the rows of the
profile's Memberships tab, built in Python.

As a template they were an include per membership with a loop over its attributes, a
date filter and a URL tag: a sixth of the profile's template time for six groups. The
markup is the template's (tests/contacts/test_membership_rows.py compares them).
"""

from collections.abc import Iterable
from urllib.parse import quote

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from contacts.models import Membership, MembershipStatus
from contacts.roles import can_manage_memberships
from contacts.rows import esc

TEST_GROUP_BADGE = ' <span class="badge text-bg-warning">Test group</span>'
NO_ATTRIBUTES = '<span class="text-secondary">None</span>'
# get_status_display() as a plain dict: the method builds a dict of the choices each call.
STATUS_LABELS = {value: str(label) for value, label in MembershipStatus.choices}
GROUP_SLOT, MEMBERSHIP_SLOT = "8" * 18, "9" * 18


def membership_cells(membership: Membership) -> SafeString:
    """Group, status, subscription date, test recipient and member attributes."""
    group = membership.group
    badge = TEST_GROUP_BADGE if group.is_test_group else ""
    attributes = "".join(
        f'<div><span class="text-secondary">{esc(value.definition.name)}:</span> '
        f"{esc(value.value)}</div>"
        for value in membership.attribute_values.all()
    )
    # DATE_FORMAT of config/formats ("Y-m-d") in the current time zone, as the template's
    # date filter wrote it.
    day = localtime(membership.subscribed_at)
    subscribed = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    return mark_safe(  # noqa: S308 (every value is escaped by esc)
        f"<td>{esc(group.name)}{badge}</td>"
        f"<td>{esc(STATUS_LABELS.get(membership.status, membership.status))}</td>"
        f"<td>{esc(subscribed)}</td>"
        f"<td>{'Yes' if membership.is_test_recipient else 'No'}</td>"
        f'<td class="wrap-col">{attributes or NO_ATTRIBUTES}</td>'
    )


def profile_membership_rows(
    memberships: Iterable[Membership], *, back_path: str, user: User
) -> SafeString:
    """The <tr> of each membership with its link to the member attributes in the group,
    which comes back to `back_path`: Edit where the user manages the group, else View."""
    back = esc(quote(back_path, safe="/"))
    # Reversed once, with stand-ins where the two ids go (as contacts.rows does).
    link = esc(reverse("groups:membership", args=[GROUP_SLOT, MEMBERSHIP_SLOT]))
    before, _, rest = link.partition(GROUP_SLOT)
    between, _, after = rest.partition(MEMBERSHIP_SLOT)
    rows = []
    for membership in memberships:
        url = f"{before}{membership.group_id}{between}{membership.pk}{after}"
        verb = "Edit" if can_manage_memberships(user, membership.group) else "View"
        rows.append(
            f"<tr>{membership_cells(membership)}"
            f'<td class="text-end"><a href="{url}?next={back}">'
            f"{verb} member attributes in the group</a></td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308 (escaped above)
