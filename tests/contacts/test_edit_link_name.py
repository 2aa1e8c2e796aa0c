"""Each row's Edit link names its contact, as its Actions button does."""

import re

import pytest

from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_each_edit_link_names_its_contact(marketer_client):
    contacts = [ContactFactory(), ContactFactory()]
    page = marketer_client.get("/contacts/").content.decode()
    labels = re.findall(r'<a class="btn btn-sm btn-outline-primary"[^>]*aria-label="([^"]+)"', page)
    assert sorted(labels) == sorted(f"Edit contact {c.pk}" for c in contacts)
