"""The import job's life: upload checks, cancel, resume after a dead worker, expiry, API rows."""

import gc
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from contacts.models import AttributeDefinition, Contact
from imports import tasks
from imports.models import ImportJob, ImportRejection, ImportStatus
from imports.reading import Dialect, open_table
from imports.selectors import import_for_user, import_preview, imports_for_user
from imports.services import import_cancel, import_rows, imports_expire
from imports.storage import open_stored
from tests.factories import ContactFactory
from tests.imports.engine import import_text, run, start, upload

pytestmark = pytest.mark.django_db


def test_the_stored_file_is_encrypted_and_private(marketer, import_root):
    job = upload(marketer, "Email\nsecret-person@example.com\n")
    path = import_root / job.stored_file
    assert b"secret-person" not in path.read_bytes()
    assert path.stat().st_mode & 0o777 == 0o600
    with open_stored(job.stored_file) as stream:
        assert b"secret-person@example.com" in stream.read()


def test_an_empty_file_is_refused_and_nothing_kept(marketer, import_root):
    with pytest.raises(ValidationError, match="empty"):
        upload(marketer, "")
    assert not ImportJob.objects.exists()
    assert not any(import_root.iterdir())


def test_a_file_over_the_limit_is_refused(marketer, settings):
    settings.IMPORT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="larger than"):
        upload(marketer, "Email\nsomeone@example.com\n")
    assert not ImportJob.objects.exists()


def test_start_checks_the_mapping(marketer):
    job = upload(marketer, "Email,First name\na@example.com,Ann\n")
    with pytest.raises(ValidationError) as caught:
        start(job, marketer, mapping=["", "first_name"])
    assert "mapping" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        start(job, marketer, mapping=["email"])
    assert "mapping" in caught.value.message_dict
    job.refresh_from_db()
    assert job.status == ImportStatus.DRAFT


def test_only_an_admin_may_create_attributes_from_an_import(marketer, admin_user):
    text = "Email,user.CustomAttribute.Shoe\na@example.com,42\n"
    job = upload(marketer, text)
    assert job.mapping == ["email", "custom:Shoe"]
    with pytest.raises(PermissionDenied):
        start(job, marketer, create_attributes=["Shoe"])
    assert not AttributeDefinition.objects.exists()

    job = upload(admin_user, text)
    done = run(start(job, admin_user, create_attributes=["Shoe"]))
    assert done.created == 1, done.error
    assert AttributeDefinition.objects.get().name == "Shoe"


def test_others_cannot_see_or_cancel_an_import(marketer, admin_user, roles):
    from tests.factories import UserFactory

    other = UserFactory(role="Marketer")
    job = upload(marketer, "Email\na@example.com\n")
    assert list(imports_for_user(other)) == []
    with pytest.raises(Http404):
        import_for_user(other, job.pk)
    with pytest.raises(PermissionDenied):
        import_cancel(job=job, user=other)
    assert import_for_user(admin_user, job.pk) == job


def test_preview_reads_with_the_dialect_given(marketer):
    job = upload(marketer, "Email;First name\na@example.com;Ann\n")
    assert [cells for _line, cells in import_preview(job).rows] == [["a@example.com", "Ann"]]
    comma = import_preview(job, delimiter=",")
    assert comma.header == ["Email;First name"]


def _claim_and_commit(job, chunks_to_commit: int, size: int = 2) -> int:
    """A worker that claims the job and commits some chunks, then dies (no finish)."""
    attempt = ImportJob.claim(job.pk)
    assert attempt is not None
    job.refresh_from_db()
    plan, options = tasks.job_options(job)
    with open_stored(job.stored_file) as stream:
        table = open_table(stream, Dialect(job.encoding, job.delimiter, job.quotechar))
        chunks = tasks.checked_chunks(table.rows, plan, skip=job.progress_done, size=size)
        for _ in range(chunks_to_commit):
            tasks.commit_chunk(job.pk, attempt, next(chunks), options)
    return attempt


FIVE_ROWS = (
    "Email,First name\n"
    "a@example.com,A\nb@example.com,B\nbroken,C\nd@example.com,D\nA@example.com,Again\n"
)


