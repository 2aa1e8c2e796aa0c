"""Two admins saving the same name at once: the check of the second cannot see the first's
uncommitted row, and the unique index refuses its write. The page then says which name
is taken (as it would have a moment later), not a 500; nothing of it is saved."""

import threading

import pytest
from django.db import transaction

from contacts.models import Group, MemberAttributeDefinition
from contacts.models.groups import GROUP_NAME_TAKEN, MEMBER_ATTRIBUTE_NAME_TAKEN
from tests.contacts.admin_pages import (
    add_rows,
    errors,
    group_form,
    group_page,
    member_attribute_names,
)
from tests.contacts.test_concurrency import _in_thread, _wait_until_a_backend_waits_for_a_lock
from tests.factories import GroupFactory, MemberAttributeDefinitionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _while_another_admin_saves(first_save, post) -> object:
    """The response to `post`, sent while `first_save` has written but not committed."""
    results: dict = {}
    written, release = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            first_save()
            written.set()
            release.wait(10)

    a = _in_thread(first, results, "first")
    written.wait(10)
    b = _in_thread(post, results, "second")
    _wait_until_a_backend_waits_for_a_lock()
    release.set()
    a.join(10)
    b.join(10)
    assert results["first"] is None, results["first"]
    return results["second"]


def test_a_member_attribute_name_saved_at_once_by_another_admin(admin_client_role):
    group = GroupFactory(name="Newsletter")
    MemberAttributeDefinitionFactory(group=group, name="Store")
    values = group_form(admin_client_role, group)
    add_rows(values, "SIZE")
    response = _while_another_admin_saves(
        lambda: MemberAttributeDefinition.objects.create(group=group, name="Size"),
        lambda: admin_client_role.post(group_page(group), values),
    )
    assert errors(response) == [MEMBER_ATTRIBUTE_NAME_TAKEN]
    assert member_attribute_names(group) == ["Size", "Store"]


def test_a_group_name_saved_at_once_by_another_admin(admin_client_role):
    group = GroupFactory(name="VIP Customers")
    values = group_form(admin_client_role, group)
    values["name"] = "black friday"
    response = _while_another_admin_saves(
        lambda: Group.objects.create(name="Black Friday"),
        lambda: admin_client_role.post(group_page(group), values),
    )
    assert errors(response) == [GROUP_NAME_TAKEN]
    assert sorted(Group.objects.values_list("name", flat=True)) == [
        "Black Friday",
        "VIP Customers",
    ]
