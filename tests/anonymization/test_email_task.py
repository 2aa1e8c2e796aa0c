import pytest
from django.core import mail

from anonymization.models import Anonymization
from anonymization.notifications import CONFIRMATION
from core.jobs import JobStatus
from core.notifications import notification_queue
from tests.jobs import mail_of, send_mail_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(marketer):
    marketer.email = "marketer@staff.example"
    marketer.save()
    record = Anonymization.objects.create(
        contact_id=41, identifier_type="mobile", requested_by=marketer
    )
    notification_queue(kind=CONFIRMATION, object_id=record.pk, recipient=marketer)
    return record


def test_sent_once_and_says_what_was_anonymized(record):
    assert send_mail_of(CONFIRMATION, record.pk) == "sent"
    assert send_mail_of(CONFIRMATION, record.pk) == "skipped"
    (message,) = mail.outbox
    assert message.to == ["marketer@staff.example"]
    assert "its mobile number were anonymized" in message.body
    sent = mail_of(CONFIRMATION, record.pk)
    assert (sent.status, sent.attempt) == (JobStatus.DONE, 1)
    assert sent.finished_at is not None


def test_a_user_without_an_address_is_not_retried(record, marketer):
    marketer.email = ""
    marketer.save()
    assert send_mail_of(CONFIRMATION, record.pk) == "cancelled"
    given_up = mail_of(CONFIRMATION, record.pk)
    assert given_up.status == JobStatus.CANCELLED
    assert given_up.error == "The user has no email address."
    assert mail.outbox == []
