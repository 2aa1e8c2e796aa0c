"""Anonymization racing another anonymization or an edit, decided by PostgreSQL row locks."""

import pytest
from django.db import transaction

from anonymization.services import contact_anonymize
from contacts.models import Contact
from contacts.services import ContactGone, contact_update
from tests.anonymization.traces import database_hits
from tests.contacts.test_concurrency import _in_thread, _wait_until_a_backend_waits_for_a_lock
from tests.factories import ContactFactory, EventFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_users_anonymizing_at_once_one_succeeds_the_other_is_told_it_is_gone():
    contact = ContactFactory(email="race@example.com")
    EventFactory.create_batch(20, contact=contact)
    results: dict = {}
    locked, release = _events()

    def first():
        with transaction.atomic():
            record = contact_anonymize(actor=None, contact_id=contact.pk)
            locked.set()
            release.wait(10)
        return record

    a = _in_thread(first, results, "first")
    locked.wait(10)
    b = _in_thread(lambda: contact_anonymize(actor=None, contact_id=contact.pk), results, "second")
    _wait_until_a_backend_waits_for_a_lock()
    release.set()
    a.join(10)
    b.join(10)
    assert not isinstance(results["first"], Exception), results["first"]
    assert isinstance(results["second"], ContactGone)
    assert not Contact.objects.exists()


def test_an_edit_in_progress_cannot_leave_a_value_behind():
    contact = ContactFactory(email="edit-race@example.com", first_name="Before")
    results: dict = {}
    locked, release = _events()

    def edit():
        with transaction.atomic():
            contact_update(
                actor=None,
                contact_id=contact.pk,
                expected_version=1,
                changes={"first_name": "Zqeditedname"},
            )
            locked.set()
            release.wait(10)

    a = _in_thread(edit, results, "edit")
    locked.wait(10)
    b = _in_thread(lambda: contact_anonymize(actor=None, contact_id=contact.pk), results, "anon")
    _wait_until_a_backend_waits_for_a_lock()
    release.set()
    a.join(10)
    b.join(10)
    assert not isinstance(results["anon"], Exception), results["anon"]
    assert database_hits(["Zqeditedname", "edit-race@example.com"]) == []


def _events():
    import threading

    return threading.Event(), threading.Event()
