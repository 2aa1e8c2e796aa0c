"""A name taken in other capitals is refused in words on every admin page that names
things (a group and its member attributes, custom attributes), never with a 500 or the
name of a database constraint; nothing is saved."""

import pytest

from contacts.models import AttributeDefinition, Group
from contacts.models.groups import GROUP_NAME_TAKEN
from tests.contacts.admin_pages import errors, group_form, group_page
from tests.factories import AttributeDefinitionFactory, GroupFactory
from tests.html_forms import form_values

pytestmark = pytest.mark.django_db


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
