"""A repeated request for an export of one contact, or of the same All Contacts selection
(a double click, two tabs), while the first is still being built gives that first job:
one file, one mail."""

import threading

import pytest
from django.db import transaction

from exports.models import ExportJob, ExportStatus
from exports.services import export_list_request, export_request
from tests.contacts.test_concurrency import _in_thread, _wait_until_a_backend_waits_for_a_lock
from tests.factories import ContactFactory


@pytest.mark.django_db
def test_a_repeat_while_the_first_is_pending_is_the_first(marketer, admin_user):
    contact = ContactFactory()
    first = export_request(actor=marketer, contact_id=contact.pk)
    assert export_request(actor=marketer, contact_id=contact.pk).pk == first.pk
    # Another user's export, or another contact's, is a job of its own.
    assert export_request(actor=admin_user, contact_id=contact.pk).pk != first.pk
    assert export_request(actor=marketer, contact_id=ContactFactory().pk).pk != first.pk
    # Once the first has ended, a new request is a new export.
    ExportJob.objects.filter(pk=first.pk).update(status=ExportStatus.READY)
    assert export_request(actor=marketer, contact_id=contact.pk).pk != first.pk


@pytest.mark.django_db
def test_a_double_click_on_export_schedules_one_job(marketer_client):
    contact = ContactFactory()
    for _ in range(2):
        response = marketer_client.post(f"/exports/contact/{contact.pk}/", follow=True)
        assert "has been scheduled" in response.content.decode()
    assert ExportJob.objects.filter(contact_id=contact.pk).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_make_one_job(marketer):
    """The second insert waits on the first's uncommitted row in the unique index, then
    reads the committed job instead of adding another."""
    contact = ContactFactory()
    results: dict = {}
    inserted, release = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            job = export_request(actor=marketer, contact_id=contact.pk)
            inserted.set()
            release.wait(10)
        return job

    a = _in_thread(first, results, "first")
    inserted.wait(10)
    b = _in_thread(lambda: export_request(actor=marketer, contact_id=contact.pk), results, "second")
    _wait_until_a_backend_waits_for_a_lock()
    release.set()
    a.join(10)
    b.join(10)

    assert isinstance(results["first"], ExportJob), results["first"]
    assert isinstance(results["second"], ExportJob), results["second"]
    assert results["second"].pk == results["first"].pk
    assert ExportJob.objects.count() == 1


def _list_export(actor, filter_query="q=anna", contact_ids=None):
    return export_list_request(
        actor=actor, filter_query=filter_query, max_contact_id=None, contact_ids=contact_ids
    )


@pytest.mark.django_db
def test_a_repeated_list_export_while_the_first_is_pending_is_the_first(marketer, admin_user):
    first = _list_export(marketer)
    assert _list_export(marketer).pk == first.pk
    assert _list_export(admin_user).pk != first.pk
    assert _list_export(marketer, filter_query="q=bert").pk != first.pk
    ticked = _list_export(marketer, contact_ids=[1, 2])
    assert ticked.pk != first.pk
    assert _list_export(marketer, contact_ids=[1, 2]).pk == ticked.pk
    assert _list_export(marketer, contact_ids=[1]).pk != ticked.pk
    ExportJob.objects.filter(pk=first.pk).update(status=ExportStatus.READY)
    assert _list_export(marketer).pk != first.pk


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_list_exports_at_once_make_one_job(marketer):
    """The second waits for the first's lock on the user's row, then finds its job."""
    results: dict = {}
    inserted, release = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            job = _list_export(marketer)
            inserted.set()
            release.wait(10)
        return job

    a = _in_thread(first, results, "first")
    inserted.wait(10)
    b = _in_thread(lambda: _list_export(marketer), results, "second")
    _wait_until_a_backend_waits_for_a_lock()
    release.set()
    a.join(10)
    b.join(10)

    assert isinstance(results["second"], ExportJob), results["second"]
    assert results["second"].pk == results["first"].pk
    assert ExportJob.objects.count() == 1
