"""A user with no email address is not promised one: the mail would be given up unsent."""

import pytest
from django.test import Client

from core.notifications import NO_ADDRESS
from exports.models import ExportJob
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db
PROMISE = "You will receive an email with a link when it is ready."


def _export(client: Client) -> str:
    contact = ContactFactory()
    response = client.post(f"/exports/contact/{contact.pk}/", follow=True)
    return response.content.decode()


def test_an_export_promises_a_mail_only_to_a_user_with_an_address(marketer):
    client = Client()
    client.force_login(marketer)
    assert marketer.email
    assert PROMISE in _export(client) and NO_ADDRESS not in _export(client)

    marketer.email = ""
    marketer.save()
    page = _export(client)
    assert PROMISE not in page and NO_ADDRESS in page
    assert 'You can follow it under <a href="/exports/" class="alert-link">Exports</a>.' in page
    job = ExportJob.objects.latest("pk")
    detail = client.get(f"/exports/{job.token}/").content.decode()
    assert "This page updates by itself." in detail and "receive an email" not in detail


def test_imports_and_anonymization_say_the_same(marketer):
    marketer.email = ""
    marketer.save()
    client = Client()
    client.force_login(marketer)
    assert "you also receive an email" not in client.get("/imports/").content.decode()
    contact = ContactFactory()
    response = client.post(f"/contacts/{contact.pk}/anonymize/", {"confirm": "1"}, follow=True)
    page = response.content.decode()
    assert f"Contact ID {contact.pk} was anonymized. {NO_ADDRESS}" in page.replace("&#x27;", "'")
