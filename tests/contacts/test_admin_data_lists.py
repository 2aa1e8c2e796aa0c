"""The admin's lists of the tables that grow with the contacts (events, memberships, values,
related rows): newest first and sorted only by what an index reads in order; its search
box; and the user page an Admin edits roles on."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import User
from django.utils import timezone

from contacts.models import AttributeDefinition, Contact
from contacts.roles import MARKETER, TESTER
from tests.factories import (
    AppDataFactory,
    AttributeDefinitionFactory,
    ContactFactory,
    EventFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EVENTS = "/admin/contacts/event/"


def _event_ids(client, **params) -> list[int]:
    response = client.get(EVENTS, params)
    assert response.status_code == 200
    return [event.pk for event in response.context["cl"].result_list]


def _column(client, url: str, name: str) -> int:
    """The position of a column in ?o= (after the check box column, if any)."""
    return list(client.get(url).context["cl"].list_display).index(name)


def test_events_list_newest_first_and_ignore_a_sort_the_list_does_not_offer(admin_client_role):
    now = timezone.now()
    # Stored in order, but dated the other way round: a sort by time would reverse them.
    ids = [EventFactory(occurred_at=now - dt.timedelta(days=n)).pk for n in range(3)]
    newest_first = sorted(ids, reverse=True)
    assert _event_ids(admin_client_role) == newest_first

    by_time = _column(admin_client_role, EVENTS, "occurred_at")
    assert _event_ids(admin_client_role, o=str(by_time)) == newest_first
    assert _event_ids(admin_client_role, o=f"-{by_time}") == newest_first
    page = admin_client_role.get(EVENTS).content.decode()
    assert f"o={by_time}" not in page  # no header links to it

    by_id = _column(admin_client_role, EVENTS, "id")
    assert _event_ids(admin_client_role, o=str(by_id)) == sorted(ids)
    # An offered sort is kept beside an ignored one, in its place.
    assert _event_ids(admin_client_role, o=f"{by_time}.{by_id}") == sorted(ids)
    assert _event_ids(admin_client_role, o="x.-99") == newest_first


def test_memberships_sort_by_contact_but_not_by_group(admin_client_role):
    first, second = MembershipFactory(), MembershipFactory()
    url = "/admin/contacts/membership/"
    by_contact = _column(admin_client_role, url, "contact_profile")
    by_group = _column(admin_client_role, url, "group")
    orders = {f"-{by_contact}": [second.pk, first.pk], str(by_contact): [first.pk, second.pk]}
    for order, expected in orders.items():
        listed = admin_client_role.get(url, {"o": order}).context["cl"].result_list
        assert [m.pk for m in listed] == expected, order
    page = admin_client_role.get(url).content.decode()
    assert f'href="?o={by_contact}.' in page
    assert f"o={by_group}" not in page
    # The Contact ID opens the contact's profile.
    assert f'<a href="/contacts/{first.contact_id}/">{first.contact_id}</a>' in page


def test_a_sort_by_a_foreign_key_column_sorts_by_that_column(admin_client_role):
    """Not by the related model's ordering (Contact's "-id"), which runs the other way."""
    ids = [AppDataFactory().contact_id for _ in range(3)]
    url = "/admin/contacts/appdata/"
    column = _column(admin_client_role, url, "contact_id")
    for order, expected in ((str(column), sorted(ids)), (f"-{column}", sorted(ids)[::-1])):
        response = admin_client_role.get(url, {"o": order})
        assert [row.contact_id for row in response.context["cl"].result_list] == expected
        assert "contacts_contact" not in str(response.context["cl"].queryset.query)


@pytest.mark.parametrize("model", ["event", "membership", "attributevalue", "contact"])
def test_data_lists_offer_no_counts_of_every_filter_choice(admin_client_role, model):
    """Django's "Show counts" counts each filter choice over the whole table."""
    MembershipFactory()
    page = admin_client_role.get(f"/admin/contacts/{model}/", {"_facets": "True"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Show counts" not in html and "Hide counts" not in html


def test_the_search_box_has_a_label_and_keeps_the_filters(admin_client_role):
    term = str(EventFactory().contact_id)
    page = admin_client_role.get(EVENTS, {"q": term, "event_type__exact": "sent"}).content.decode()
    label = re.search(r'<label for="searchbar">(.*?)</label>', page, re.DOTALL)
    assert label and re.search(r'<span class="visually-hidden">Search</span>', label.group(1))
    assert '<input type="hidden" name="event_type__exact" value="sent">' in page
    assert f'name="q" value="{term}" id="searchbar" aria-describedby="searchbar_helptext"' in page
    assert "1 result (" in page


def test_an_admin_gives_a_user_roles_with_check_boxes(admin_client_role):
    user = UserFactory(username="newcomer")
    url = f"/admin/auth/user/{user.pk}/change/"
    page = admin_client_role.get(url).content.decode()
    marketer = AuthGroup.objects.get(name=MARKETER)
    assert re.search(rf'type="checkbox" name="groups" value="{marketer.pk}"', page)
    assert re.search(r"<label>Roles:</label>|>Roles:</label>", page)
    # Kept by Django, shown, not edited.
    assert 'name="last_login_0"' not in page and 'name="date_joined_0"' not in page

    tester = AuthGroup.objects.get(name=TESTER)
    response = admin_client_role.post(
        url,
        {
            "username": "newcomer",
            "first_name": "New",
            "last_name": "Comer",
            "email": "newcomer@example.com",
            "is_active": "on",
            "groups": [marketer.pk, tester.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert set(user.groups.values_list("name", flat=True)) == {MARKETER, TESTER}
    assert user.first_name == "New" and user.last_login is None


def test_an_admin_adds_a_user_with_an_email_address_and_a_role_in_one_step(admin_client_role):
    """The add page asks for the address the app's mails go to (without it, a user was
    promised mails that were never sent) and the roles."""
    page = admin_client_role.get("/admin/auth/user/add/").content.decode()
    assert 'name="email"' in page and 'type="checkbox" name="groups"' in page
    marketer = AuthGroup.objects.get(name=MARKETER)
    response = admin_client_role.post(
        "/admin/auth/user/add/",
        {
            "username": "mia",
            "email": "mia@example.com",
            "usable_password": "true",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
            "groups": [marketer.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="mia")
    assert user.email == "mia@example.com" and user.check_password("a-long-passphrase-42")
    assert list(user.groups.values_list("name", flat=True)) == [MARKETER]


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("contact", "identifier_type__exact"),
        ("contact", "q"),
        ("event", "event_type__exact"),
        ("relatedrecord", "table_name"),
        ("attributedefinition", "data_type__exact"),
    ],
)
@pytest.mark.parametrize("value", ["\x00", "a\x00b"])
def test_a_nul_in_an_admin_list_query_goes_back_to_the_list(admin_client_role, path, param, value):
    """PostgreSQL refuses NUL in text: the list filters passed it on (a 500), then the
    admin saw a bare 400 page."""
    url = f"/admin/contacts/{path}/"
    response = admin_client_role.get(url, {param: value})
    assert response.status_code == 302 and response.url == url
    page = admin_client_role.get(url)
    assert page.status_code == 200
    assert "The search or a filter had a NUL character" in page.content.decode()


def test_a_nul_in_the_query_of_another_admin_page_is_a_bad_request(admin_client_role):
    response = admin_client_role.get("/admin/contacts/attributedefinition/add/", {"x": "a\x00b"})
    assert response.status_code == 400
    assert "This request could not be understood" in response.content.decode()


@pytest.mark.parametrize("selected", ["", "abc", "1e309", "\x00", "[]"])
def test_an_action_on_rows_that_are_not_ids_is_a_bad_request(admin_client_role, selected):
    """The check boxes send ids; anything else went to the database as it came (a 500)."""
    contact = ContactFactory()
    data = {
        "action": "delete_contacts",
        "index": "0",
        "_selected_action": [str(contact.pk), selected],
    }
    response = admin_client_role.post("/admin/contacts/contact/", data)
    assert response.status_code == 400
    assert Contact.objects.filter(pk=contact.pk).exists()
    definition = AttributeDefinitionFactory()
    data = {"action": "delete_selected", "index": "0", "_selected_action": selected}
    assert admin_client_role.post("/admin/contacts/attributedefinition/", data).status_code == 400
    assert AttributeDefinition.objects.filter(pk=definition.pk).exists()


def test_an_action_on_ids_still_runs(admin_client_role):
    kept, gone = ContactFactory(), ContactFactory()
    data = {"action": "delete_contacts", "index": "0", "_selected_action": [str(gone.pk)]}
    assert admin_client_role.post("/admin/contacts/contact/", data).status_code == 302
    assert list(Contact.objects.values_list("pk", flat=True)) == [kept.pk]
