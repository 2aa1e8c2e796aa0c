"""Bulk writes of the same new contacts at once, on PostgreSQL: one contact each, no 500."""

import threading

import pytest
from django.db import transaction

from contacts.models import Contact
from imports.services import import_rows
from tests.api.conftest import bearer, make_token
from tests.api.test_concurrency import _in_thread, _waiting_for_locks

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

URL = "/api/v1/contacts/bulk/"
ROWS = [{"Email": f"pgbulk{i}@example.com"} for i in range(50)]


def test_a_bulk_write_behind_another_of_the_same_new_addresses_updates_them(marketer):
    """The second request waits for the first, then finds the contacts the first created."""
    text = make_token(marketer)
    results: dict = {}
    written, release = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            outcome = import_rows(
                user=marketer,
                rows=[{**row, "First name": "First"} for row in ROWS],
                match_on="email",
                mode="create_update",
                empty_cells="keep",
            )
            written.set()
            release.wait(10)
        return outcome

    a = _in_thread(first, results, "first")
    written.wait(10)
    body = {"match_on": "email", "rows": [{**row, "First name": "Second"} for row in ROWS]}
    b = _in_thread(lambda: bearer(text).post(URL, body, format="json"), results, "second")
    _waiting_for_locks(1)
    release.set()
    a.join(20)
    b.join(20)

    assert {r.outcome for r in results["first"]} == {"created"}
    assert results["second"].status_code == 200, results["second"].content
    outcomes = [r["outcome"] for r in results["second"].json()["results"]]
    assert outcomes == ["updated"] * 50
    assert Contact.objects.count() == 50
    assert set(Contact.objects.values_list("first_name", "version")) == {("Second", 2)}


def test_eight_bulk_writes_of_the_same_new_addresses_at_once(marketer):
    clients = [bearer(make_token(marketer)) for _ in range(8)]
    body = {"match_on": "email", "rows": ROWS}
    results: dict = {}
    start = threading.Barrier(8)

    def post(client):
        def run():
            start.wait(10)
            return client.post(URL, body, format="json")

        return run

    threads = [_in_thread(post(client), results, str(n)) for n, client in enumerate(clients)]
    for thread in threads:
        thread.join(30)

    assert sorted(r.status_code for r in results.values()) == [200] * 8
    outcomes = sorted(
        tuple(sorted({item["outcome"] for item in r.json()["results"]})) for r in results.values()
    )
    # One request created the 50 contacts; the others found them, as if run one by one.
    assert outcomes == [("created",)] + [("unchanged",)] * 7
    assert Contact.objects.count() == 50


def test_a_bulk_write_racing_a_new_contact_of_the_profile_form(marketer):
    """A contact created from its form is not an import: the bulk write reads, the form's
    insert comes first, and the bulk write's insert loses on the unique index. Decided
    again, the row updates the new contact."""
    results: dict = {}
    created, release = threading.Event(), threading.Event()

    def create():
        with transaction.atomic():
            Contact.objects.create(email="pgbulk0@example.com", identifier_type="email")
            created.set()
            release.wait(10)
        return "created"

    a = _in_thread(create, results, "form")
    created.wait(10)
    body = {"match_on": "email", "rows": [{"Email": "pgbulk0@example.com", "First name": "B"}]}
    text = make_token(marketer)
    b = _in_thread(lambda: bearer(text).post(URL, body, format="json"), results, "bulk")
    _waiting_for_locks(1)  # the bulk insert waits on the unique index
    release.set()
    a.join(20)
    b.join(20)

    assert results["bulk"].status_code == 200, results["bulk"].content
    assert [r["outcome"] for r in results["bulk"].json()["results"]] == ["updated"]
    assert Contact.objects.get().first_name == "B"
