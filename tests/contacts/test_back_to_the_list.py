"""After Anonymize and a bulk Delete the user is back on the list they came from: its
filters, sort, page size and page (the first page of it when that page is gone)."""

import html
import re
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages

from contacts.models import Contact
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

FILTERED = "/contacts/?name=Keep&sort=-email&per_page=50"


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_anonymize_from_the_profile_returns_to_the_filtered_list(marketer_client):
    contact = ContactFactory(last_name="Keep")
    profile = marketer_client.get(f"/contacts/{contact.pk}/?next={quote(FILTERED, safe='')}")
    form = re.search(
        rf'<form[^>]*action="/contacts/{contact.pk}/anonymize/".*?</form>',
        profile.content.decode(),
        re.S,
    )
    assert form is not None
    assert f'name="next" value="{html.escape(FILTERED)}"' in form.group(0)
    response = marketer_client.post(f"/contacts/{contact.pk}/anonymize/", {"next": FILTERED})
    assert response["Location"] == FILTERED
    assert any("was anonymized" in m for m in _messages(response))
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_anonymize_from_the_row_menu_returns_to_the_filtered_list(marketer_client):
    """The row menu's form already sent `next`; the view went to /contacts/ regardless."""
    contact = ContactFactory(last_name="Keep")
    listing = marketer_client.get(FILTERED).content.decode()
    assert f'name="next" value="{html.escape(FILTERED)}"' in listing
    response = marketer_client.post(f"/contacts/{contact.pk}/anonymize/", {"next": FILTERED})
    assert response["Location"] == FILTERED


@pytest.mark.parametrize("odd", ["//evil.example/", "https://evil.example/", "", "x" * 3000])
def test_anonymize_ignores_a_next_that_is_not_a_local_path(marketer_client, odd):
    contact = ContactFactory()
    response = marketer_client.post(f"/contacts/{contact.pk}/anonymize/", {"next": odd})
    assert response["Location"] == "/contacts/"


def test_anonymize_s_confirmation_step_keeps_the_list(marketer_client, settings):
    settings.ANONYMIZE_CONFIRMATION = True
    contact = ContactFactory(last_name="Keep")
    url = f"/contacts/{contact.pk}/anonymize/"
    page = marketer_client.post(url, {"next": FILTERED}).content.decode()
    assert f'name="next" value="{html.escape(FILTERED)}"' in page
    assert html.escape(f"/contacts/{contact.pk}/?next={quote(FILTERED, safe='')}") in page
    response = marketer_client.post(url, {"confirmed": "1", "next": FILTERED})
    assert response["Location"] == FILTERED


def test_anonymize_of_a_contact_that_is_gone_returns_to_the_list(marketer_client):
    response = marketer_client.post("/contacts/4242/anonymize/", {"next": FILTERED})
    assert response["Location"] == FILTERED


def _page_three(client) -> str:
    """The URL of the third page of a filtered, sorted list of 25 rows a page."""
    url = "/contacts/?name=Keep&sort=-id&per_page=25"
    for _ in range(2):
        page = client.get(url).content.decode()
        match = re.search(r'<a class="page-link" href="([^"]+)"[^>]*rel="next"', page)
        assert match is not None
        url = "/contacts/" + html.unescape(match.group(1))
    return url


def _ids_shown(response) -> list[int]:
    return [int(i) for i in re.findall(r'name="ids" value="(\d+)"', response.content.decode())]


def test_bulk_delete_from_page_three_returns_to_page_three(marketer_client):
    contacts = [ContactFactory(last_name="Keep") for _ in range(60)]
    ContactFactory(last_name="Other")
    third = _page_three(marketer_client)
    listing = marketer_client.get(third)
    on_page = _ids_shown(listing)
    newest_first = sorted((c.pk for c in contacts), reverse=True)
    assert on_page == newest_first[50:]
    assert f'name="next" value="{html.escape(third)}"' in listing.content.decode()

    response = marketer_client.post(
        "/contacts/delete/", {"ids": on_page[:3], "confirmed": "1", "next": third}
    )
    assert response["Location"] == third
    assert any("3 contacts deleted." in m for m in _messages(response))
    assert _ids_shown(marketer_client.get(third)) == newest_first[53:]


