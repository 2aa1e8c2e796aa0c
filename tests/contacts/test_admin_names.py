"""A name taken in other capitals is refused in words on every admin page that names
things (a group and its member attributes, custom attributes), never with a 500 or the
name of a database constraint; nothing is saved."""

import pytest

from contacts.models import AttributeDefinition, Group, MemberAttributeDefinition
from contacts.models.groups import GROUP_NAME_TAKEN, MEMBER_ATTRIBUTE_NAME_TAKEN
from tests.contacts.admin_pages import (
    ROWS,
    add_rows,
    errors,
    group_form,
    group_page,
    member_attribute_names,
    row_of,
)
from tests.factories import (
    AttributeDefinitionFactory,
    GroupFactory,
    MemberAttributeDefinitionFactory,
    MemberAttributeValueFactory,
)
from tests.html_forms import form_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    group = GroupFactory(name="Newsletter")
    for name in ("LastVisit", "Store"):
        MemberAttributeDefinitionFactory(group=group, name=name)
    return group


def test_a_row_renamed_to_another_s_name_in_other_capitals_is_refused(admin_client_role, group):
    values = group_form(admin_client_role, group)
    values[f"{ROWS}-{row_of(values, 'Store')}-name"] = "lastvisit"
    assert errors(admin_client_role.post(group_page(group), values)) == [
        MEMBER_ATTRIBUTE_NAME_TAKEN
    ]
    assert member_attribute_names(group) == ["LastVisit", "Store"]


def test_two_new_rows_of_one_name_are_refused(admin_client_role, group):
    values = group_form(admin_client_role, group)
    add_rows(values, "Dup Attr", "Dup Attr")
    values["name"] = "Newsletter 2026"
    assert errors(admin_client_role.post(group_page(group), values)) == [
        MEMBER_ATTRIBUTE_NAME_TAKEN
    ]
    assert member_attribute_names(group) == ["LastVisit", "Store"]
    assert Group.objects.get().name == "Newsletter"


def test_a_new_row_of_an_existing_name_is_refused(admin_client_role, group):
    values = group_form(admin_client_role, group)
    add_rows(values, "STORE")
    assert errors(admin_client_role.post(group_page(group), values)) == [
        MEMBER_ATTRIBUTE_NAME_TAKEN
    ]


def test_a_new_group_with_two_rows_of_one_name_is_refused(admin_client_role):
    values = form_values(
        admin_client_role.get("/admin/contacts/group/add/").content.decode(), "group_form"
    )
    values["name"] = "Spring Sale"
    add_rows(values, "Size", "size")
    assert errors(admin_client_role.post("/admin/contacts/group/add/", values)) == [
        MEMBER_ATTRIBUTE_NAME_TAKEN
    ]
    assert not Group.objects.exists()


def test_a_name_added_by_someone_else_since_the_page_opened_is_refused(admin_client_role, group):
    values = group_form(admin_client_role, group)
    MemberAttributeDefinitionFactory(group=group, name="Size")
    add_rows(values, "SIZE")
    assert errors(admin_client_role.post(group_page(group), values)) == [
        MEMBER_ATTRIBUTE_NAME_TAKEN
    ]


def test_names_swapped_and_a_deleted_row_s_name_taken_are_saved(admin_client_role, group):
    MemberAttributeDefinitionFactory(group=group, name="Old")
    kept = MemberAttributeValueFactory(definition=group.member_attributes.get(name="Store"))
    values = group_form(admin_client_role, group)
    last, store, old = (row_of(values, name) for name in ("LastVisit", "Store", "Old"))
    values[f"{ROWS}-{last}-name"] = "store"
    values[f"{ROWS}-{store}-name"] = "lastvisit"
    values[f"{ROWS}-{old}-DELETE"] = "on"
    add_rows(values, "OLD", "")  # and a row added but left empty
    response = admin_client_role.post(group_page(group), values)
    assert response.status_code == 302, errors(response)
    assert member_attribute_names(group) == ["OLD", "lastvisit", "store"]
    assert MemberAttributeDefinition.objects.get(values=kept).name == "lastvisit"


def test_a_row_renamed_in_its_own_other_capitals_is_saved(admin_client_role, group):
    values = group_form(admin_client_role, group)
    values[f"{ROWS}-{row_of(values, 'Store')}-name"] = "STORE"
    assert admin_client_role.post(group_page(group), values).status_code == 302
    assert member_attribute_names(group) == ["LastVisit", "STORE"]


def test_a_group_renamed_to_another_s_name_in_other_capitals_is_refused_in_words(
    admin_client_role,
):
    GroupFactory(name="Black Friday")
    group = GroupFactory(name="VIP Customers")
    values = group_form(admin_client_role, group)
    values["name"] = "black friday"
    assert errors(admin_client_role.post(group_page(group), values)) == [GROUP_NAME_TAKEN]
    add = "/admin/contacts/group/add/"
    values = form_values(admin_client_role.get(add).content.decode(), "group_form")
    values["name"] = "BLACK FRIDAY"
    assert errors(admin_client_role.post(add, values)) == [GROUP_NAME_TAKEN]
    assert sorted(Group.objects.values_list("name", flat=True)) == [
        "Black Friday",
        "VIP Customers",
    ]


def test_a_custom_attribute_renamed_to_a_taken_name_is_refused_in_words(admin_client_role):
    AttributeDefinitionFactory(name="Segment")
    other = AttributeDefinitionFactory(name="Region")
    url = f"/admin/contacts/attributedefinition/{other.pk}/change/"
    values = form_values(admin_client_role.get(url).content.decode(), "attributedefinition_form")
    values["name"] = "SEGMENT"
    assert errors(admin_client_role.post(url, values)) == [
        "A custom attribute of this name exists already (names are the same in capitals "
        "and small letters)."
    ]
    assert AttributeDefinition.objects.filter(name="Region").exists()


def test_no_unique_constraint_shows_its_name():
    """Django's words for a constraint without its own message name the constraint
    ("Constraint “group_name_ci_unique” is violated."): every unique constraint whose
    check Django cannot phrase itself (an expression or a condition) says it in words."""
    from django.apps import apps
    from django.db.models import UniqueConstraint

    unphrased = [
        constraint.name
        for model in apps.get_models()
        for constraint in model._meta.constraints
        if isinstance(constraint, UniqueConstraint)
        and (constraint.expressions or constraint.condition is not None)
        and constraint.violation_error_message == constraint.default_violation_error_message
    ]
    assert unphrased == []


def test_a_member_attribute_is_asked_the_same_on_its_page_and_in_its_group_s_rows(
    admin_client_role, group
):
    own = form_values(
        admin_client_role.get("/admin/contacts/memberattributedefinition/add/").content.decode(),
        "memberattributedefinition_form",
    )
    row = row_of(group_form(admin_client_role, group), "Store")
    in_rows = {
        key.removeprefix(f"{ROWS}-{row}-")
        for key in group_form(admin_client_role, group)
        if key.startswith(f"{ROWS}-{row}-")
    }
    assert set(own) - {"csrfmiddlewaretoken"} == {
        "group",
        "name",
        "data_type",
        "allowed_values",
        "description",
    }
    assert in_rows - {"id", "DELETE"} == set(own) - {"csrfmiddlewaretoken"}
