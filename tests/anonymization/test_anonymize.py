import hashlib
from collections import Counter

import pytest
from django.apps import apps
from django.core import mail
from django.db import DatabaseError, connection
from django.db.models.functions import TruncDate
from django.test.utils import CaptureQueriesContext

from anonymization import services
from anonymization.hashing import SaltedHasher
from anonymization.models import Anonymization
from anonymization.notifications import CONFIRMATION
from contacts.models import (
    AnonymousContact,
    AppData,
    AttributeValue,
    BulkDeletion,
    Contact,
    Event,
    MemberAttributeValue,
    Membership,
    RelatedRecord,
)
from contacts.services import ContactGone, contact_create
from core.jobs import JobStatus
from core.models import AuditEntry, Notification
from exports.models import ExportJob, ExportStatus
from tests.anonymization.traces import database_hits, mail_hits, storage_hits, text_hits
from tests.factories import ContactFactory, EventFactory
from tests.jobs import mail_of
from tests.personal_data import SECRETS

pytestmark = pytest.mark.django_db
VALUES = list(SECRETS.values()) + [SECRETS["mobile"].lstrip("+")]


def _event_counts():
    rows = Event.objects.annotate(day=TruncDate("occurred_at")).values_list(
        "message_name", "event_type", "channel", "day"
    )
    return Counter(rows)


