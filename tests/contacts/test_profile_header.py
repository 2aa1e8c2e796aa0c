"""The Contact Profile says whose profile is open: name, identifier and Contact ID."""

import re
from html import unescape

import pytest

from tests.factories import AliasContactFactory, ContactFactory, MobileContactFactory

pytestmark = pytest.mark.django_db


def heading_and_title(client, contact) -> tuple[str, str]:
    page = client.get(f"/contacts/{contact.pk}/").content.decode()
    match = re.search(r"<h1[^>]*>(.*?)</h1>", page, flags=re.S)
    assert match, r"<h1[^>]*>(.*?)</h1>"
    h1 = match.group(1)
    match = re.search(r"<title>(.*?)</title>", page, flags=re.S)
    assert match, r"<title>(.*?)</title>"
    title = match.group(1)

    def text(html: str) -> str:
        return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())

    return text(h1), text(title)


def test_header_and_title_name_the_person_and_the_identifier(marketer_client):
    contact = ContactFactory(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    heading, title = heading_and_title(marketer_client, contact)
    who = f"Ada Lovelace · ada@example.com · Contact ID {contact.pk}"
    assert heading == f"Contact Profile {who}"
    assert title == f"{who} · Contact Profile · Contact Management"


@pytest.mark.parametrize(
    ("names", "shown"),
    [
        ({"first_name": "Ada", "last_name": "", "nickname": "Countess"}, "Ada · "),
        ({"first_name": "", "last_name": "Lovelace", "nickname": ""}, "Lovelace · "),
        ({"first_name": " ", "last_name": "", "nickname": "Countess"}, "Countess · "),
        ({"first_name": "", "last_name": "", "nickname": ""}, ""),
    ],
)
def test_the_nickname_names_the_person_when_first_and_last_name_are_unknown(
    marketer_client, names, shown
):
    contact = ContactFactory(email="ada@example.com", **names)
    heading, _ = heading_and_title(marketer_client, contact)
    assert heading == f"Contact Profile {shown}ada@example.com · Contact ID {contact.pk}"


def test_the_identifier_follows_the_identifier_type(marketer_client):
    mobile = MobileContactFactory(
        first_name="Ada", last_name="Lovelace", email="ada@example.com", mobile_number="+4917112"
    )
    alias = AliasContactFactory(first_name="", last_name="", nickname="", app_alias="app-7f3c")
    assert heading_and_title(marketer_client, mobile)[0] == (
        f"Contact Profile Ada Lovelace · +4917112 · Contact ID {mobile.pk}"
    )
    assert heading_and_title(marketer_client, alias)[1].startswith(
        f"app-7f3c · Contact ID {alias.pk} · Contact Profile"
    )


def test_long_values_are_shortened_and_markup_is_shown_as_text(marketer_client):
    contact = AliasContactFactory(
        first_name="<b>Ada</b>", last_name="x" * 255, app_alias="alias-" + "y" * 1990
    )
    page = marketer_client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "<b>Ada</b>" not in page
    heading, title = heading_and_title(marketer_client, contact)
    name, alias, contact_id = heading.removeprefix("Contact Profile ").split(" · ")
    assert name.startswith("<b>Ada</b> xxx") and name.endswith("…") and len(name) == 80
    assert alias.startswith("alias-yyy") and alias.endswith("…") and len(alias) == 80
    assert contact_id == f"Contact ID {contact.pk}"
    assert len(title) < 250


def test_header_shows_an_internationalised_domain_in_unicode(marketer_client):
    contact = ContactFactory(email="anna@xn--bcher-kva.example", first_name="Anna", last_name="")
    heading, title = heading_and_title(marketer_client, contact)
    assert heading.endswith(f"Anna · anna@bücher.example · Contact ID {contact.pk}"), heading
    assert title.startswith(f"Anna · anna@bücher.example · Contact ID {contact.pk}"), title


def test_a_direction_control_saved_earlier_does_not_reverse_the_header(marketer_client):
    """U+202E in a first name (the rule refuses it now) reversed the last name and the
    identifier after it, in the heading and in the window's title."""
    contact = ContactFactory(first_name="\u202eAnna", last_name="Berg", email="c4@example.com")
    heading, title = heading_and_title(marketer_client, contact)
    assert heading == f"Contact Profile Anna Berg · c4@example.com · Contact ID {contact.pk}"
    assert title.startswith("Anna Berg · c4@example.com")


def test_saving_a_direction_control_in_a_name_is_refused(marketer_client):
    contact = ContactFactory(first_name="Anna", email="anna@example.com")
    page = marketer_client.get(f"/contacts/{contact.pk}/").content.decode()
    data = {
        name: unescape(value)
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
    }
    response = marketer_client.post(
        f"/contacts/{contact.pk}/", {**data, "first_name": "\u202eAnna"}
    )
    assert response.status_code == 200
    assert "A name cannot contain text direction controls" in unescape(response.content.decode())
    contact.refresh_from_db()
    assert contact.first_name == "Anna"


def test_the_memberships_page_names_the_person_as_the_profile_does(marketer_client):
    contact = ContactFactory(first_name="Ada", last_name="Lovelace", email="ada@example.com")
    page = marketer_client.get(f"/contacts/{contact.pk}/memberships/").content.decode()
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert heading
    h1 = " ".join(unescape(re.sub(r"<[^>]+>", "", heading.group(1))).split())
    who = f"Ada Lovelace · ada@example.com · Contact ID {contact.pk}"
    assert h1 == f"Memberships {who}"
    assert f"<title>{who} · Memberships" in unescape(page)
