import pytest
from django.core import mail

from anonymization.models import Anonymization
from anonymization.tasks import send_anonymization_confirmation
from contacts.system_mail import EmailStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(marketer):
    marketer.email = "marketer@staff.example"
    marketer.save()
    return Anonymization.objects.create(
        contact_id=41, identifier_type="mobile", requested_by=marketer
    )


def test_sent_once_and_says_what_was_anonymized(record):
    assert send_anonymization_confirmation(record.pk) == "sent"
    assert send_anonymization_confirmation(record.pk) == "skipped"
    (message,) = mail.outbox
    assert message.to == ["marketer@staff.example"]
    assert "its mobile number were anonymized" in message.body
    record.refresh_from_db()
    assert (record.email_status, record.email_attempts) == (EmailStatus.SENT, 1)
    assert record.email_sent_at is not None


def test_a_user_without_an_address_is_not_retried(record, marketer):
    marketer.email = ""
    marketer.save()
    assert send_anonymization_confirmation(record.pk) == "no-recipient"
    record.refresh_from_db()
    assert record.email_status == EmailStatus.GIVEN_UP
    assert record.email_error == "The user has no email address."
    assert mail.outbox == []
