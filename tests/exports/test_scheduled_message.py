"""The message that an export is scheduled links to the Exports list."""

import re

import pytest

from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("list_export", [False, True], ids=["contact", "list"])
def test_the_scheduled_message_links_to_exports(marketer_client, list_export):
    contact = ContactFactory()
    url = "/exports/contacts/" if list_export else f"/exports/contact/{contact.pk}/"
    page = marketer_client.post(url, follow=True).content.decode()
    status = re.search(r'<div class="alert alert-success.*?</div>', page, re.S)
    assert status is not None
    assert "has been scheduled" in status.group(0)
    assert 'under <a href="/exports/" class="alert-link">Exports</a>.' in status.group(0)