def test_a_new_worker_resumes_after_the_last_committed_chunk(marketer, settings):
    settings.IMPORT_CHUNK_ROWS = 2
    job = start(upload(marketer, FIVE_ROWS), marketer)
    _claim_and_commit(job, 1)
    assert Contact.objects.count() == 2
    # The worker died: its heartbeat goes stale and another worker takes the job over.
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    job = run(job)
    assert job.status == ImportStatus.DONE
    assert (job.created, job.rejected, job.progress_done) == (3, 2, 5)
    assert Contact.objects.count() == 3
    messages = dict(ImportRejection.objects.filter(job=job).values_list("line", "message"))
    assert messages[6] == "Same contact as line 2."  # line 2 was applied by the dead worker


def test_a_dead_workers_late_chunk_is_not_applied(marketer, settings):
    settings.IMPORT_CHUNK_ROWS = 2
    job = start(upload(marketer, FIVE_ROWS), marketer)
    old_attempt = _claim_and_commit(job, 1)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    run(job)
    with pytest.raises(tasks.JobLost):
        tasks.commit_chunk(job.pk, old_attempt, tasks.Chunk(), tasks.job_options(job)[1])


def test_cancel_keeps_the_committed_chunks(marketer, settings, monkeypatch):
    settings.IMPORT_CHUNK_ROWS = 2
    job = start(upload(marketer, FIVE_ROWS), marketer)
    commit = tasks.commit_chunk

    def commit_then_cancel(*args, **kwargs):
        result = commit(*args, **kwargs)
        import_cancel(job=job, user=marketer)
        return result

    monkeypatch.setattr(tasks, "commit_chunk", commit_then_cancel)
    job = run(job)
    assert job.status == ImportStatus.CANCELLED
    assert (job.created, job.progress_done) == (2, 2)
    assert Contact.objects.count() == 2


def test_a_cancelled_draft_never_runs(marketer):
    job = start(upload(marketer, "Email\na@example.com\n"), marketer)
    assert import_cancel(job=job, user=marketer) is True
    assert import_cancel(job=job, user=marketer) is False
    job = run(job)
    assert job.status == ImportStatus.CANCELLED
    assert not Contact.objects.exists()


def test_expired_imports_lose_their_file_and_rejections(
    marketer, import_root, django_capture_on_commit_callbacks
):
    job = import_text(marketer, "Email\nbroken\n")
    assert job.has_rejected_rows
    with django_capture_on_commit_callbacks(execute=True):
        assert imports_expire(now=timezone.now() + timedelta(days=30)) == 1
    expired = ImportJob.objects.get(pk=job.pk)
    assert expired.stored_file == "" and not expired.has_rejected_rows
    assert not ImportRejection.objects.exists()
    assert not any(import_root.iterdir())
    assert expired.rejected == 1  # the summary stays


def test_import_rows_for_the_api(marketer):
    existing = ContactFactory(email="a@example.com", first_name="Old")
    results = import_rows(
        user=marketer,
        rows=[
            {"user.Email": "a@example.com", "user.FirstName": "New"},
            {"user.Email": "b@example.com", "user.FirstName": "Bo"},
            {"user.Email": "broken", "user.FirstName": "X"},
            {"user.Email": "A@example.com", "user.FirstName": "Twice"},
        ],
        match_on="email",
        mode="create_update",
        empty_cells="keep",
    )
    assert [r.outcome for r in results] == ["updated", "created", "rejected", "rejected"]
    assert results[0].contact_id == existing.pk
    assert results[1].contact_id == Contact.objects.get(email="b@example.com").pk
    assert list(results[2].errors) == ["user.Email"]
    existing.refresh_from_db()
    assert existing.first_name == "New"


def test_import_rows_refuses_too_many_rows(marketer):
    with pytest.raises(ValidationError):
        import_rows(
            user=marketer,
            rows=[{"user.Email": f"p{i}@example.com"} for i in range(1001)],
            match_on="email",
            mode="create_update",
            empty_cells="keep",
        )
    assert not Contact.objects.exists()


def test_the_job_collects_garbage_rarely_and_puts_the_setting_back():
    before = gc.get_threshold()
    with pytest.raises(ZeroDivisionError), tasks.rarer_collections():
        assert gc.get_threshold() == (tasks.IMPORT_GC_THRESHOLD, *before[1:])
        1 / 0  # noqa: B018
    assert gc.get_threshold() == before
