import datetime as dt

import pytest
from django.utils import timezone

from config.celery import app as celery_app
from contacts.models import BulkDeletion, Contact
from contacts.tasks import requeue_stalled_deletions, run_bulk_deletion
from core.jobs import JobStatus
from core.models import AuditEntry
from tests.factories import ContactFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limit(settings):
    settings.CONTACTS_SYNC_DELETE_LIMIT = 3
    settings.CONTACTS_DELETE_BATCH = 2


def _select_all(client, filter_query: str, max_id: int, **extra):
    return client.post(
        "/contacts/delete/",
        {"select_all": "1", "filter_query": filter_query, "max_id": max_id, **extra},
        follow=True,
    )


def test_large_selection_is_deleted_in_the_background_with_progress(
    marketer_client, marketer, small_limit
):
    doomed = [ContactFactory(last_name="Bye") for _ in range(5)]
    EventFactory(contact=doomed[0])
    kept = ContactFactory(last_name="Stay")
    max_id = max(c.pk for c in (*doomed, kept))
    late = ContactFactory(last_name="Bye")  # created after the user confirmed

    confirm = _select_all(marketer_client, "name=Bye", max_id)
    assert "Delete 5 contacts?" in confirm.content.decode()
    response = _select_all(marketer_client, "name=Bye", max_id, confirmed="1")
    page = response.content.decode()
    assert "Deleting 5 contacts in the background" in page
    assert 'hx-trigger="every 2s"' in page  # the banner polls while the job runs
    assert Contact.objects.count() == 7, "nothing is deleted in the request itself"

    job = BulkDeletion.objects.get()
    assert (job.progress_total, job.status, job.requested_by) == (5, JobStatus.SCHEDULED, marketer)
    assert run_bulk_deletion(job.pk) == "done"
    job.refresh_from_db()
    assert (job.status, job.progress_done) == (JobStatus.DONE, 5)
    assert set(Contact.objects.values_list("pk", flat=True)) == {kept.pk, late.pk}
    assert AuditEntry.objects.filter(action="contact.deleted", actor=marketer).count() == 5
    banner = marketer_client.get("/contacts/deletions/").content.decode()
    assert "Deleted 5 contacts in the background" in banner
    assert "every 2s" not in banner


def test_small_selection_is_deleted_at_once(marketer_client, small_limit):
    for _ in range(3):
        ContactFactory(last_name="Few")
    response = _select_all(marketer_client, "name=Few", 10**6, confirmed="1")
    assert "3 contacts deleted." in response.content.decode()
    assert not BulkDeletion.objects.exists()


def test_running_twice_is_safe_and_a_dead_workers_job_is_resumed(
    marketer, settings, django_capture_on_commit_callbacks
):
    ContactFactory.create_batch(4, last_name="Twice")
    job = BulkDeletion.objects.create(
        requested_by=marketer, filter_query="name=Twice", max_contact_id=10**6, progress_total=4
    )
    BulkDeletion.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        attempt=1,
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    celery_app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):  # queued once the sweep commits
            assert requeue_stalled_deletions() == 1
    finally:
        celery_app.conf.task_always_eager = False
    job.refresh_from_db()
    assert (job.status, job.attempt, job.progress_done) == (JobStatus.DONE, 2, 4)
    assert run_bulk_deletion(job.pk) == "skipped"


def test_an_invalid_saved_filter_fails_clearly(marketer):
    job = BulkDeletion.objects.create(
        requested_by=marketer, filter_query="group=abc", max_contact_id=10, progress_total=1
    )
    assert run_bulk_deletion(job.pk) == "failed"
    job.refresh_from_db()
    assert "no longer valid" in job.error


def test_banner_is_only_for_users_who_may_delete(tester_client):
    assert tester_client.get("/contacts/deletions/").status_code == 403
