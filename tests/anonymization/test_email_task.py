import socket

import pytest
from django.core import mail

from anonymization.models import Anonymization, EmailStatus
from anonymization.tasks import send_anonymization_confirmation

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def record(marketer):
    marketer.email = "marketer@staff.example"
    marketer.save()
    return Anonymization.objects.create(
        contact_id=41, identifier_type="mobile", requested_by=marketer
    )


def test_mail_server_down_is_recorded_and_raised_for_a_retry_then_sent(settings, record):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        _closed_port(),
        2,
    )
    with pytest.raises(OSError):
        send_anonymization_confirmation(record.pk)
    record.refresh_from_db()
    assert (record.email_status, record.email_attempts) == (EmailStatus.FAILED, 1)
    assert "Connection" in record.email_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_anonymization_confirmation(record.pk) == "sent"
    record.refresh_from_db()
    assert (record.email_status, record.email_attempts) == (EmailStatus.SENT, 2)
    assert "its mobile number were anonymized" in mail.outbox[0].body


def test_running_twice_sends_once(record):
    assert send_anonymization_confirmation(record.pk) == "sent"
    assert send_anonymization_confirmation(record.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_retry_policy_backs_off_on_mail_errors():
    task = send_anonymization_confirmation
    assert OSError in task.autoretry_for
    assert task.retry_backoff and task.max_retries >= 5
    assert task.acks_late
