import datetime as dt
import re
from urllib.parse import unquote

import pytest
from django.utils import timezone

from contacts.models import AttributeType, Channel, Contact, EventType
from tests.factories import (
    AttributeDefinitionFactory,
    AttributeValueFactory,
    ContactFactory,
    EventFactory,
    GroupFactory,
    MemberAttributeValueFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db


def _profile_data(contact: Contact, **overrides) -> dict:
    data = {
        "version": contact.version,
        "identifier_type": contact.identifier_type,
        "email": contact.email or "",
        "email_status": contact.email_status,
        "mobile_number": contact.mobile_number or "",
        "mobile_status": contact.mobile_status,
        "app_alias": contact.app_alias or "",
        "app_alias_status": contact.app_alias_status,
        "external_id": contact.external_id,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
    }
    data.update(overrides)
    return data


def test_create_opens_the_new_profile_with_a_message(marketer_client):
    response = marketer_client.post(
        "/contacts/new/", {"identifier_type": "email", "identifier": "New@Example.com"}, follow=True
    )
    contact = Contact.objects.get()
    assert response.redirect_chain[-1][0] == f"/contacts/{contact.pk}/"
    page = response.content.decode()
    assert f"Contact ID {contact.pk} created." in page
    assert "is not in any group" in page
    assert contact.email == "New@example.com"


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("email", "not-an-email", "valid email"),
        ("mobile", "0171 1234567", "country code"),
        ("app_alias", "   ", "required"),
        ("app_alias", "x" * 2001, "2000"),
        ("fax", "123", "valid choice"),
    ],
)
def test_create_refuses_bad_input_clearly(marketer_client, kind, value, message):
    response = marketer_client.post(
        "/contacts/new/", {"identifier_type": kind, "identifier": value}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contact.objects.exists()


def test_duplicate_create_names_and_links_the_existing_contact(marketer_client):
    existing = ContactFactory(email="anna@example.com")
    response = marketer_client.post(
        "/contacts/new/", {"identifier_type": "email", "identifier": "ANNA@example.com"}
    )
    page = response.content.decode()
    assert f"already exists (Contact ID {existing.pk})" in page
    assert f'href="/contacts/{existing.pk}/"' in page
    assert Contact.objects.count() == 1


def test_profile_shows_tabs_and_contact_id(marketer_client):
    contact = ContactFactory()
    page = marketer_client.get(f"/contacts/{contact.pk}/").content.decode()
    for label in ("Summary", "Channel Addresses", "Attributes", "Memberships", "Activity"):
        assert f">{label}</button>" in page
    assert f"Contact ID {contact.pk}" in page
    assert ">Save</button>" in page.replace(
        '<i class="bi bi-check-lg" aria-hidden="true"></i> ', ""
    )
    assert "Close</a>" in page


def test_save_writes_only_what_changed(marketer_client):
    contact = ContactFactory(first_name="Anna", last_name="Berg")
    # Someone else changes the last name directly in the database (an import, say) without
    # touching the version: our save must not write the stale last name back.
    response = marketer_client.post(
        f"/contacts/{contact.pk}/", _profile_data(contact, first_name="Annika")
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.first_name, contact.version) == ("Annika", 2)


def test_save_after_someone_else_saved_is_refused_and_keeps_input(marketer_client, tester_client):
    contact = ContactFactory(first_name="Anna")
    stale = _profile_data(contact)
    tester_client.post(f"/contacts/{contact.pk}/", _profile_data(contact, first_name="Tess"))
    response = marketer_client.post(f"/contacts/{contact.pk}/", {**stale, "first_name": "Mark"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "changed by someone else" in page
    assert 'value="Mark"' in page
    contact.refresh_from_db()
    assert contact.first_name == "Tess"


@pytest.mark.parametrize(
    ("overrides", "message", "tab"),
    [
        ({"email": ""}, "only identifier", "addresses"),
        ({"mobile_number": "0171"}, "country code", "addresses"),
        ({"date_of_birth": "2999-01-01"}, "future", "attributes"),
        ({"country": "XX"}, "valid choice", "attributes"),
        ({"language": "xx"}, "valid choice", "attributes"),
        ({"time_zone": "Mars/Olympus"}, "valid choice", "attributes"),
        ({"source_id": "123456"}, "A source ID has at most 5 digits.", "attributes"),
        ({"first_name": "x" * 256}, "at most 255", "attributes"),
    ],
)
def test_bad_profile_input_is_explained_on_the_right_tab(marketer_client, overrides, message, tab):
    contact = ContactFactory(first_name="Anna")
    response = marketer_client.post(f"/contacts/{contact.pk}/", _profile_data(contact, **overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert re.search(rf'class="tab-pane fade show active" id="tab-{tab}"', page)
    contact.refresh_from_db()
    assert contact.version == 1


def test_errors_on_two_tabs_are_named_and_each_tab_is_marked(marketer_client):
    contact = ContactFactory(email="two.tabs@example.com")
    response = marketer_client.post(
        f"/contacts/{contact.pk}/",
        _profile_data(contact, email="bad@@x", date_of_birth="2999-01-01", source_id="123456"),
    )
    page = response.content.decode()
    assert (
        "Nothing was saved: please correct the fields marked on the Channel Addresses and "
        "Attributes tabs." in page
    )
    badges = dict(
        re.findall(
            r'id="tab-(\w+)-button"(?:(?!</button>).)*data-tab-errors>(\d+)<', page, flags=re.S
        )
    )
    assert badges == {"addresses": "1", "attributes": "2"}
    assert '1<span class="visually-hidden"> error</span>' in page
    assert '2<span class="visually-hidden"> errors</span>' in page
    contact.refresh_from_db()
    assert contact.version == 1


def test_an_error_on_one_tab_names_that_tab(marketer_client):
    contact = ContactFactory()
    response = marketer_client.post(
        f"/contacts/{contact.pk}/", _profile_data(contact, date_of_birth="2999-01-01")
    )
    page = response.content.decode()
    assert "please correct the fields marked on the Attributes tab." in page
    assert page.count("data-tab-errors") == 1


def test_custom_attribute_edit_and_type_error(marketer_client):
    definition = AttributeDefinitionFactory(
        name="Birthday", data_type=AttributeType.DATE, channel=Channel.EMAIL
    )
    contact = ContactFactory()
    field = f"custom_{definition.pk}"
    page = marketer_client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "Applies to: Email" in page
    bad = marketer_client.post(
        f"/contacts/{contact.pk}/", _profile_data(contact, **{field: "soon"})
    )
    assert "Enter the date as YYYY-MM-DD, e.g. 2025-03-31." in bad.content.decode()
    marketer_client.post(
        f"/contacts/{contact.pk}/", _profile_data(contact, **{field: "2020-02-29"})
    )
    assert contact.attribute_values.get().value == "2020-02-29"


def test_a_stored_value_no_longer_in_the_list_is_shown_and_kept(marketer_client):
    """Stored before the admin refused lists that drop held values: a save of another field
    used to remove it, the select showing "Not set"."""
    definition = AttributeDefinitionFactory(name="Segment", allowed_values="New\nRegular")
    contact = ContactFactory(first_name="Anna")
    AttributeValueFactory(contact=contact, definition=definition, value="VIP")
    field = f"custom_{definition.pk}"
    page = marketer_client.get(f"/contacts/{contact.pk}/").content.decode()
    assert re.search(r'<option value="VIP" selected>VIP \(no longer allowed\)</option>', page)
    response = marketer_client.post(
        f"/contacts/{contact.pk}/",
        _profile_data(contact, first_name="Annika", **{field: "VIP"}),
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.first_name == "Annika"
    assert contact.attribute_values.get().value == "VIP"
    # Chosen away, it cannot be chosen again: the list decides.
    marketer_client.post(f"/contacts/{contact.pk}/", _profile_data(contact, **{field: "New"}))
    assert contact.attribute_values.get().value == "New"


def test_memberships_tab_shows_member_attributes_read_only_with_link(marketer_client):
    membership = MembershipFactory()
    MemberAttributeValueFactory(membership=membership, value="Store 7")
    page = marketer_client.get(f"/contacts/{membership.contact_id}/").content.decode()
    assert "Store 7" in page
    assert f"/groups/{membership.group_id}/memberships/{membership.pk}/" in page
    assert "Edit member attributes in the group" in page


def test_a_tester_is_offered_to_view_a_membership_it_may_not_edit_and_told_why(tester_client):
    """A Tester manages test groups only: the profile said "Edit member attributes" for
    the others too, and the membership page had every field disabled without a word."""
    contact = ContactFactory()
    plain = MembershipFactory(contact=contact, group=GroupFactory(name="Newsletter"))
    test = MembershipFactory(contact=contact, group=GroupFactory(is_test_group=True))
    page = tester_client.get(f"/contacts/{contact.pk}/").content.decode()
    assert page.count("View member attributes in the group") == 1
    assert page.count("Edit member attributes in the group") == 1

    why = "Your role may edit memberships of test groups only."
    read_only = tester_client.get(f"/groups/{plain.group_id}/memberships/{plain.pk}/")
    assert why in read_only.content.decode()
    editable = tester_client.get(f"/groups/{test.group_id}/memberships/{test.pk}/")
    assert why not in editable.content.decode()
    assert ">Save</button>" in editable.content.decode()


def test_activity_tab_shows_last_30_days_and_filters(marketer_client):
    contact = ContactFactory()
    now = timezone.now()
    EventFactory(contact=contact, event_type=EventType.OPENED, message_name="Recent open")
    EventFactory(contact=contact, event_type=EventType.CLICKED, message_name="Recent click")
    EventFactory(contact=contact, message_name="Old send", occurred_at=now - dt.timedelta(days=45))
    page = marketer_client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "Recent open" in page and "Recent click" in page
    assert "Old send" not in page
    history = marketer_client.get(f"/contacts/{contact.pk}/history/", {"type": "clicked"})
    assert "Recent click" in history.content.decode()
    assert "Recent open" not in history.content.decode()
    assert "Old send" in marketer_client.get(f"/contacts/{contact.pk}/history/").content.decode()


def test_activity_pages_by_cursor_without_gaps(marketer_client):
    contact = ContactFactory()
    at = timezone.now() - dt.timedelta(hours=1)
    # Many events share one timestamp: the cursor must not skip or repeat any.
    for i in range(120):
        EventFactory(contact=contact, message_name=f"msg-{i:03d}", occurred_at=at)
    seen, url = [], f"/contacts/{contact.pk}/history/"
    params: dict[str, str] = {}
    for _ in range(10):  # 120 events in pages of 50: three pages, never a loop
        page = marketer_client.get(url, params).content.decode()
        seen += re.findall(r"msg-\d{3}", page)
        cursor = re.search(r'before=([^"&]+)"', page)
        if not cursor:
            break
        params = {"before": unquote(cursor.group(1))}
    assert sorted(seen) == [f"msg-{i:03d}" for i in range(120)]


@pytest.mark.parametrize("before", ["garbage", "2020-01-01|x", "|", "2020-13-45T00:00|1"])
def test_bad_activity_cursor_is_ignored(marketer_client, before):
    contact = ContactFactory()
    at = timezone.now() - dt.timedelta(hours=1)
    for i in range(3):
        EventFactory(contact=contact, message_name=f"msg-{i:03d}", occurred_at=at)
    url = f"/contacts/{contact.pk}/history/"
    newest = re.findall(r"msg-\d{3}", marketer_client.get(url).content.decode())
    assert sorted(newest) == ["msg-000", "msg-001", "msg-002"]
    response = marketer_client.get(url, {"before": before})
    assert response.status_code == 200
    assert re.findall(r"msg-\d{3}", response.content.decode()) == newest


def test_profile_query_count_does_not_grow_with_events(marketer_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    contact = ContactFactory()
    MembershipFactory(contact=contact)
    AttributeDefinitionFactory()
    # One event already: the newest event is then read from the activity page.
    EventFactory(contact=contact)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            marketer_client.get(f"/contacts/{contact.pk}/")
        return len(ctx.captured_queries)

    before = count()
    EventFactory.create_batch(80, contact=contact)
    MembershipFactory.create_batch(3, contact=contact)
    assert count() == before


def test_profile_query_count_is_pinned(marketer_client, django_assert_num_queries):
    contact = ContactFactory()
    MemberAttributeValueFactory(membership=MembershipFactory(contact=contact))
    EventFactory.create_batch(5, contact=contact)
    marketer_client.get(f"/contacts/{contact.pk}/")
    # session, user, permissions, contact, custom definitions, custom values,
    # memberships, member values with their definitions, activity page (which starts
    # with the last activity)
    with django_assert_num_queries(9):
        marketer_client.get(f"/contacts/{contact.pk}/")


def _last_activity(client, url: str) -> str:
    page = client.get(url).content.decode()
    return re.sub(r"\s+", " ", _search_summary(page))


def _search_summary(page: str) -> str:
    match = re.search(r"<dt[^>]*>Last activity</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.S)
    assert match, "no Last activity in the summary"
    return match.group(1)


@pytest.mark.parametrize(
    "query", ["", "?days=1", "?type=opened", "?days=all&type=clicked", "?before=x%7C1"]
)
def test_last_activity_is_the_newest_event_whatever_the_activity_tab_shows(marketer_client, query):
    """Read from the activity tab when it starts with the newest event, else on its own."""
    contact = ContactFactory()
    url = f"/contacts/{contact.pk}/{query}"
    assert "None yet" in _last_activity(marketer_client, url)
    EventFactory(
        contact=contact,
        event_type=EventType.OPENED,
        occurred_at=timezone.now() - dt.timedelta(days=40),
    )
    newest = EventFactory(
        contact=contact,
        event_type=EventType.CLICKED,
        occurred_at=timezone.now() - dt.timedelta(days=3),
    )
    shown = _last_activity(marketer_client, url)
    assert shown.startswith("Clicked, 3") and newest.occurred_at.strftime("%Y-%m-%d") in shown
    newest.delete()
    assert _last_activity(marketer_client, url).startswith("Opened, 1")


def test_unknown_contact_is_a_friendly_404(marketer_client):
    response = marketer_client.get("/contacts/424242/")
    assert response.status_code == 404
    assert "Contact ID 424242 does not exist" in response.content.decode()
    assert marketer_client.get("/contacts/9999999999999999999999/").status_code == 404


def test_delete_from_profile_with_confirmation(marketer_client):
    contact = ContactFactory()
    confirm = marketer_client.get(f"/contacts/{contact.pk}/delete/").content.decode()
    assert "This cannot be undone" in confirm
    response = marketer_client.post(f"/contacts/{contact.pk}/delete/", follow=True)
    assert f"Contact ID {contact.pk} deleted." in response.content.decode()
    assert not Contact.objects.exists()
    again = marketer_client.post(f"/contacts/{contact.pk}/delete/", follow=True)
    assert "no longer exists" in again.content.decode()


def test_bulk_delete_needs_confirmation_then_deletes_exactly_the_selection(marketer_client):
    a, b, c = ContactFactory.create_batch(3)
    first = marketer_client.post("/contacts/delete/", {"ids": [a.pk, b.pk]})
    assert "Delete 2 contacts?" in first.content.decode()
    assert "cannot be undone" in first.content.decode()
    assert Contact.objects.count() == 3
    done = marketer_client.post(
        "/contacts/delete/", {"ids": [a.pk, b.pk], "confirmed": "1"}, follow=True
    )
    assert "2 contacts deleted." in done.content.decode()
    assert list(Contact.objects.values_list("pk", flat=True)) == [c.pk]


def test_select_all_deletes_the_filtered_set_seen_and_not_newer_contacts(marketer_client):
    matching = [ContactFactory(first_name="Match") for _ in range(3)]
    other = ContactFactory(first_name="Other")
    max_id = max(c.pk for c in (*matching, other))
    newer = ContactFactory(first_name="Match")  # created after the user looked
    confirm = marketer_client.post(
        "/contacts/delete/",
        {"select_all": "1", "filter_query": "name=Match", "max_id": max_id},
    )
    assert "Delete 3 contacts?" in confirm.content.decode()
    marketer_client.post(
        "/contacts/delete/",
        {"select_all": "1", "filter_query": "name=Match", "max_id": max_id, "confirmed": "1"},
    )
    assert set(Contact.objects.values_list("pk", flat=True)) == {other.pk, newer.pk}


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"ids": ["abc"]},
        {"ids": ["-1"]},
        {"ids": ["99999999999999999999999"]},
        {"select_all": "1", "filter_query": "group=abc"},
    ],
)
def test_bad_bulk_selection_is_explained(marketer_client, data):
    ContactFactory()
    response = marketer_client.post("/contacts/delete/", {**data, "confirmed": "1"}, follow=True)
    assert response.status_code == 200
    assert 'class="alert alert-danger' in response.content.decode()
    assert Contact.objects.count() == 1


def test_hostile_query_strings_are_harmless(marketer_client):
    group = MembershipFactory().group
    assert marketer_client.get(f"/groups/{group.pk}/", {"q": "a\x00b"}).status_code == 200
    response = marketer_client.post(
        "/contacts/delete/", {"filter_query": "name=x\r\nSet-Cookie: a=b", "select_all": "1"}
    )
    assert response.status_code in (200, 302)
    assert "Set-Cookie: a=b" not in response.get("Location", "")


def test_date_of_birth_is_typed_as_iso_with_a_hint(marketer_client):
    contact = ContactFactory(date_of_birth=dt.date(1988, 4, 12))
    page = marketer_client.get(f"/contacts/{contact.pk}/").content.decode()
    match = re.search(r'<input[^>]*name="date_of_birth"[^>]*>', page)
    assert match, r'<input[^>]*name="date_of_birth"[^>]*>'
    box = match.group()
    assert 'type="text"' in box and 'value="1988-04-12"' in box, box
    assert 'aria-describedby="id_date_of_birth_helptext"' in box
    assert '<div id="id_date_of_birth_helptext" class="form-text">Format: YYYY-MM-DD</div>' in page

    # 04/12/1988 is April in one country and December in the next: refused, not guessed.
    bad = marketer_client.post(
        f"/contacts/{contact.pk}/", _profile_data(contact, date_of_birth="04/12/1988")
    )
    assert "Enter the date as YYYY-MM-DD, e.g. 2025-03-31." in bad.content.decode()
    contact.refresh_from_db()
    assert contact.date_of_birth == dt.date(1988, 4, 12)


def test_profile_times_carry_their_time_zone(marketer_client):
    at = dt.datetime(2025, 3, 3, 9, 15, tzinfo=dt.UTC)
    contact = ContactFactory()
    Contact.objects.filter(pk=contact.pk).update(created_at=at, updated_at=at)
    EventFactory(contact=contact, event_type=EventType.OPENED, occurred_at=timezone.now())
    page = marketer_client.get(f"/contacts/{contact.pk}/").content.decode()
    assert '<dt class="col-sm-5">Created</dt><dd class="col-sm-7">2025-03-03 09:15 UTC</dd>' in page
    assert '<th scope="col">Time (UTC)</th>' in page
    last = timezone.localtime(contact.events.get().occurred_at).strftime("%Y-%m-%d %H:%M UTC")
    assert f">{last}</time>" in page
