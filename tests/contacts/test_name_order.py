"""Names sort in reading order on both databases: case and accents do not push a name
to the end of the list (byte order put "adam" after "Zoe" and "Émile" after both)."""

import re

import pytest

from contacts import pagination, selectors
from contacts.models import Contact
from contacts.validation import FIELD_RULES
from core.collation import compare_names, name_sort_key
from tests.factories import (
    AttributeDefinitionFactory,
    ContactFactory,
    GroupFactory,
    MemberAttributeDefinitionFactory,
    MemberAttributeValueFactory,
    MembershipFactory,
)

# As PostgreSQL's ICU root collation orders them (the SQLite collation follows it).
READING_ORDER = [
    "_under",
    "👨\u200d👩\u200d👧 Family",
    "1st",
    "adam",
    "Adam",
    "Æsir",
    "Bauer",
    "de Vries",
    "Đorđe",
    "Émile",
    "Łukasz",
    "Œuvre",
    "Ölberg",
    "Ørsted",
    "østergaard",
    "Straße",
    "Strasser",
    "Zoe",
    "Zoë",
    "Þór",
]


def _ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'name="ids" value="(\d+)"', response.content.decode())]


def test_the_sqlite_collation_reads_names_as_people_do():
    scrambled = READING_ORDER[1::2] + READING_ORDER[::2]
    assert sorted(scrambled, key=name_sort_key) == READING_ORDER
    assert compare_names("Émile", "emile") > 0
    assert compare_names("emile", "Émile") < 0
    assert compare_names("Émile", "Émile") == 0


@pytest.fixture
def people(db):
    """The names created in an order that is neither reading nor byte order."""
    return {
        name: ContactFactory(last_name=name, first_name=name).pk for name in READING_ORDER[::-1]
    }


@pytest.mark.parametrize("field", ["last_name", "first_name"])
def test_all_contacts_sorts_names_in_reading_order(marketer_client, people, field):
    in_order = [people[name] for name in READING_ORDER]
    assert _ids(marketer_client.get("/contacts/", {"sort": field})) == in_order
    assert _ids(marketer_client.get("/contacts/", {"sort": f"-{field}"})) == in_order[::-1]


def test_the_cursor_pages_through_accented_names_without_a_gap(people):
    """One row a page: each page starts after the last one's name in the same order."""
    seen, after = [], ""
    for number in range(1, len(READING_ORDER) + 1):
        page = list(
            pagination.keyset_page(Contact.objects.all(), sort="last_name", limit=1, after=after)
        )
        seen += [row.pk for row in page]
        value = pagination.SORT_KEYS["last_name"].value_of(page[0])
        after = pagination.Cursor(value, page[0].pk, number + 1).encode(sort="last_name", limit=1)
    assert seen == [people[name] for name in READING_ORDER]


def test_a_groups_members_sort_in_reading_order(marketer_client, people):
    group = GroupFactory()
    for pk in people.values():
        MembershipFactory(contact_id=pk, group=group)
    ContactFactory(last_name="Aaron")  # not a member
    response = marketer_client.get("/contacts/", {"group": group.pk, "sort": "last_name"})
    assert _ids(response) == [people[name] for name in READING_ORDER]


def test_the_admin_sorts_names_in_reading_order(admin_client_role, people):
    html = admin_client_role.get("/admin/contacts/contact/", {"o": "6"}).content.decode()
    listed = [int(pk) for pk in re.findall(r'href="/contacts/(\d+)/"', html)]
    assert listed == [people[name] for name in READING_ORDER]


def test_the_group_filter_lists_groups_in_reading_order(marketer_client):
    names = ["alpha", "Beta", "Émigrés", "gamma", "Zulu"]
    ids = {name: GroupFactory(name=name).pk for name in names[::-1]}
    page = marketer_client.get("/contacts/").content.decode()
    options = [int(v) for v in re.findall(r'<option value="(\d+)"', page)]
    assert [pk for pk in options if pk in ids.values()] == [ids[name] for name in names]


def test_the_profile_lists_groups_and_attributes_in_reading_order(db):
    contact = ContactFactory()
    groups = ["alpha", "Beta", "Émigrés", "Zulu"]
    memberships = {
        name: MembershipFactory(contact=contact, group=GroupFactory(name=name))
        for name in groups[::-1]
    }
    attributes = ["size", "Shoe", "age"]  # reading order: age, Shoe, size
    for name in attributes:
        AttributeDefinitionFactory(name=name)
        MemberAttributeValueFactory(
            membership=memberships["alpha"],
            definition=MemberAttributeDefinitionFactory(
                group=memberships["alpha"].group, name=name
            ),
        )
    listed = selectors.contact_memberships(contact_id=contact.pk)
    assert [m.group.name for m in listed] == groups
    assert [v.definition.name for v in listed[0].attribute_values.all()] == ["age", "Shoe", "size"]
    rows = selectors.contact_custom_attributes(contact=contact)
    assert [row.definition.name for row in rows] == ["age", "Shoe", "size"]


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("Örtel", "örtel"),
        ("Çelik", "çelik"),
        ("Zoë", "ZOË"),
        ("Łukasz", "łukasz"),
        ("Dvořák", "DVOŘÁK"),
        ("Zoë", "Zoe\u0308"),  # typed decomposed, stored composed
        ("Mia Örtel", "mia örtel"),
        ("Örtel", "ör"),  # a short term: the beginning
    ],
)
def test_a_name_is_found_in_any_case_of_any_letter(marketer_client, stored, typed):
    first, _, last = stored.rpartition(" ")
    contact = ContactFactory(first_name=first or "Anna", last_name=last, email="x@example.com")
    ContactFactory(first_name="Other", last_name="Person", email="y@example.com")
    assert _ids(marketer_client.get("/contacts/", {"q": typed})) == [contact.pk]
    assert _ids(marketer_client.get("/contacts/", {"name": typed})) == [contact.pk]


def test_a_decomposed_name_is_saved_composed():
    assert FIELD_RULES["first_name"]("Zoe\u0308") == "Zo\u00eb"
