"""Imports run by a real Celery worker process over the real Redis broker."""

import pytest
from django.db import connection

from contacts.models import Contact
from imports.models import ImportJob, ImportStatus
from tests.factories import UserFactory
from tests.imports.engine import start, upload
from tests.worker import mail_text, sent_mail, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.postgres]

ROWS = 40_000


@pytest.fixture
def importer(roles):
    return UserFactory(username="imp", email="imp@staff.example", role="Marketer")


def _existing(count: int) -> None:
    """Contacts p0 .. p{count-1}, inserted in one statement (version 1)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO contacts_contact (identifier_type, email, email_status, mobile_status, "
            "app_alias_status, external_id, first_name, last_name, nickname, title, gender, "
            "country, language, zip_code, time_zone, created_at, updated_at, version) "
            "SELECT 'email', 'p' || i || '@example.com', 'active', 'active', 'active', '', "
            "'Old', '', '', '', '', '', '', '', '', now(), now(), 1 "
            "FROM generate_series(0, %s - 1) AS i",
            [count],
        )


def _file(rows: int) -> str:
    """Half the rows update p0.., half create new contacts; every 1000th row is broken."""
    lines = ["Email,First name"]
    for i in range(rows):
        email = "broken" if i % 1000 == 999 else f"p{i}@example.com"
        lines.append(f"{email},New {i}")
    return "\n".join(lines) + "\n"


def test_worker_killed_mid_import_a_second_worker_resumes_exactly(
    celery_worker, worker_env, importer
):
    worker_env["IMPORT_CHUNK_ROWS"] = "500"
    _existing(ROWS // 2)
    first = celery_worker("first")
    job = start(upload(importer, _file(ROWS)), importer)
    wait_for(
        lambda: ImportJob.objects.filter(pk=job.pk, progress_done__gte=2_000).exists(),
        what="the import to be under way",
    )
    first.kill()
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING
    assert 0 < job.progress_done < ROWS, "killed half-way"
    assert job.progress_done % 500 == 0, "only whole chunks are committed"

    celery_worker("second")
    wait_for(
        lambda: ImportJob.objects.filter(pk=job.pk, status=ImportStatus.DONE).exists(),
        timeout=180,
        what="the second worker to finish the import",
    )
    job.refresh_from_db()
    assert job.attempt == 2
    broken = ROWS // 1000
    assert job.rejected == broken
    assert job.updated == ROWS // 2 - broken // 2
    assert job.created == ROWS // 2 - broken // 2
    assert job.progress_done == ROWS
    assert Contact.objects.count() == ROWS - broken // 2
    # No row was applied twice: every updated contact moved on by exactly one version.
    versions = set(Contact.objects.filter(first_name__startswith="New").values_list("version"))
    assert versions <= {(1,), (2,)}
    assert Contact.objects.filter(version=2).count() == job.updated
    assert not Contact.objects.filter(version__gt=2).exists()

    messages = wait_for(lambda: sent_mail(worker_env), what="the finished email")
    body = mail_text(messages[0])
    assert f"Rejected: {broken}" in body and messages[0]["To"] == "imp@staff.example"


def test_cancel_stops_the_worker_within_seconds(celery_worker, worker_env, importer):
    from imports.services import import_cancel

    worker_env["IMPORT_CHUNK_ROWS"] = "200"
    worker = celery_worker()
    job = start(upload(importer, _file(ROWS)), importer)
    wait_for(
        lambda: ImportJob.objects.filter(pk=job.pk, progress_done__gt=0).exists(),
        what="the import to be under way",
    )
    assert import_cancel(job=job, user=importer)
    done_at_cancel = ImportJob.objects.get(pk=job.pk).progress_done
    # The task sees the cancel at its next chunk and ends without writing it.
    wait_for(lambda: "'lost'" in worker.output(), timeout=10, what="the worker to stop")
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert job.progress_done == done_at_cancel < ROWS
    assert Contact.objects.count() == job.created
