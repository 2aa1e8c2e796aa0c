"""Jobs run by a real Celery worker process over the real Redis broker."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from anonymization.models import Anonymization
from anonymization.notifications import CONFIRMATION
from contacts.models import BulkDeletion, Contact
from core.jobs import JobStatus
from core.models import Notification
from core.tasks import requeue_notifications
from exports.models import ExportJob, ExportStatus
from exports.storage import export_storage
from tests.factories import ContactFactory, EventFactory, UserFactory
from tests.jobs import mail_of
from tests.worker import mail_text, sent_mail, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.postgres]


@pytest.fixture
def marketer_with_mail(roles):
    user = UserFactory(username="mkt", email="mkt@staff.example", role="Marketer")
    client = Client()
    client.force_login(user)
    return user, client


def _insert_events(contact_id: int, count: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO contacts_event (contact_id, event_type, channel, message_name, "
            "occurred_at, address) SELECT %s, 'sent', 'email', 'Bulk ' || (i %% 97), "
            "now() - make_interval(secs => i), 'worker-test@example.com' "
            "FROM generate_series(1, %s) AS i",
            [contact_id, count],
        )


def test_export_end_to_end_with_the_ready_email(celery_worker, worker_env, marketer_with_mail):
    user, client = marketer_with_mail
    contact = ContactFactory(email="worker-test@example.com")
    EventFactory.create_batch(3, contact=contact)
    worker = celery_worker()
    client.post(f"/exports/contact/{contact.pk}/")
    job = ExportJob.objects.get()
    wait_for(
        lambda: ExportJob.objects.filter(pk=job.pk, status=ExportStatus.READY).exists(),
        what="the export to be ready",
    )
    messages = wait_for(lambda: sent_mail(worker_env), what="the ready email")
    body = mail_text(messages[0])
    assert f"/exports/{job.token}/" in body
    assert messages[0]["To"] == "mkt@staff.example"
    # The local mail backend prints the mail for the person running the app, as it is:
    # not as warnings of Celery's stdout redirection, line by line.
    log = worker.log.read_text()
    assert "--- mail to mkt@staff.example" in log and "Subject: Your export" in log
    assert "celery.redirected" not in log
    response = client.get(f"/exports/{job.token}/download/")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[5][:3] == ["Channel address", "user.Email", "worker-test@example.com"]
    assert sum(1 for r in rows if r[0] == "Event") == 3


def test_worker_killed_mid_export_the_job_is_retried_and_ends_ready(
    celery_worker, marketer_with_mail
):
    user, client = marketer_with_mail
    contact = ContactFactory(email="worker-test@example.com")
    _insert_events(contact.pk, 300_000)
    first = celery_worker("first")
    client.post(f"/exports/contact/{contact.pk}/")
    job = ExportJob.objects.get()
    # Claimed: the worker is writing the 300,000 events (its first beat counts none yet).
    wait_for(
        lambda: ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).exists(),
        what="the export to be running",
    )
    first.kill()
    job.refresh_from_db()
    assert job.status == ExportStatus.RUNNING and not job.file_name

    celery_worker("second")
    wait_for(
        lambda: ExportJob.objects.filter(pk=job.pk, status=ExportStatus.READY).exists(),
        timeout=120,
        what="the redelivered export to finish",
    )
    job.refresh_from_db()
    assert job.attempt == 2
    assert export_storage.listdir("")[1] == [job.file_name], "only the finished file is kept"
    response = client.get(f"/exports/{job.token}/download/")
    data = b"".join(response.streaming_content)
    assert data.count(b"\r\nEvent,") == 300_000


def test_anonymization_confirmation_is_sent_by_the_worker(
    celery_worker, worker_env, marketer_with_mail
):
    user, client = marketer_with_mail
    contact = ContactFactory(email="to-forget@example.com")
    celery_worker()
    client.post(f"/contacts/{contact.pk}/anonymize/")
    assert not Contact.objects.exists()
    messages = wait_for(lambda: sent_mail(worker_env), what="the confirmation email")
    body = mail_text(messages[0])
    assert f"Contact ID {contact.pk}" in body and "its email address" in body
    assert "to-forget" not in body
    assert mail_of(CONFIRMATION, Anonymization.objects.get().pk).status == JobStatus.DONE


def test_large_deletion_runs_in_the_worker(celery_worker, marketer_with_mail, settings):
    settings.CONTACTS_SYNC_DELETE_LIMIT = 10
    user, client = marketer_with_mail
    doomed = [ContactFactory(last_name="Gone") for _ in range(30)]
    kept = ContactFactory(last_name="Kept")
    celery_worker()
    client.post(
        "/contacts/delete/",
        {"select_all": "1", "filter_query": "name=Gone", "max_id": doomed[-1].pk, "confirmed": "1"},
    )
    wait_for(
        lambda: BulkDeletion.objects.filter(status=JobStatus.DONE).exists(),
        what="the background deletion",
    )
    assert list(Contact.objects.values_list("pk", flat=True)) == [kept.pk]
    assert BulkDeletion.objects.get().progress_done == 30


@pytest.mark.parametrize("kind", ["export", "anonymization"])
def test_mail_server_down_for_a_while_the_mail_is_sent_once_it_is_back(
    kind, celery_worker, marketer_with_mail, smtp_sink, broker
):
    user, client = marketer_with_mail
    contact = ContactFactory(email="worker-test@example.com")
    worker = celery_worker()
    if kind == "export":
        client.post(f"/exports/contact/{contact.pk}/")
    else:
        client.post(f"/contacts/{contact.pk}/anonymize/")
    mails = Notification.objects.all()
    wait_for(
        lambda: mails.filter(status=JobStatus.SCHEDULED, attempt=1).exists(),
        what="the first attempt to fail",
    )
    wait_for(lambda: "'retry'" in worker.log.read_text(), what="the task to end")
    wait_for(
        lambda: broker.llen("celery") + broker.hlen("unacked") == 0,
        what="nothing waiting in the broker: the sweep alone queues the next attempt",
    )

    smtp_sink.start()
    mails.update(next_attempt_at=timezone.now())  # as if 30 s had passed
    assert requeue_notifications() == 1
    wait_for(lambda: mails.filter(status=JobStatus.DONE).exists(), what="the mail to be sent")
    (message,) = smtp_sink.messages
    assert message["To"] == "mkt@staff.example"
    assert mails.get().attempt == 2
