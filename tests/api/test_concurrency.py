"""Races of the API decided by PostgreSQL: If-Match under row locks, Idempotency-Key under
a unique constraint."""

import threading

import pytest
from django.db import connection, connections, transaction

from api.services import contact_create_with_values
from api.views import contacts as contact_views
from contacts.models import Contact
from tests.api.conftest import bearer, make_token
from tests.factories import ContactFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _waiting_for_locks(count: int, polls: int = 500) -> None:
    with connections["default"].cursor() as cursor:
        for _ in range(polls):
            # Inside a transaction the statistics are a snapshot unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0] >= count:
                return
            threading.Event().wait(0.02)
        cursor.execute(
            "SELECT state, wait_event_type, wait_event, left(query, 80) FROM pg_stat_activity "
            "WHERE datname = current_database()"
        )
        raise AssertionError(f"{count} writers never blocked: {cursor.fetchall()}")


def _in_thread(target, results: dict, key: str) -> threading.Thread:
    def run():
        try:
            results[key] = target()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_patches_of_the_same_version_one_wins_one_gets_412(marketer):
    contact = ContactFactory(first_name="Start")
    text = make_token(marketer)
    url = f"/api/v1/contacts/{contact.pk}/"
    results: dict = {}

    def patch(name):
        return lambda: bearer(text).patch(
            url, {"first_name": name}, format="json", HTTP_IF_MATCH='"1"'
        )

    with transaction.atomic():
        Contact.objects.select_for_update().get(pk=contact.pk)  # both writers queue behind
        threads = [_in_thread(patch(n), results, n) for n in ("Anna", "Berta")]
        _waiting_for_locks(2)
    for thread in threads:
        thread.join(10)
    statuses = sorted(r.status_code for r in results.values())
    assert statuses == [200, 412]
    contact.refresh_from_db()
    winner = next(n for n, r in results.items() if r.status_code == 200)
    assert contact.first_name == winner and contact.version == 2


def test_patches_with_if_match_star_at_once_all_change_it_the_last_one_wins(marketer):
    """ "*" is whatever version is current when the row is locked: each of the writers read
    version 1 and, queued behind the lock, got 412 from every writer but the first."""
    contact = ContactFactory(nickname="Start")
    text = make_token(marketer)
    url = f"/api/v1/contacts/{contact.pk}/"
    names = [f"S{i}" for i in range(6)]
    results: dict = {}

    def patch(name):
        return lambda: bearer(text).patch(url, {"nickname": name}, format="json", HTTP_IF_MATCH="*")

    with transaction.atomic():
        Contact.objects.select_for_update().get(pk=contact.pk)  # every writer queues behind
        threads = [_in_thread(patch(n), results, n) for n in names]
        _waiting_for_locks(len(names))
    for thread in threads:
        thread.join(10)
    assert {n: r.status_code for n, r in results.items()} == dict.fromkeys(names, 200)
    assert sorted(r["ETag"] for r in results.values()) == [f'"{v}"' for v in range(2, 8)]
    contact.refresh_from_db()
    last = next(n for n, r in results.items() if r["ETag"] == '"7"')
    assert contact.version == 7 and contact.nickname == last


def test_the_same_idempotency_key_at_once_does_the_work_once(marketer, monkeypatch):
    text = make_token(marketer)
    started, release = threading.Event(), threading.Event()
    create = contact_create_with_values

    def slow_create(**kwargs):
        started.set()
        release.wait(10)
        return create(**kwargs)

    monkeypatch.setattr(contact_views, "contact_create_with_values", slow_create)
    body = {"identifier_type": "email", "identifier": "race@example.com"}

    def post():
        return bearer(text).post(
            "/api/v1/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="race-1"
        )

    results: dict = {}
    first = _in_thread(post, results, "first")
    started.wait(10)
    second = post()  # the first still works: told so, nothing done
    assert second.status_code == 409
    release.set()
    first.join(10)
    assert results["first"].status_code == 201
    replay = post()
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert Contact.objects.count() == 1