def test_bulk_delete_of_a_whole_last_page_returns_to_the_first_page_of_the_list(
    marketer_client,
):
    contacts = [ContactFactory(last_name="Keep") for _ in range(60)]
    third = _page_three(marketer_client)
    on_page = _ids_shown(marketer_client.get(third))
    response = marketer_client.post(
        "/contacts/delete/", {"ids": on_page, "confirmed": "1", "next": third}, follow=True
    )
    first = "/contacts/?name=Keep&sort=-id&per_page=25"
    assert response.redirect_chain[-1][0] == first
    assert _ids_shown(response) == sorted((c.pk for c in contacts), reverse=True)[:25]


def test_bulk_delete_s_confirmation_page_keeps_the_page(marketer_client):
    contacts = [ContactFactory(last_name="Keep") for _ in range(3)]
    back = "/contacts/?name=Keep&sort=-id&page=3&after=x"
    page = marketer_client.post(
        "/contacts/delete/", {"ids": [contacts[0].pk], "next": back}
    ).content.decode()
    assert f'name="next" value="{html.escape(back)}"' in page
    assert f'href="{html.escape(back)}"' in page  # Cancel


def _link_href(page: str, text: str) -> str:
    match = re.search(rf'<a[^>]*href="([^"]+)"[^>]*>(?:<i[^>]*></i>\s*)?{text}</a>', page)
    assert match is not None, text
    return html.unescape(match.group(1))


def test_delete_from_the_profile_returns_to_the_filtered_list(marketer_client):
    """Delete in the profile header went to the plain list (Anonymize kept the filter)."""
    contact = ContactFactory(last_name="Keep")
    profile = marketer_client.get(f"/contacts/{contact.pk}/?next={quote(FILTERED, safe='')}")
    delete_url = _link_href(profile.content.decode(), "Delete")
    confirm = marketer_client.get(delete_url).content.decode()
    assert f'name="next" value="{html.escape(FILTERED)}"' in confirm
    cancel = _link_href(confirm, "Cancel")
    assert cancel == f"/contacts/{contact.pk}/?next={quote(FILTERED, safe='')}"
    response = marketer_client.post(delete_url, {"next": FILTERED})
    assert response["Location"] == FILTERED
    assert any(f"Contact ID {contact.pk} deleted." in m for m in _messages(response))
    assert not Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.parametrize("odd", ["//evil.example/", "https://evil.example/", ""])
def test_delete_ignores_a_next_that_is_not_a_local_path(marketer_client, odd):
    contact = ContactFactory()
    response = marketer_client.post(f"/contacts/{contact.pk}/delete/", {"next": odd})
    assert response["Location"] == "/contacts/"


def test_create_from_a_filtered_list_returns_to_it(marketer_client):
    listing = marketer_client.get(FILTERED).content.decode()
    create_url = _link_href(listing, "Create")
    form = marketer_client.get(create_url).content.decode()
    assert f'name="next" value="{html.escape(FILTERED)}"' in form
    assert _link_href(form, "Cancel") == FILTERED
    response = marketer_client.post(
        create_url,
        {"identifier_type": "email", "identifier": "new@example.com", "next": FILTERED},
        follow=True,
    )
    contact = Contact.objects.get()
    assert response.redirect_chain[-1][0] == (
        f"/contacts/{contact.pk}/?next={quote(FILTERED, safe='')}"
    )
    profile = response.content.decode()
    assert _link_href(profile, "Close") == FILTERED
    assert f'<a href="{html.escape(FILTERED)}">All Contacts</a>' in profile  # the breadcrumb


def test_create_from_the_plain_list_opens_the_plain_profile(marketer_client):
    create_url = _link_href(marketer_client.get("/contacts/").content.decode(), "Create")
    response = marketer_client.post(
        create_url, {"identifier_type": "email", "identifier": "new@example.com"}
    )
    assert response["Location"] == f"/contacts/{Contact.objects.get().pk}/"
