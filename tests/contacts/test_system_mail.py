"""The two system mails (export ready, anonymization confirmation) and their retries."""

import datetime as dt
import socket
from dataclasses import dataclass

import pytest
from django.core import mail
from django.utils import timezone

from anonymization import tasks as anonymization_tasks
from anonymization.models import Anonymization
from anonymization.services import contact_anonymize
from contacts.models import AuditEntry
from contacts.system_mail import EmailStatus, retry_delay
from exports import tasks as export_tasks
from exports.models import ExportJob
from exports.services import export_request
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@dataclass
class Mail:
    """One job row whose system mail is under test, with its task and its periodic sweep."""

    model: type
    pk: int
    task: object
    sweep: object
    admin_url: str

    def send(self) -> str:
        return self.task(self.pk)

    def row(self):
        return self.model.objects.get(pk=self.pk)

    def make_due(self) -> None:
        past = timezone.now() - dt.timedelta(seconds=1)
        self.model.objects.filter(pk=self.pk).update(email_next_attempt_at=past)


@pytest.fixture(params=["export", "anonymization"])
def system_mail(request, marketer):
    marketer.email = "marketer@staff.example"
    marketer.save()
    contact = ContactFactory()
    if request.param == "export":
        job = export_request(actor=marketer, contact_id=contact.pk)
        assert export_tasks.build_export(job.pk) == "ready"
        return Mail(
            ExportJob,
            job.pk,
            export_tasks.notify_export_ready,
            export_tasks.requeue_stalled_exports,
            "/admin/exports/exportjob/",
        )
    record = contact_anonymize(actor=marketer, contact_id=contact.pk)
    return Mail(
        Anonymization,
        record.pk,
        anonymization_tasks.send_anonymization_confirmation,
        anonymization_tasks.requeue_unsent_confirmations,
        "/admin/anonymization/anonymization/",
    )


@pytest.fixture
def smtp_down(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = False


def _fails_and_waits(system_mail: Mail, delay: dt.timedelta) -> None:
    before = timezone.now()
    assert system_mail.send() == "retry"
    after = timezone.now()
    row = system_mail.row()
    assert row.email_status == EmailStatus.RETRY
    assert "Connection" in row.email_error
    assert before + delay <= row.email_next_attempt_at <= after + delay


def test_mail_server_down_the_mail_is_retried_later_and_sent_when_it_is_back(
    system_mail, smtp_down, settings, celery_eager, django_capture_on_commit_callbacks
):
    _fails_and_waits(system_mail, dt.timedelta(seconds=30))
    assert system_mail.sweep() == 0, "not due yet"
    system_mail.make_due()
    assert system_mail.sweep() == 1
    assert system_mail.sweep() == 0, "queued once: one message per mail"

    _fails_and_waits(system_mail, dt.timedelta(seconds=60))
    # Long after the ten retries that used to be the end of it: hourly, still trying.
    system_mail.model.objects.filter(pk=system_mail.pk).update(email_attempts=11)
    _fails_and_waits(system_mail, dt.timedelta(hours=1))

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    system_mail.make_due()
    with django_capture_on_commit_callbacks(execute=True):
        assert system_mail.sweep() == 1
    row = system_mail.row()
    assert (row.email_status, row.email_attempts, row.email_error) == (EmailStatus.SENT, 13, "")
    assert len(mail.outbox) == 1
    assert system_mail.send() == "skipped"


def test_back_off_doubles_from_30_seconds_to_hourly():
    seconds = [retry_delay(n).total_seconds() for n in (1, 2, 3, 7, 8, 9, 500)]
    assert seconds == [30, 60, 120, 1920, 3600, 3600, 3600]


def test_a_mail_being_sent_is_queued_again_only_when_its_worker_died(system_mail):
    claimed_until = timezone.now() + dt.timedelta(minutes=10)
    system_mail.model.objects.filter(pk=system_mail.pk).update(
        email_status=EmailStatus.SENDING, email_attempts=1, email_next_attempt_at=claimed_until
    )
    assert system_mail.sweep() == 0
    assert system_mail.send() == "skipped"
    system_mail.make_due()  # the claim went stale: that worker is gone
    assert system_mail.sweep() == 1
    assert system_mail.send() == "sent"
    assert len(mail.outbox) == 1


def test_an_admin_gives_up_and_the_mail_is_never_sent(
    system_mail, smtp_down, settings, admin_client_role, admin_user
):
    _fails_and_waits(system_mail, dt.timedelta(seconds=30))
    page = admin_client_role.get(system_mail.admin_url).content.decode()
    assert "Give up sending" in page and "Failed, will retry" in page
    response = admin_client_role.post(
        system_mail.admin_url,
        {"action": "give_up_sending", "_selected_action": [system_mail.pk]},
        follow=True,
    )
    assert "Gave up sending 1 email: never sent." in response.content.decode()
    assert system_mail.row().email_status == EmailStatus.GIVEN_UP
    entry = AuditEntry.objects.get(action__endswith=".email_given_up")
    assert entry.actor == admin_user

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    system_mail.make_due()
    assert system_mail.sweep() == 0
    assert system_mail.send() == "skipped"
    assert mail.outbox == []


def test_giving_up_leaves_a_sent_mail_as_it_is(system_mail, admin_client_role):
    assert system_mail.send() == "sent"
    response = admin_client_role.post(
        system_mail.admin_url,
        {"action": "give_up_sending", "_selected_action": [system_mail.pk]},
        follow=True,
    )
    assert "Gave up sending 0 emails" in response.content.decode()
    assert "1 already sent or given up: left as they were." in response.content.decode()
    assert system_mail.row().email_status == EmailStatus.SENT
    assert not AuditEntry.objects.filter(action__endswith=".email_given_up").exists()
