"""On the Channel Addresses tab, the status next to an address the contact lacks says
that it applies only once there is one (the export leaves it empty)."""

import pytest

from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_the_profile_says_a_status_applies_once_there_is_an_address(marketer_client):
    contact = ContactFactory(email="anna@example.com")
    page = marketer_client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "Applies once a mobile number is entered (the contact has none)." in page
    assert "Applies once a mobile app alias is entered (the contact has none)." in page
    assert "Applies once an email address is entered" not in page
    assert 'aria-describedby="id_mobile_status_helptext"' in page
