"""Races decided by PostgreSQL: unique constraints and row locks, not timing luck."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from contacts.models import Contact
from contacts.services import ContactGone, DuplicateIdentifier, contact_create, contact_update
from tests.factories import ContactFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _wait_until_a_backend_waits_for_a_lock(timeout_polls: int = 500) -> None:
    with connections["default"].cursor() as cursor:
        for _ in range(timeout_polls):
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            threading.Event().wait(0.02)
    raise AssertionError("the second writer never blocked on the first")


def _in_thread(target, results: dict, key: str) -> threading.Thread:
    def run():
        try:
            results[key] = target()
        except Exception as exc:  # the test inspects what each side got
            results[key] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_same_identifier_created_twice_at_once_gives_one_contact_and_one_clear_error():
    """The second insert passes the friendly pre-check, then the unique index decides."""
    results: dict = {}
    first_inserted = threading.Event()
    release_first = threading.Event()

    def first():
        with transaction.atomic():
            contact = contact_create(actor=None, identifier_type="email", identifier="a@x.de")
            first_inserted.set()
            release_first.wait(10)
        return contact

    a = _in_thread(first, results, "first")
    first_inserted.wait(10)
    b = _in_thread(
        lambda: contact_create(actor=None, identifier_type="email", identifier="A@x.de"),
        results,
        "second",
    )
    _wait_until_a_backend_waits_for_a_lock()
    release_first.set()
    a.join(10)
    b.join(10)

    assert isinstance(results["first"], Contact)
    assert isinstance(results["second"], DuplicateIdentifier), results["second"]
    assert results["second"].existing_id == results["first"].pk
    assert Contact.objects.count() == 1


def test_two_browsers_creating_the_same_contact_through_the_view(marketer):
    results: dict = {}
    barrier = threading.Barrier(2)

    def post():
        client = Client()
        client.force_login(marketer)
        barrier.wait(5)
        return client.post(
            "/contacts/new/", {"identifier_type": "mobile", "identifier": "+491711234567"}
        )

    threads = [_in_thread(post, results, key) for key in ("a", "b")]
    for thread in threads:
        thread.join(20)
    codes = sorted(r.status_code for r in results.values())
    assert codes == [200, 302]
    refused = next(r for r in results.values() if r.status_code == 200)
    assert "already exists" in refused.content.decode()
    assert Contact.objects.count() == 1


def test_edit_waits_for_a_concurrent_delete_and_then_reports_the_contact_gone():
    contact = ContactFactory()
    results: dict = {}
    locked = threading.Event()
    release = threading.Event()

    def delete_slowly():
        with transaction.atomic():
            Contact.objects.select_for_update().get(pk=contact.pk)
            locked.set()
            release.wait(10)
            Contact.objects.filter(pk=contact.pk).delete()

    a = _in_thread(delete_slowly, results, "delete")
    locked.wait(10)
    b = _in_thread(
        lambda: contact_update(
            actor=None, contact_id=contact.pk, expected_version=1, changes={"first_name": "Z"}
        ),
        results,
        "update",
    )
    _wait_until_a_backend_waits_for_a_lock()
    release.set()
    a.join(10)
    b.join(10)
    assert isinstance(results["update"], ContactGone)
    assert not Contact.objects.exists()
