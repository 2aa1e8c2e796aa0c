"""A running job whose worker went quiet (killed, say) is shown as stalled: one rule in
core.jobs, the one the sweep uses for a dead worker, read by every progress display. The
rows' timestamps are set in the past; nothing waits."""

import datetime as dt

import pytest
from django.utils import timezone

from contacts.models import BulkDeletion
from core.jobs import JobStatus, duration_in_words
from exports.models import ExportJob, ExportStatus
from imports.display import job_speed
from imports.models import ImportJob, ImportStatus

pytestmark = pytest.mark.django_db

STALLED = "No progress for 3 minutes: the background worker may be stopped."


def _ago(**delta) -> dt.datetime:
    return timezone.now() - dt.timedelta(**delta)


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(45, "45 seconds"), (60, "1 minute"), (190, "3 minutes"), (3660, "1 hour 1 minute")],
)
def test_duration_in_words(seconds, words):
    assert duration_in_words(dt.timedelta(seconds=seconds)) == words


def test_a_job_is_stalled_once_its_heartbeat_is_older_than_its_stale_after(settings):
    settings.CONTACTS_DELETION_STALE_AFTER_SECONDS = 120
    now = timezone.now()
    job = BulkDeletion(status=JobStatus.RUNNING, started_at=now - dt.timedelta(minutes=10))
    job.heartbeat_at = now - dt.timedelta(seconds=119)
    assert job.stalled_for(now) is None
    job.heartbeat_at = now - dt.timedelta(minutes=3)
    assert job.stalled_for(now) == dt.timedelta(minutes=3)
    assert job.stall_notice.startswith(STALLED)
    assert job.stall_notice.endswith("It resumes where it stopped when the worker runs again.")
    # Only a running job: one that waits or ended has no worker to lose.
    for status in (JobStatus.SCHEDULED, JobStatus.DONE, JobStatus.FAILED):
        job.status = status
        assert job.stalled_for(now) is None and job.stall_notice == ""


def test_an_export_says_it_starts_again(marketer):
    job = ExportJob(
        requested_by=marketer,
        status=ExportStatus.RUNNING,
        started_at=_ago(minutes=5),
        heartbeat_at=_ago(minutes=3, seconds=5),
    )
    assert job.stall_notice.endswith("It starts again when the worker runs again.")


def _import(user, heartbeat_ago: dt.timedelta) -> ImportJob:
    now = timezone.now()
    return ImportJob.objects.create(
        requested_by=user,
        file_name="big.csv",
        status=ImportStatus.RUNNING,
        started_at=now - heartbeat_ago - dt.timedelta(seconds=10),
        heartbeat_at=now - heartbeat_ago,
        progress_done=148_530,
        progress_total=415_000,
    )


def test_a_stalled_import_shows_no_rate_nor_time_left(marketer_client, marketer):
    live = _import(marketer, dt.timedelta(seconds=1))
    assert job_speed(live).rows_per_second == 14_853
    page = marketer_client.get(f"/imports/{live.pk}/").content.decode()
    assert "14,853 rows per second" in page and "No progress" not in page

    stalled = _import(marketer, dt.timedelta(minutes=3, seconds=5))
    assert job_speed(stalled).rows_per_second is None
    page = marketer_client.get(f"/imports/{stalled.pk}/").content.decode()
    assert "rows per second" not in page and " left" not in page
    assert STALLED in page and "It resumes where it stopped" in page
    assert 'hx-trigger="every 2s"' in page  # it updates by itself once the worker is back
    assert STALLED in marketer_client.get("/imports/").content.decode()


def test_a_stalled_export_says_so(marketer_client, marketer):
    job = ExportJob.objects.create(
        requested_by=marketer,
        status=ExportStatus.RUNNING,
        started_at=_ago(minutes=5),
        heartbeat_at=_ago(minutes=3, seconds=5),
        progress_done=40,
        progress_total=100,
    )
    page = marketer_client.get(f"/exports/{job.token}/").content.decode()
    assert STALLED in page and "It starts again" in page
    assert STALLED in marketer_client.get("/exports/").content.decode()


def test_a_stalled_bulk_deletion_says_so(marketer_client, marketer):
    deletion = BulkDeletion.objects.create(
        requested_by=marketer, filter_query="name=Bye", max_contact_id=9, progress_total=12_000
    )
    BulkDeletion.objects.filter(pk=deletion.pk).update(
        status=JobStatus.RUNNING,
        started_at=_ago(minutes=4),
        heartbeat_at=_ago(minutes=3, seconds=5),
        progress_done=500,
    )
    banner = marketer_client.get("/contacts/deletions/").content.decode()
    assert "Deleting 12,000 contacts in the background: 500 done." in banner
    assert STALLED in banner and "It resumes where it stopped" in banner


WAITING = "Not started after 3 minutes: the background worker is busy with other jobs, or stopped."


def test_a_job_no_worker_started_says_so_once_it_waited_as_long(settings, marketer):
    settings.EXPORT_STALE_AFTER_SECONDS = 120
    now = timezone.now()
    job = ExportJob(requested_by=marketer, status=ExportStatus.SCHEDULED)
    job.requested_at = now - dt.timedelta(seconds=119)
    assert job.waiting_for(now) is None and job.stall_notice == ""
    job.requested_at = now - dt.timedelta(minutes=3)
    assert job.waiting_for(now) == dt.timedelta(minutes=3)
    assert job.stall_notice == f"{WAITING} It starts when the worker is free."
    # A retry was started before: it waits for its back-off, not for a worker.
    job.started_at = now - dt.timedelta(minutes=2)
    assert job.waiting_for(now) is None and job.stall_notice == ""


def test_a_waiting_export_and_deletion_say_so(marketer_client, marketer):
    job = ExportJob.objects.create(requested_by=marketer)
    ExportJob.objects.filter(pk=job.pk).update(requested_at=_ago(minutes=3, seconds=5))
    page = marketer_client.get(f"/exports/{job.token}/").content.decode()
    assert WAITING in page and 'hx-trigger="every 2s"' in page
    assert WAITING in marketer_client.get("/exports/").content.decode()

    deletion = BulkDeletion.objects.create(
        requested_by=marketer, filter_query="name=Bye", max_contact_id=9, progress_total=12_000
    )
    BulkDeletion.objects.filter(pk=deletion.pk).update(requested_at=_ago(minutes=3, seconds=5))
    assert WAITING in marketer_client.get("/contacts/deletions/").content.decode()


def test_an_import_waits_from_when_it_was_started_not_uploaded(marketer_client, marketer):
    job = ImportJob.objects.create(requested_by=marketer, file_name="a.csv", status="draft")
    ImportJob.objects.filter(pk=job.pk).update(requested_at=_ago(hours=2))
    job.refresh_from_db()
    assert job.stall_notice == ""  # a draft waits for its user, not for a worker
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.SCHEDULED)
    page = marketer_client.get(f"/imports/{job.pk}/").content.decode()
    assert "Not started after 2 hours" in page
