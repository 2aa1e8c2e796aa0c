"""Deleting a definition, a group or a user in the admin: counted, and possible."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import User

from contacts.models import (
    AttributeDefinition,
    AttributeValue,
    Group,
    MemberAttributeValue,
    Membership,
)
from exports.models import ExportJob
from tests.factories import (
    AttributeDefinitionFactory,
    AttributeValueFactory,
    ContactFactory,
    MemberAttributeValueFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", unescape(response.content.decode())).split())


def test_a_custom_attribute_in_use_is_deleted_with_its_values_counted(admin_client_role):
    definition = AttributeDefinitionFactory(name="ReferralCode")
    for _ in range(3):
        AttributeValueFactory(definition=definition)
    url = f"/admin/contacts/attributedefinition/{definition.pk}/delete/"
    page = _text(admin_client_role.get(url))
    assert "permission" not in page
    assert "3 custom attribute values" in page and "1 custom attribute value" not in page
    assert page.count("of contact") == 0  # counted, not listed one by one

    response = admin_client_role.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not AttributeDefinition.objects.exists() and not AttributeValue.objects.exists()
    assert ContactFactory._meta.model.objects.count() == 3  # the contacts stay


def test_a_group_with_members_is_deleted_with_its_memberships_counted(admin_client_role):
    membership = MembershipFactory()
    MembershipFactory(group=membership.group)
    MemberAttributeValueFactory(membership=membership, definition__group=membership.group)
    url = f"/admin/contacts/group/{membership.group_id}/delete/"
    page = _text(admin_client_role.get(url))
    assert "permission" not in page
    assert MemberAttributeValue.objects.count() == 1  # reached twice, counted once
    assert "2 memberships" in page and "1 member attribute value " in page

    assert admin_client_role.post(url, {"post": "yes"}).status_code == 302
    assert not Group.objects.exists() and not Membership.objects.exists()


def test_a_user_with_exports_is_to_be_deactivated_not_deleted(admin_client_role):
    user = UserFactory(username="leaver")
    ExportJob.objects.create(requested_by=user, contact_id=1)
    url = f"/admin/auth/user/{user.pk}/delete/"
    page = _text(admin_client_role.get(url))
    assert "your account doesn't have permission" not in page
    assert "leaver: 1 export job" in page
    assert "Deactivate the user instead (untick Active on their page)" in page

    admin_client_role.post(url, {"post": "yes"})
    assert User.objects.filter(pk=user.pk).exists()


def test_a_user_without_work_is_deleted(admin_client_role):
    user = UserFactory(username="never-used")
    url = f"/admin/auth/user/{user.pk}/delete/"
    assert "Deactivate" not in _text(admin_client_role.get(url))
    assert admin_client_role.post(url, {"post": "yes"}).status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
