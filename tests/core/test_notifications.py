"""The system mails (export ready, anonymization confirmation) as jobs, and their retries."""

import datetime as dt
import socket
from dataclasses import dataclass

import pytest
from django.core import mail
from django.utils import timezone

from anonymization.notifications import CONFIRMATION
from anonymization.services import contact_anonymize
from core.jobs import JobStatus
from core.models import AuditEntry, Notification
from core.notifications import retry_delay
from core.tasks import requeue_notifications
from exports import tasks as export_tasks
from exports.models import ExportJob
from exports.notifications import READY
from exports.services import export_request
from tests.factories import ContactFactory
from tests.jobs import mail_of, send_mail_of

pytestmark = pytest.mark.django_db

ADMIN_URL = "/admin/core/notification/"


@dataclass
class Mail:
    """One system mail under test: what it is about."""

    kind: str
    object_id: int

    def send(self) -> str:
        return send_mail_of(self.kind, self.object_id)

    def row(self) -> Notification:
        return mail_of(self.kind, self.object_id)

    def update(self, **changes) -> None:
        Notification.objects.filter(pk=self.row().pk).update(**changes)

    def make_due(self) -> None:
        self.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


@pytest.fixture(params=["export", "anonymization"])
def system_mail(request, marketer):
    marketer.email = "marketer@staff.example"
    marketer.save()
    contact = ContactFactory()
    if request.param == "export":
        job = export_request(actor=marketer, contact_id=contact.pk)
        assert export_tasks.build_export(job.pk) == "ready"
        return Mail(READY, job.pk)
    record = contact_anonymize(actor=marketer, contact_id=contact.pk)
    return Mail(CONFIRMATION, record.pk)


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
    assert (row.status, row.state_label) == (JobStatus.SCHEDULED, "Failed, will retry")
    assert "Connection" in row.error
    assert row.next_attempt_at is not None
    assert before + delay <= row.next_attempt_at <= after + delay


def test_mail_server_down_the_mail_is_retried_later_and_sent_when_it_is_back(
    system_mail, smtp_down, settings, celery_eager, django_capture_on_commit_callbacks
):
    _fails_and_waits(system_mail, dt.timedelta(seconds=30))
    assert requeue_notifications() == 0, "not due yet"
    system_mail.make_due()
    assert requeue_notifications() == 1
    assert requeue_notifications() == 0, "queued once: one message per mail"

    _fails_and_waits(system_mail, dt.timedelta(seconds=60))
    # Long after the ten retries that used to be the end of it: hourly, still trying.
    system_mail.update(attempt=11)
    _fails_and_waits(system_mail, dt.timedelta(hours=1))

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    system_mail.make_due()
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_notifications() == 1
    row = system_mail.row()
    assert (row.status, row.attempt, row.error) == (JobStatus.DONE, 13, "")
    assert len(mail.outbox) == 1
    assert system_mail.send() == "skipped"


def test_back_off_doubles_from_30_seconds_to_hourly():
    seconds = [retry_delay(n).total_seconds() for n in (1, 2, 3, 7, 8, 9, 500)]
    assert seconds == [30, 60, 120, 1920, 3600, 3600, 3600]


def test_a_mail_being_sent_is_queued_again_only_when_its_worker_died(system_mail, settings):
    system_mail.update(status=JobStatus.RUNNING, attempt=1, heartbeat_at=timezone.now())
    assert requeue_notifications() == 0
    assert system_mail.send() == "skipped"
    silent = dt.timedelta(seconds=settings.NOTIFICATION_STALE_AFTER_SECONDS + 1)
    system_mail.update(heartbeat_at=timezone.now() - silent)  # that worker is gone
    assert requeue_notifications() == 1
    assert system_mail.send() == "sent"
    assert len(mail.outbox) == 1


def test_an_admin_gives_up_and_the_mail_is_never_sent(
    system_mail, smtp_down, settings, admin_client_role, admin_user
):
    _fails_and_waits(system_mail, dt.timedelta(seconds=30))
    page = admin_client_role.get(ADMIN_URL).content.decode()
    assert "Give up sending" in page and "Failed, will retry" in page
    response = admin_client_role.post(
        ADMIN_URL,
        {"action": "give_up_sending", "_selected_action": [system_mail.row().pk]},
        follow=True,
    )
    assert "Gave up sending 1 email: never sent." in response.content.decode()
    assert system_mail.row().status == JobStatus.CANCELLED
    entry = AuditEntry.objects.get(action="notification.given_up")
    assert entry.actor == admin_user

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    system_mail.make_due()
    assert requeue_notifications() == 0
    assert system_mail.send() == "skipped"
    assert mail.outbox == []


def test_giving_up_leaves_a_sent_mail_as_it_is(system_mail, admin_client_role):
    assert system_mail.send() == "sent"
    response = admin_client_role.post(
        ADMIN_URL,
        {"action": "give_up_sending", "_selected_action": [system_mail.row().pk]},
        follow=True,
    )
    assert "Gave up sending 0 emails" in response.content.decode()
    assert "1 already sent or given up: left as they were." in response.content.decode()
    assert system_mail.row().status == JobStatus.DONE
    assert not AuditEntry.objects.filter(action="notification.given_up").exists()


def test_a_ready_email_of_an_export_that_expired_meanwhile_is_not_sent(marketer):
    marketer.email = "marketer@staff.example"
    marketer.save()
    job = export_request(actor=marketer, contact_id=ContactFactory().pk)
    assert export_tasks.build_export(job.pk) == "ready"
    job.refresh_from_db()
    ExportJob.objects.filter(pk=job.pk).update(status="expired")
    assert send_mail_of(READY, job.pk) == "cancelled"
    assert mail.outbox == []
    assert "no longer ready" in mail_of(READY, job.pk).error
