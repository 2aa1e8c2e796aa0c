"""The seed_demo command and the demo seeder: realistic, valid, repeatable demo data."""

import random
import re
import zoneinfo
from datetime import timedelta
from decimal import Decimal
from io import StringIO
from math import gcd

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max
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
from contacts.roles import MARKETER, TESTER
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
from demo.catalog import group_names, money
from demo.identifiers import MOBILE_CAPACITY, MOBILE_MULTIPLIER, alias_for, mobile_for
from demo.seed import DemoOptions, SeedReport, seed_demo
from demo.writer import PostgresCopyWriter, SqliteWriter, writer_for

pytestmark = pytest.mark.django_db

HEAVY_EVENTS = 1500
# Several chunks, so that ids and rows are carried across transactions.
SMALL = DemoOptions(
    contacts=300, seed=7, chunk_size=120, heavy_contacts=2, heavy_events=HEAVY_EVENTS
)

MODELS = {
    "contacts": Contact,
    "memberships": Membership,
    "member attribute values": MemberAttributeValue,
    "custom attribute values": AttributeValue,
    "app data": AppData,
    "related rows": RelatedRecord,
    "events": Event,
}
# Event type -> the channels it may have and the contact field its address comes from.
EVENT_RULES = {
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


@pytest.fixture
def seeded() -> SeedReport:
    return seed_demo(options=SMALL)


def test_report_counts_match_the_database(seeded):
    assert Contact.objects.count() == 300
    for label, model in MODELS.items():
        assert seeded.counts[label] == model.objects.count() > 0, label
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
    for value in member_values:
        assert value.definition.group_id == value.membership.group_id
        assert parse_attribute_value(value.definition, value.value) == value.value
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
            assert row.push_opt_in_at <= row.push_opt_out_at
    tables = set(RelatedRecord.objects.values_list("table_name", flat=True))
    assert tables == {"orders", "loyalty_tiers"}
    for row in RelatedRecord.objects.filter(table_name="orders"):
        assert set(row.values) >= {"order_id", "total", "currency", "ordered_at"}
        assert to_canonical(Decimal(row.values["total"])) == row.values["total"]


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
    before = {model: model.objects.aggregate(Max("id"))["id__max"] for model in (Membership,)}
    contact = contact_create(actor=None, identifier_type="email", identifier="new@example.com")
    assert contact.pk > seeded.last_contact_id
    assert contact.pk > Contact.objects.exclude(pk=contact.pk).aggregate(Max("id"))["id__max"]
    membership = Membership.objects.create(contact=contact, group=Group.objects.first())
    assert membership.pk > before[Membership]
    Event.objects.create(
        contact=contact, event_type="sent", channel="email", occurred_at=timezone.now()
    )


def test_ids_of_deleted_contacts_are_not_reused():
    gone = contact_create(actor=None, identifier_type="email", identifier="gone@example.com")
    Contact.objects.filter(pk=gone.pk).delete()
    report = seed_demo(options=DemoOptions(contacts=5, seed=1, events_per_contact=1))
    assert report.first_contact_id > gone.pk


def test_a_second_run_adds_more_without_collisions(seeded):
    first_max = seeded.last_contact_id
    counts = {label: model.objects.count() for label, model in MODELS.items()}
    # The same seed on purpose: uniqueness must not depend on luck.
    second = seed_demo(options=SMALL)
    assert second.first_contact_id > first_max
    for label, model in MODELS.items():
        assert model.objects.count() == counts[label] + second.counts[label]
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


def test_the_same_seed_gives_the_same_people():
    def people() -> list[tuple]:
        return list(
            Contact.objects.order_by("id").values_list(
                "identifier_type", "first_name", "last_name", "gender", "date_of_birth"
            )
        )

    options = DemoOptions(contacts=40, seed=11, events_per_contact=2)
    seed_demo(options=options)
    first = people()
    Contact.objects.all().delete()
    seed_demo(options=options)
    assert people() == first


def test_existing_definitions_of_another_type_still_get_valid_values():
    AttributeDefinition.objects.create(name="lifetimevalue", data_type=AttributeType.BOOLEAN)
    AttributeDefinition.objects.create(
        name="OrderCount", data_type=AttributeType.STRING, allowed_values="few\nmany"
    )
    seed_demo(options=DemoOptions(contacts=200, seed=3, events_per_contact=0))
    values = AttributeValue.objects.filter(definition__name__in=["lifetimevalue", "OrderCount"])
    assert {v.value for v in values} <= {"true", "false", "few", "many"}
    assert {v.definition.name for v in values.select_related("definition")} == {
        "lifetimevalue",
        "OrderCount",
    }


def test_no_groups_and_no_events():
    report = seed_demo(options=DemoOptions(contacts=30, groups=0, events_per_contact=0, seed=1))
    assert report.counts["contacts"] == 30
    assert report.counts["memberships"] == report.counts["events"] == 0
    assert not Group.objects.exists()


def test_group_names():
    assert [is_test for _, is_test in group_names(20)].count(True) == 2
    assert [is_test for _, is_test in group_names(5)].count(True) == 1
    assert group_names(1) == [("Newsletter Germany", False)]
    names = [name.lower() for name, _ in group_names(60)]
    assert len(names) == len(set(names)) == 60


def test_options_are_checked():
    with pytest.raises(ValueError, match="Heavy"):
        DemoOptions(contacts=2, heavy_contacts=3)
    with pytest.raises(ValueError, match="negative"):
        DemoOptions(events_per_contact=-1)


def test_mobile_numbers_are_valid_and_distinct():
    assert gcd(MOBILE_MULTIPLIER, MOBILE_CAPACITY) == 1
    numbers = [mobile_for(contact_id) for contact_id in range(1, 20_001)]
    assert len(set(numbers)) == len(numbers)
    rng = random.Random(5)
    sample = numbers[:500] + [mobile_for(rng.randrange(1, MOBILE_CAPACITY)) for _ in range(500)]
    sample.append(mobile_for(MOBILE_CAPACITY - 1))
    for number in sample:
        assert normalize_mobile(number) == number
        assert len(number) <= Contact._meta.get_field("mobile_number").max_length
    with pytest.raises(ValueError):
        mobile_for(MOBILE_CAPACITY)


def test_app_aliases_are_distinct_even_with_the_same_random_state():
    aliases = {alias_for(contact_id, random.Random(1)).lower() for contact_id in range(1, 20_001)}
    assert len(aliases) == 20_000


def test_money_is_canonical():
    rng = random.Random(2)
    for _ in range(2000):
        text = money(rng)
        assert to_canonical(Decimal(text)) == text


def test_writer_matches_the_database():
    writer = writer_for(connection)
    expected = PostgresCopyWriter if connection.vendor == "postgresql" else SqliteWriter
    assert isinstance(writer, expected)


def test_command_prints_a_summary_and_creates_demo_logins_once():
    out = StringIO()
    call_command("seed_demo", "--contacts", "40", "--seed", "3", stdout=out)
    text = out.getvalue()
    assert "Demo data added" in text
    assert re.search(r"contacts\s+40 rows", text)
    assert re.search(r"events\s+[\d,]+ rows", text)
    User = get_user_model()
    passwords = dict(re.findall(r"Created demo login (\w+) .*password: (\S+)", text))
    assert set(passwords) == {"marketer", "tester"}
    for username, role in (("marketer", MARKETER), ("tester", TESTER)):
        user = User.objects.get(username=username)
        assert user.check_password(passwords[username])
        assert list(user.groups.values_list("name", flat=True)) == [role]

    out = StringIO()
    call_command("seed_demo", "--contacts", "10", stdout=out)
    assert "password" not in out.getvalue()
    assert out.getvalue().count("exists already") == 2
    assert Contact.objects.count() == 50


def test_command_without_users_and_with_bad_arguments():
    call_command("seed_demo", "--contacts", "5", "--no-users", "-v", "0", stdout=StringIO())
    assert not get_user_model().objects.exists()
    with pytest.raises(CommandError, match="Heavy"):
        call_command("seed_demo", "--contacts", "2", "--heavy-contacts", "3", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("seed_demo", "--contacts", "-1", stdout=StringIO())


@pytest.mark.postgres
def test_postgres_does_not_silence_triggers_of_its_own():
    """PostgreSQL only: how foreign key checks are skipped there."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION seed_test_mark() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN NEW.table_name := 'marked'; RETURN NEW; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER seed_test_mark BEFORE INSERT ON contacts_relatedrecord "
            "FOR EACH ROW EXECUTE FUNCTION seed_test_mark()"
        )
    report = seed_demo(options=DemoOptions(contacts=50, seed=1, events_per_contact=1))
    assert not report.skipped_foreign_key_checks
    assert set(RelatedRecord.objects.values_list("table_name", flat=True)) == {"marked"}
