"""A repeat of a confirmed "select all" deletion (a double submit, two tabs) while the first
is still scheduled or running gives that first job: one deletion, one notice."""

import importlib
import threading

import pytest
from django.apps import apps
from django.db import connection, transaction

from contacts.models import BulkDeletion
from contacts.services import bulk_deletion_request
from core.jobs import JobStatus
from tests.contacts.test_concurrency import _in_thread, _wait_until_a_backend_waits_for_a_lock
from tests.factories import ContactFactory


def _request(actor, filter_query="name=Bye", max_contact_id=100, total=20):
    return bulk_deletion_request(
        actor=actor, filter_query=filter_query, max_contact_id=max_contact_id, total=total
    )


@pytest.mark.django_db
def test_a_repeat_while_the_first_is_open_is_the_first(marketer, admin_user):
    first = _request(marketer)
    assert _request(marketer).pk == first.pk
    # Another user's deletion, another filter or another newest Contact ID: a job of its own.
    assert _request(admin_user).pk != first.pk
    assert _request(marketer, filter_query="name=Other").pk != first.pk
    assert _request(marketer, max_contact_id=101).pk != first.pk
    BulkDeletion.objects.filter(pk=first.pk).update(status=JobStatus.RUNNING)
    assert _request(marketer).pk == first.pk
    # Once the first has ended, the same selection may be deleted again.
    BulkDeletion.objects.filter(pk=first.pk).update(status=JobStatus.DONE, filter_query="")
    assert _request(marketer).pk != first.pk


@pytest.mark.django_db
def test_a_long_filter_is_told_apart_by_all_of_it(marketer):
    long = "name=" + "x" * 4000
    first = _request(marketer, filter_query=long)
    assert _request(marketer, filter_query=long).pk == first.pk
    assert _request(marketer, filter_query=long + "y").pk != first.pk


@pytest.mark.django_db
def test_four_confirmed_submits_make_one_job_and_one_notice(marketer_client, settings):
    settings.CONTACTS_SYNC_DELETE_LIMIT = 3
    contacts = ContactFactory.create_batch(5, last_name="Bye")
    form = {
        "select_all": "1",
        "filter_query": "name=Bye",
        "max_id": max(c.pk for c in contacts),
        "confirmed": "1",
    }
    for _ in range(4):
        page = marketer_client.post("/contacts/delete/", form, follow=True).content.decode()
        assert "Deleting 5 contacts in the background" in page
    assert BulkDeletion.objects.count() == 1
    banner = marketer_client.get("/contacts/deletions/").content.decode()
    assert banner.count("Deleting 5 contacts in the background") == 1


@pytest.mark.django_db
def test_the_migration_merges_repeats_into_the_one_furthest_on(marketer, admin_user):
    with connection.cursor() as cursor:  # as before the migration (rolled back with the test)
        cursor.execute("DROP INDEX deletion_one_open_per_selection_and_user")

    def deletion(user=marketer, status=JobStatus.SCHEDULED, done=0):
        return BulkDeletion.objects.create(
            requested_by=user,
            filter_query="name=Bye",
            max_contact_id=100,
            progress_total=20,
            status=status,
            progress_done=done,
        )

    scheduled = deletion()
    running = deletion(status=JobStatus.RUNNING, done=5)
    other_running = deletion(status=JobStatus.RUNNING, done=3)
    others_own = deletion(admin_user)
    migration = importlib.import_module("contacts.migrations.0013_one_open_deletion_per_selection")
    migration.merge_repeats(apps, None)

    rows = {d.pk: d for d in BulkDeletion.objects.all()}
    assert (rows[running.pk].status, rows[running.pk].progress_done) == (JobStatus.RUNNING, 8)
    for repeat in (scheduled, other_running):
        assert rows[repeat.pk].status == JobStatus.CANCELLED
        assert rows[repeat.pk].filter_query == ""
        assert rows[repeat.pk].finished_at is not None
    assert rows[others_own.pk].status == JobStatus.SCHEDULED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_make_one_job(marketer):
    """The second insert waits on the first's uncommitted row in the unique index, then
    reads the committed job instead of adding another."""
    results: dict = {}
    inserted, release = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            deletion = _request(marketer)
            inserted.set()
            release.wait(10)
        return deletion

    a = _in_thread(first, results, "first")
    inserted.wait(10)
    b = _in_thread(lambda: _request(marketer), results, "second")
    _wait_until_a_backend_waits_for_a_lock()
    release.set()
    a.join(10)
    b.join(10)

    assert isinstance(results["first"], BulkDeletion), results["first"]
    assert isinstance(results["second"], BulkDeletion), results["second"]
    assert results["second"].pk == results["first"].pk
    assert BulkDeletion.objects.count() == 1