def test_no_trace_of_the_person_is_left_anywhere(
    marketer_client,
    marketer,
    distinctive_contact,
    ready_export_file,
    jobs_naming_the_person,
    celery_eager,
    all_logs,
    django_capture_on_commit_callbacks,
):
    contact_id = distinctive_contact.pk
    hits = database_hits(VALUES)
    assert hits, "the search must find the values before anonymizing"
    for table in _tables_with_stored_filters():
        assert any(hit.startswith(f"{table}.filter_query:") for hit in hits), table
    assert storage_hits(VALUES)
    counts_before = _event_counts()

    with django_capture_on_commit_callbacks(execute=True):
        response = marketer_client.post(f"/contacts/{contact_id}/anonymize/", follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/contacts/"
    assert f"Contact ID {contact_id} was anonymized" in page
    assert database_hits(VALUES) == []
    assert storage_hits(VALUES) == []
    assert mail_hits(VALUES) == []
    assert text_hits(all_logs.text, VALUES) == []
    assert text_hits(page, VALUES) == []
    assert not Contact.objects.filter(pk=contact_id).exists()
    assert _event_counts() == counts_before
    job = ExportJob.objects.get(pk=ready_export_file.pk)
    assert (job.status, job.file_name) == (ExportStatus.CANCELLED, "")
    exports = ExportJob.objects.filter(pk__in=[j.pk for j in jobs_naming_the_person["exports"]])
    assert list(exports.order_by("pk").values_list("status", "filter_query")) == [
        (ExportStatus.EXPIRED, ""),
        (ExportStatus.CANCELLED, ""),
        (ExportStatus.CANCELLED, ""),
        (ExportStatus.CANCELLED, ""),
    ]
    deletions = BulkDeletion.objects.order_by("pk").values_list("status", "filter_query")
    assert list(deletions) == [(JobStatus.DONE, ""), (JobStatus.FAILED, "")]


def _tables_with_stored_filters() -> set[str]:
    """Every job table that stores a filter: the fixture must leave a filter in each."""
    tables = {
        model._meta.db_table
        for model in apps.get_models()
        if any(field.name == "filter_query" for field in model._meta.fields)
    }
    assert tables == {ExportJob._meta.db_table, BulkDeletion._meta.db_table}, (
        "a new job table stores a filter: add a job of it to jobs_naming_the_person"
    )
    return tables


def test_confirmation_email_names_the_contact_id_and_kind_not_the_address(
    marketer_client, marketer, distinctive_contact, celery_eager, django_capture_on_commit_callbacks
):
    marketer.email = "marketer@staff.example"
    marketer.save()
    with django_capture_on_commit_callbacks(execute=True):
        marketer_client.post(f"/contacts/{distinctive_contact.pk}/anonymize/")
    (message,) = mail.outbox
    assert message.to == ["marketer@staff.example"]
    assert f"Contact ID {distinctive_contact.pk}" in message.subject
    assert "its email address were anonymized" in message.body
    assert mail_hits(VALUES) == []
    assert mail_of(CONFIRMATION, Anonymization.objects.get().pk).status == JobStatus.DONE


def test_audit_entry_says_who_and_which_contact_id_only(marketer, distinctive_contact):
    services.contact_anonymize(actor=marketer, contact_id=distinctive_contact.pk)
    entry = AuditEntry.objects.get(action="contact.anonymized")
    assert (entry.actor, entry.contact_id, entry.details) == (
        marketer,
        distinctive_contact.pk,
        {},
    )


def test_every_hash_is_salted_sha3_256_and_consistent_within_one_contact(distinctive_contact):
    services.contact_anonymize(actor=None, contact_id=distinctive_contact.pk)
    anonymous = AnonymousContact.objects.get()
    plain = hashlib.sha3_256(SECRETS["email"].encode()).hexdigest()
    assert len(anonymous.email_hash) == 64
    assert anonymous.email_hash != plain
    # The same salt for every value of this contact: its email events carry the same hash.
    email_events = Event.objects.filter(channel="email", anonymous_contact=anonymous)
    assert set(email_events.values_list("address", flat=True)) == {anonymous.email_hash}
    assert len(set(anonymous.profile_hashes.values())) == len(anonymous.profile_hashes)
    assert "user.CustomAttribute.Score" in anonymous.profile_hashes


def test_salted_hasher_is_sha3_256_of_salt_then_value():
    salt = b"\x01" * 32
    expected = hashlib.sha3_256(salt + b"anna@example.com").hexdigest()
    assert SaltedHasher(salt)("anna@example.com") == expected
    assert SaltedHasher(salt)("") == ""


def test_two_anonymizations_of_the_same_email_give_different_hashes():
    first = ContactFactory(email="same@example.com")
    services.contact_anonymize(actor=None, contact_id=first.pk)
    second = ContactFactory(email="same@example.com")
    services.contact_anonymize(actor=None, contact_id=second.pk)
    hashes = list(AnonymousContact.objects.values_list("email_hash", flat=True))
    assert len(hashes) == 2 and hashes[0] != hashes[1]


def test_readding_the_person_gives_a_new_higher_contact_id(distinctive_contact):
    old_id = distinctive_contact.pk
    services.contact_anonymize(actor=None, contact_id=old_id)
    again = contact_create(actor=None, identifier_type="email", identifier=SECRETS["email"])
    assert again.pk > old_id
    assert not Event.objects.filter(contact=again).exists()


def test_failure_half_way_leaves_everything_as_before(
    marketer_client, distinctive_contact, ready_export_file, monkeypatch
):
    BulkDeletion.objects.create(
        requested_by=ready_export_file.requested_by,
        filter_query=f"name={SECRETS['last_name']}",
        max_contact_id=distinctive_contact.pk,
        progress_total=1,
    )
    tables = [Contact, Event, Membership, MemberAttributeValue, AttributeValue, AppData]
    tables += [RelatedRecord, ExportJob, BulkDeletion, AnonymousContact, Anonymization]
    tables += [AuditEntry, Notification]
    snapshot = {model: list(model._default_manager.order_by("pk").values()) for model in tables}

    def fail(ids, **kwargs):
        raise DatabaseError("disk full (injected)")

    # Events are already moved and hashed when the deletion step fails.
    monkeypatch.setattr(services, "delete_contact_rows", fail)
    response = marketer_client.post(f"/contacts/{distinctive_contact.pk}/anonymize/", follow=True)
    assert "could not be anonymized; nothing was changed" in response.content.decode()
    for model in tables:
        assert list(model._default_manager.order_by("pk").values()) == snapshot[model], model
    assert storage_hits([SECRETS["email"]])  # the export file is still there


def test_anonymizing_a_contact_that_is_gone_says_so(marketer_client):
    contact = ContactFactory()
    services.contact_anonymize(actor=None, contact_id=contact.pk)
    response = marketer_client.post(f"/contacts/{contact.pk}/anonymize/", follow=True)
    assert "no longer exists" in response.content.decode()
    with pytest.raises(ContactGone):
        services.contact_anonymize(actor=None, contact_id=contact.pk)


def test_query_count_does_not_depend_on_the_number_of_events():
    def queries_for(events: int) -> int:
        contact = ContactFactory()
        EventFactory.create_batch(events, contact=contact, address=contact.email)
        with CaptureQueriesContext(connection) as ctx:
            services.contact_anonymize(actor=None, contact_id=contact.pk)
        return len(ctx.captured_queries)

    assert queries_for(3) == queries_for(150)


def test_get_is_not_allowed_and_tester_is_forbidden(marketer_client, tester_client):
    contact = ContactFactory()
    assert marketer_client.get(f"/contacts/{contact.pk}/anonymize/").status_code == 405
    assert tester_client.post(f"/contacts/{contact.pk}/anonymize/").status_code == 403
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_buttons_only_for_users_who_may_anonymize(marketer_client, tester_client):
    contact = ContactFactory()
    for client, visible in ((marketer_client, True), (tester_client, False)):
        profile = client.get(f"/contacts/{contact.pk}/").content.decode()
        listing = client.get("/contacts/").content.decode()
        assert ("Anonymize</button>" in profile) is visible
        assert ("Anonymize Contact</button>" in listing) is visible


def test_optional_confirmation_step(marketer_client, settings):
    settings.ANONYMIZE_CONFIRMATION = True
    contact = ContactFactory()
    url = f"/contacts/{contact.pk}/anonymize/"
    assert "cannot be undone" in marketer_client.get(url).content.decode()
    assert "cannot be undone" in marketer_client.post(url).content.decode()
    assert Contact.objects.filter(pk=contact.pk).exists()
    marketer_client.post(url, {"confirmed": "1"})
    assert not Contact.objects.filter(pk=contact.pk).exists()
