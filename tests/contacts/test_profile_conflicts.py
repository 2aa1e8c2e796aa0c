"""A save refused because someone else saved first keeps the user's edits and says what clashed.

Each user opens the profile, changes what a browser would send, and saves: the forms are
read from the pages, as a browser reads them.
"""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.models import AttributeDefinition, AttributeType, Contact
from tests.factories import AttributeDefinitionFactory, AttributeValueFactory, ContactFactory
from tests.html_forms import form_values, table_rows

pytestmark = pytest.mark.django_db

CAPTION = "Changed by someone else since you opened the profile"
NOT_YOURS = "Not changed by you: their value is kept"


def url(contact: Contact) -> str:
    return f"/contacts/{contact.pk}/"


def open_profile(client, contact: Contact) -> dict[str, str]:
    return form_values(client.get(url(contact)).content.decode(), "profile-form")


def save(client, contact: Contact, form: dict[str, str], **edits):
    return client.post(url(contact), {**form, **edits})


def active_tab(page: str) -> str:
    match = re.search(r'class="tab-pane fade show active" id="tab-(\w+)"', page)
    assert match, r'class="tab-pane fade show active" id="tab-(\w+)"'
    return match.group(1)


def test_conflict_keeps_my_edits_on_their_version_and_saves_them_on_top(
    marketer_client, tester_client
):
    contact = ContactFactory(first_name="Paul", last_name="Koch", zip_code="10115")
    mine = open_profile(marketer_client, contact)
    theirs = open_profile(tester_client, contact)
    saved = save(tester_client, contact, theirs, first_name="Pauline", zip_code="20095")
    assert saved.status_code == 302

    response = save(
        marketer_client, contact, mine, first_name="Paula", last_name="Köhler", tab="attributes"
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f"Contact ID {contact.pk} was changed by someone else after you opened it." in page
    assert table_rows(page, CAPTION) == [
        ["First Name", "Pauline", "Paula"],
        ["ZIP Code", "20095", NOT_YOURS],
    ]
    rebased = form_values(page, "profile-form")
    assert (rebased["first_name"], rebased["last_name"]) == ("Paula", "Köhler")
    assert rebased["zip_code"] == "20095"
    assert rebased["version"] == "2"
    assert active_tab(page) == "attributes"
    contact.refresh_from_db()
    assert (contact.first_name, contact.last_name, contact.zip_code) == ("Pauline", "Koch", "20095")

    assert save(marketer_client, contact, rebased).status_code == 302
    contact.refresh_from_db()
    assert (contact.first_name, contact.last_name, contact.zip_code) == ("Paula", "Köhler", "20095")
    assert contact.version == 3


def test_the_same_change_on_both_sides_is_no_conflict(marketer_client, tester_client):
    contact = ContactFactory(first_name="Paul", nickname="")
    mine = open_profile(marketer_client, contact)
    theirs = open_profile(tester_client, contact)
    save(tester_client, contact, theirs, first_name="Pauline", nickname="Paulie")

    response = save(marketer_client, contact, mine, first_name="Pauline")

    page = response.content.decode()
    assert table_rows(page, CAPTION) == [["Nickname", "Paulie", NOT_YOURS]]
    rebased = form_values(page, "profile-form")
    assert (rebased["first_name"], rebased["nickname"]) == ("Pauline", "Paulie")


def test_conflict_shows_the_words_of_a_choice_and_keeps_the_tab_i_was_on(
    marketer_client, tester_client
):
    contact = ContactFactory(email="paul@example.com", country="", gender="")
    mine = open_profile(marketer_client, contact)
    theirs = open_profile(tester_client, contact)
    save(tester_client, contact, theirs, country="DE", gender="undisclosed")

    response = save(
        marketer_client, contact, mine, mobile_number="+49 171 1234567", tab="addresses"
    )

    page = response.content.decode()
    assert table_rows(page, CAPTION) == [
        ["Gender", "Undisclosed", NOT_YOURS],
        ["Country", "Germany", NOT_YOURS],
    ]
    assert active_tab(page) == "addresses"
    rebased = form_values(page, "profile-form")
    assert rebased["mobile_number"] == "+49 171 1234567"
    assert save(marketer_client, contact, rebased).status_code == 302
    contact.refresh_from_db()
    assert (contact.mobile_number, contact.country, contact.gender) == (
        "+491711234567",
        "DE",
        "undisclosed",
    )


def test_conflict_opens_the_tab_of_a_field_both_changed(marketer_client, tester_client):
    contact = ContactFactory(email="paul@example.com", external_id="")
    mine = open_profile(marketer_client, contact)
    theirs = open_profile(tester_client, contact)
    save(tester_client, contact, theirs, external_id="CRM-1")

    response = save(marketer_client, contact, mine, external_id="CRM-2", tab="summary")

    page = response.content.decode()
    assert table_rows(page, CAPTION) == [["External Identifier", "CRM-1", "CRM-2"]]
    assert active_tab(page) == "addresses"


def test_custom_attributes_conflict_like_the_standard_ones(marketer_client, tester_client):
    colour = AttributeDefinitionFactory(name="Colour")
    points = AttributeDefinitionFactory(name="Points", data_type=AttributeType.NUMBER)
    member = AttributeDefinitionFactory(name="Member", data_type=AttributeType.BOOLEAN)
    contact = ContactFactory()
    AttributeValueFactory(contact=contact, definition=colour, value="green")
    names = {d.name: f"custom_{d.pk}" for d in (colour, points, member)}
    mine = open_profile(marketer_client, contact)
    theirs = open_profile(tester_client, contact)
    save(tester_client, contact, theirs, **{names["Colour"]: "red", names["Member"]: "true"})

    response = save(
        marketer_client, contact, mine, **{names["Colour"]: "blue", names["Points"]: "12.50"}
    )

    page = response.content.decode()
    assert table_rows(page, CAPTION) == [
        ["Colour", "red", "blue"],
        ["Member", "Yes", NOT_YOURS],
    ]
    rebased = form_values(page, "profile-form")
    assert save(marketer_client, contact, rebased).status_code == 302
    stored = dict(contact.attribute_values.values_list("definition__name", "value"))
    assert stored == {"Colour": "blue", "Points": "12.5", "Member": "true"}


def test_a_second_save_in_between_is_caught_again(marketer_client, tester_client):
    contact = ContactFactory(first_name="Paul", last_name="Koch")
    mine = open_profile(marketer_client, contact)
    theirs = open_profile(tester_client, contact)
    save(tester_client, contact, theirs, first_name="Pauline")
    first = save(marketer_client, contact, mine, first_name="Paula")
    rebased = form_values(first.content.decode(), "profile-form")

    save(tester_client, contact, open_profile(tester_client, contact), first_name="Paulette")
    second = save(marketer_client, contact, rebased)

    page = second.content.decode()
    assert second.status_code == 200
    assert table_rows(page, CAPTION) == [["First Name", "Paulette", "Paula"]]
    contact.refresh_from_db()
    assert (contact.first_name, contact.version) == ("Paulette", 3)
    assert save(marketer_client, contact, form_values(page, "profile-form")).status_code == 302
    contact.refresh_from_db()
    assert (contact.first_name, contact.last_name) == ("Paula", "Koch")


@pytest.mark.parametrize("opened", [None, "", "garbage", "x" * 5000, "eyJhIjoxfQ:abc:def"])
def test_without_intact_opened_values_every_difference_is_listed_as_mine(
    marketer_client, tester_client, opened
):
    contact = ContactFactory(first_name="Paul", last_name="Koch")
    mine = open_profile(marketer_client, contact)
    if opened is None:
        del mine["opened"]
    else:
        mine["opened"] = opened
    save(tester_client, contact, open_profile(tester_client, contact), first_name="Pauline")

    response = save(marketer_client, contact, mine, last_name="Köhler")

    page = response.content.decode()
    assert response.status_code == 200
    assert table_rows(page, CAPTION) == [
        ["First Name", "Pauline", "Paul"],
        ["Last Name", "Koch", "Köhler"],
    ]
    contact.refresh_from_db()
    assert (contact.first_name, contact.last_name) == ("Pauline", "Koch")


def test_opened_values_of_another_contact_do_not_count(marketer_client, tester_client):
    contact = ContactFactory(first_name="Paul", last_name="Koch")
    other = ContactFactory(first_name="Paul", last_name="Koch")
    mine = open_profile(marketer_client, contact)
    mine["opened"] = open_profile(marketer_client, other)["opened"]
    save(tester_client, contact, open_profile(tester_client, contact), last_name="Kohl")

    page = save(marketer_client, contact, mine, first_name="Paula").content.decode()

    assert table_rows(page, CAPTION) == [
        ["First Name", "Paul", "Paula"],
        ["Last Name", "Kohl", "Koch"],
    ]


# In the order of the form: Channel Addresses, then standard and custom attributes.
MERGE_FIELDS = {
    "external_id": "External Identifier",
    "first_name": "First Name",
    "last_name": "Last Name",
    "nickname": "Nickname",
    "zip_code": "ZIP Code",
    "custom": "Colour",
}
edits = st.dictionaries(st.sampled_from(list(MERGE_FIELDS)), st.sampled_from(["", "a", "b"]))


@pytest.mark.slow  # 25 examples of two saves each
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(their_edits=edits, my_edits=edits)
def test_any_two_sets_of_edits_merge_field_by_field(
    marketer_client, tester_client, their_edits, my_edits
):
    colour = AttributeDefinition.objects.get_or_create(name="Colour")[0]
    contact = ContactFactory(
        first_name="a", last_name="a", nickname="", zip_code="b", external_id=""
    )
    AttributeValueFactory(contact=contact, definition=colour, value="a")
    original = {"first_name": "a", "last_name": "a", "nickname": "", "zip_code": "b"}
    original |= {"external_id": "", "custom": "a"}

    def as_form(values: dict) -> dict:
        return {(f"custom_{colour.pk}" if k == "custom" else k): v for k, v in values.items()}

    def stored() -> dict:
        contact.refresh_from_db()
        values = {name: getattr(contact, name) for name in original if name != "custom"}
        value = contact.attribute_values.filter(definition=colour).first()
        return values | {"custom": value.value if value else ""}

    mine = open_profile(marketer_client, contact)
    save(tester_client, contact, open_profile(tester_client, contact), **as_form(their_edits))
    they_changed = {k: v for k, v in their_edits.items() if v != original[k]}
    i_changed = {k: v for k, v in my_edits.items() if v != original[k]}
    response = save(marketer_client, contact, mine, **as_form(my_edits))

    if they_changed:
        page = response.content.decode()
        expected_rows = [
            [label, they_changed[name] or "(empty)", i_changed.get(name) or "(empty)"]
            if name in i_changed
            else [label, they_changed[name] or "(empty)", NOT_YOURS]
            for name, label in MERGE_FIELDS.items()
            if name in they_changed and i_changed.get(name) != they_changed[name]
        ]
        if expected_rows:
            assert table_rows(page, CAPTION) == expected_rows
        else:
            assert "Their changes are the same as yours." in page
        assert stored() == original | they_changed
        response = save(marketer_client, contact, form_values(page, "profile-form"))
    assert response.status_code == 302
    assert stored() == original | they_changed | i_changed
