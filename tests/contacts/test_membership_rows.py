"""The membership cells and the profile's membership rows are built in Python
(contacts.membership_rows): the markup must be what the templates made."""

import re
from datetime import UTC, datetime

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone

from contacts.membership_rows import membership_cells, profile_membership_rows
from contacts.selectors import contact_memberships
from tests.factories import (
    ContactFactory,
    GroupFactory,
    MemberAttributeValueFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db

# contacts/_membership_cells.html as it was.
CELLS = """<td>{{ m.group.name }}{% if m.group.is_test_group %} <span class="badge text-bg-warning">Test group</span>{% endif %}</td>
<td>{{ m.get_status_display }}</td>
<td>{{ m.subscribed_at|date }}</td>
<td>{{ m.is_test_recipient|yesno:"Yes,No" }}</td>
<td class="wrap-col">{% for value in m.attribute_values.all %}<div><span class="text-secondary">{{ value.definition.name }}:</span> {{ value.value }}</div>{% empty %}<span class="text-secondary">None</span>{% endfor %}</td>"""  # noqa: E501

# The loop of contacts/_profile_memberships.html as it was, with the cells in place.
PROFILE_LOOP = (
    """{% for m in memberships %}
  <tr>
    """
    + CELLS
    + """
    <td class="text-end"><a href="{% url 'groups:membership' m.group_id m.pk %}?next={{ request.get_full_path|urlencode }}">Edit member attributes in the group</a></td>
  </tr>
  {% endfor %}"""  # noqa: E501
)


def _tight(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.fixture
def memberships():
    contact = ContactFactory()
    at = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # a day earlier in America/St_Johns
    plain = MembershipFactory(contact=contact, group=GroupFactory(name="A <b>&</b>"))
    test = MembershipFactory(
        contact=contact,
        group=GroupFactory(name='B "test"', is_test_group=True),
        is_test_recipient=True,
        status="pending",
        subscribed_at=at,
    )
    MemberAttributeValueFactory(membership=test, value="<script>alert(1)</script>")
    MemberAttributeValueFactory(membership=test, definition__name="Größe & <Farbe>", value="")
    return list(contact_memberships(contact_id=contact.pk)), plain, test


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/St_Johns"])
def test_the_cells_are_the_template_s(memberships, zone):
    rows, _plain, _test = memberships
    with timezone.override(zone):
        for membership in rows:
            expected = engines["django"].from_string(CELLS).render({"m": membership})
            assert _tight(membership_cells(membership)) == _tight(expected)


def test_the_profile_rows_are_the_template_s(memberships, marketer):
    rows, plain, test = memberships
    request = RequestFactory().get("/contacts/1/", {"tab": "memberships", "q": "a&b <c>"})
    expected = (
        engines["django"].from_string(PROFILE_LOOP).render({"memberships": rows}, request=request)
    )
    built = profile_membership_rows(rows, back_path=request.get_full_path(), user=marketer)
    assert built.count("<tr>") == 2
    assert _tight(built) == _tight(expected)


def test_hostile_names_are_escaped(memberships, marketer):
    rows, _plain, test = memberships
    built = str(profile_membership_rows(rows, back_path="/contacts/1/?q=<x>&y=1", user=marketer))
    assert "<script>" not in built and "&lt;script&gt;alert(1)&lt;/script&gt;" in built
    assert "A &lt;b&gt;&amp;&lt;/b&gt;" in built
    assert "Größe &amp; &lt;Farbe&gt;:" in built
    assert "?next=/contacts/1/%3Fq%3D%3Cx%3E%26y%3D1" in built
    assert '<span class="badge text-bg-warning">Test group</span>' in built


def test_a_group_the_user_may_only_view_links_to_view_not_edit(memberships, tester):
    """A Tester manages test groups only: "Edit" opened a page with every field disabled."""
    rows, plain, test = memberships
    built = str(profile_membership_rows(rows, back_path="/contacts/1/", user=tester))
    plain_row, test_row = (row for row in built.split("</tr>") if row)
    assert plain_row.startswith("<tr><td>A &lt;b&gt;")
    assert "View member attributes in the group" in plain_row
    assert "Edit member attributes in the group" in test_row
