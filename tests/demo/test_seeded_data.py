"""The data of one demo seeding: realistic, valid, consistent (seeded once for the module)."""

import re
import zoneinfo
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Model
from django.utils import timezone

from contacts.attributes import parse_attribute_value, to_canonical
from contacts.models import (
    AppData,
    AttributeDefinition,
    AttributeType,
    AttributeValue,
    Contact,
    Event,
    EventChannel,
    EventType,
    Group,
    IdentifierType,
    MemberAttributeDefinition,
    MemberAttributeValue,
    Membership,
    MembershipStatus,
    RelatedRecord,
)
from contacts.services import contact_create
from contacts.validation import (
    country_choices,
    language_choices,
    normalize_alias,
    normalize_email,
    normalize_mobile,
    validate_date_of_birth,
)
from core.models import AuditEntry
from demo.seed import DemoOptions, SeedReport, seed_demo

pytestmark = pytest.mark.django_db

HEAVY_EVENTS = 1500
# Several chunks, so that ids and rows are carried across transactions.
SMALL = DemoOptions(
    contacts=300, seed=7, chunk_size=120, heavy_contacts=2, heavy_events=HEAVY_EVENTS
)

MODELS: dict[str, type[Model]] = {
    "contacts": Contact,
    "memberships": Membership,
    "member attribute values": MemberAttributeValue,
    "custom attribute values": AttributeValue,
    "app data": AppData,
    "related rows": RelatedRecord,
    "events": Event,
}
# Event type -> the channels it may have and the contact field its address comes from.
EVENT_RULES: dict[str, dict[str, str | None]] = {
    EventType.SENT: {"email": "email", "sms": "mobile_number"},
    EventType.SKIPPED: {"email": "email", "sms": "mobile_number"},
    EventType.BOUNCED: {"email": "email", "sms": "mobile_number"},
    EventType.OPENED: {"email": "email"},
    EventType.CLICKED: {"email": "email"},
    EventType.FORWARDED: {"email": "email"},
    EventType.UNSUBSCRIBED: {"email": "email"},
    EventType.SPAM_COMPLAINT: {"email": "email"},
    EventType.PUSH_SENT: {"push": "app_alias"},
    EventType.PUSH_OPENED: {"push": "app_alias"},
    EventType.APP_OPENED: {"app": "app_alias"},
    EventType.SUBSCRIBED: {"system": None},
    EventType.PROFILE_UPDATED: {"system": None},
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[SeedReport]:
    """One seeding for every test of this module, rolled back after the last one.

    Each test runs in a savepoint inside this transaction (pytest-django's `django_db`), so
    what a test adds goes away with it and the next test sees the seeded data as it was.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo(options=SMALL)
        transaction.set_rollback(True)


def test_report_counts_match_the_database(seeded):
    assert Contact.objects.count() == 300
    for label, model in MODELS.items():
        assert seeded.counts[label] == model._default_manager.count() > 0, label
    ids = Contact.objects.aggregate(Max("id"))["id__max"]
    assert seeded.last_contact_id == ids
    assert seeded.contacts_done == 300


def test_every_identifier_type_and_contacts_with_several_identifiers(seeded):
    types = dict(Contact.objects.values_list("identifier_type").annotate(n=Count("id")).order_by())
    assert set(types) == set(IdentifierType.values)
    assert types[IdentifierType.EMAIL] > types[IdentifierType.MOBILE] > 0
    counts = [contact.identifier_count for contact in Contact.objects.all()]
    assert counts.count(1) > counts.count(2) > 0
    assert counts.count(3) >= SMALL.heavy_contacts


def test_identifiers_are_valid_unique_and_stored_normalized(seeded):
    contacts = list(Contact.objects.all())
    for contact in contacts:
        assert contact.identifier, contact.pk
        if contact.email is not None:
            assert normalize_email(contact.email) == contact.email
        if contact.mobile_number is not None:
            assert normalize_mobile(contact.mobile_number) == contact.mobile_number
            assert re.fullmatch(r"\+491[567]\d{8,9}", contact.mobile_number)
        if contact.app_alias is not None:
            assert normalize_alias(contact.app_alias) == contact.app_alias
    emails = [c.email.lower() for c in contacts if c.email]
    assert len(emails) == len(set(emails))
    # The internationalized demo domain is stored in Punycode, as normalize_email does.
    assert any(email.endswith("@xn--bcher-kva.example") for email in emails)


def test_contacts_satisfy_the_model_rules(seeded):
    countries = {code for code, _ in country_choices()}
    languages = {code for code, _ in language_choices()}
    zones = zoneinfo.available_timezones()
    now = timezone.now()
    for contact in Contact.objects.all():
        contact.full_clean()  # field choices, lengths, email validation, constraints
        if contact.date_of_birth:
            validate_date_of_birth(contact.date_of_birth)
        assert contact.country in countries | {""}
        assert contact.language in languages | {""}
        assert contact.time_zone in zones | {""}
        assert contact.source_id is None or 0 <= contact.source_id <= 99_999
        assert now - timedelta(days=731) <= contact.created_at <= contact.updated_at <= now
        assert contact.version == 1


def test_standard_attributes_are_filled_for_some_contacts_only(seeded):
    fields = ["first_name", "nickname", "title", "gender", "country", "language", "zip_code"]
    fields += ["time_zone", "external_id"]
    for name in fields:
        values = set(Contact.objects.values_list(name, flat=True))
        assert "" in values and len(values) > 1, name
    for name in ["date_of_birth", "source_id"]:
        values = set(Contact.objects.values_list(name, flat=True))
        assert None in values and len(values) > 1, name


def test_ids_follow_creation_time(seeded):
    created = list(Contact.objects.order_by("id").values_list("created_at", flat=True))
    assert created[0] < created[len(created) // 2] < created[-1]
    assert created[-1] - created[0] > timedelta(days=600)


def test_groups_memberships_and_test_recipients(seeded):
    assert Group.objects.count() == 20
    assert Group.objects.filter(is_test_group=True).count() == 2
    memberships = list(Membership.objects.select_related("group", "contact"))
    assert {m.status for m in memberships} == set(MembershipStatus.values)
    test_ones = [m for m in memberships if m.is_test_recipient]
    assert len(test_ones) >= 3
    for membership in memberships:
        assert membership.is_test_recipient == membership.group.is_test_group
        assert membership.contact.created_at <= membership.subscribed_at
        assert membership.subscribed_at <= membership.updated_at <= timezone.now()
    for membership in memberships[::10]:
        membership.full_clean()


def test_custom_and_member_values_are_canonical_and_valid(seeded):
    types = set(AttributeDefinition.objects.values_list("data_type", flat=True))
    assert types == set(AttributeType.values)
    assert AttributeDefinition.objects.exclude(allowed_values="").exists()
    assert MemberAttributeDefinition.objects.exists()
    values = AttributeValue.objects.select_related("definition")
    assert {v.definition.data_type for v in values} == set(AttributeType.values)
    for value in values:
        assert parse_attribute_value(value.definition, value.value) == value.value
    member_values = MemberAttributeValue.objects.select_related("definition", "membership")
    assert member_values.exists()
    for member_value in member_values:
        assert member_value.definition.group_id == member_value.membership.group_id
        definition = member_value.definition
        assert parse_attribute_value(definition, member_value.value) == member_value.value
    # Consent attributes only for contacts that have the channel.
    for value in values.filter(definition__name="SmsConsent").select_related("contact"):
        assert value.contact.mobile_number


def test_events_fit_their_contact(seeded):
    now = timezone.now()
    contacts = Contact.objects.in_bulk()
    active_groups: dict[int, set[int]] = {}
    for contact_id, group_id in Membership.objects.filter(
        status=MembershipStatus.ACTIVE
    ).values_list("contact_id", "group_id"):
        active_groups.setdefault(contact_id, set()).add(group_id)
    events = list(Event.objects.all())
    assert {e.event_type for e in events} == set(EventType.values)
    assert {e.channel for e in events} == set(EventChannel.values)
    for event in events:
        assert event.contact_id is not None
        contact = contacts[event.contact_id]
        rules = EVENT_RULES[event.event_type]
        assert event.channel in rules, (event.event_type, event.channel)
        field = rules[event.channel]
        if field is not None:
            assert event.address == getattr(contact, field)
            assert event.message_name or event.event_type == EventType.APP_OPENED
        elif event.event_type == EventType.SUBSCRIBED:
            assert event.address == contact.identifier
        if event.group_id is not None:
            assert event.group_id in active_groups[event.contact_id]
        assert max(contact.created_at, now - timedelta(days=91)) <= event.occurred_at <= now
    for event in events[::50]:
        event.full_clean()


def test_heavy_contacts_get_the_given_number_of_events_in_time_order(seeded):
    first_ids = sorted(Contact.objects.values_list("id", flat=True))[: SMALL.heavy_contacts]
    for contact_id in first_ids:
        events = Event.objects.filter(contact_id=contact_id).order_by("id")
        assert events.count() == HEAVY_EVENTS
        times = list(events.values_list("occurred_at", flat=True))
        assert times == sorted(times)
        assert Contact.objects.get(pk=contact_id).identifier_count == 3


def test_app_data_and_related_rows(seeded):
    app_data = list(AppData.objects.select_related("contact"))
    assert app_data
    for row in app_data:
        assert row.contact.app_alias
        if row.push_opt_out_at:
            assert row.push_opt_in_at is not None
            assert row.push_opt_in_at <= row.push_opt_out_at
    tables = set(RelatedRecord.objects.values_list("table_name", flat=True))
    assert tables == {"orders", "loyalty_tiers"}
    for order in RelatedRecord.objects.filter(table_name="orders"):
        assert set(order.values) >= {"order_id", "total", "currency", "ordered_at"}
        assert to_canonical(Decimal(order.values["total"])) == order.values["total"]


def test_no_row_refers_to_a_missing_row(seeded):
    # PostgreSQL may skip the foreign key triggers while seeding: check by hand.
    contact_ids = Contact.objects.values("id")
    for model in (Membership, AttributeValue, AppData, RelatedRecord, Event):
        assert not model.objects.exclude(contact_id__in=contact_ids).exists(), model
    assert not MemberAttributeValue.objects.exclude(
        membership_id__in=Membership.objects.values("id")
    ).exists()
    assert (
        not Event.objects.exclude(group=None)
        .exclude(group_id__in=Group.objects.values("id"))
        .exists()
    )


def test_foreign_keys_are_checked_again_after_seeding(seeded):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            # The fast path (no per-row checks) needs a superuser; tests run as one here.
            assert seeded.skipped_foreign_key_checks == cursor.fetchone()[0]
    missing = seeded.last_contact_id + 1000
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            contact_id=missing, event_type="sent", channel="email", occurred_at=timezone.now()
        )
        connection.check_constraints()


def test_later_inserts_get_higher_ids(seeded):
    before = Membership.objects.aggregate(Max("id"))["id__max"]
    contact = contact_create(actor=None, identifier_type="email", identifier="new@example.com")
    assert contact.pk > seeded.last_contact_id
    assert contact.pk > Contact.objects.exclude(pk=contact.pk).aggregate(Max("id"))["id__max"]
    group = Group.objects.first()
    assert group is not None
    membership = Membership.objects.create(contact=contact, group=group)
    assert membership.pk > before
    Event.objects.create(
        contact=contact, event_type="sent", channel="email", occurred_at=timezone.now()
    )


def test_a_second_run_adds_more_without_collisions(seeded):
    first_max = seeded.last_contact_id
    counts = {label: model._default_manager.count() for label, model in MODELS.items()}
    # The same seed on purpose: uniqueness must not depend on luck.
    second = seed_demo(options=SMALL)
    assert second.first_contact_id > first_max
    for label, model in MODELS.items():
        assert model._default_manager.count() == counts[label] + second.counts[label]
    assert Contact.objects.count() == 600
    assert Group.objects.count() == 20
    assert AttributeDefinition.objects.count() == len(
        set(AttributeDefinition.objects.values_list("name", flat=True))
    )
    assert MemberAttributeDefinition.objects.values("group", "name").distinct().count() == (
        MemberAttributeDefinition.objects.count()
    )


def test_demo_data_is_not_audited(seeded):
    assert not AuditEntry.objects.exists()
