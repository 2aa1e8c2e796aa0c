"""The seed_demo command and the demo seeder: realistic, valid, repeatable demo data."""

import random
import re
from decimal import Decimal
from io import StringIO
from math import gcd

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from contacts.attributes import to_canonical
from contacts.models import (
    AttributeDefinition,
    AttributeType,
    AttributeValue,
    Contact,
    Group,
    RelatedRecord,
)
from contacts.roles import MARKETER, TESTER
from contacts.services import contact_create
from contacts.validation import normalize_mobile
from demo.catalog import group_names, money
from demo.identifiers import MOBILE_CAPACITY, MOBILE_MULTIPLIER, alias_for, mobile_for
from demo.seed import DemoOptions, seed_demo
from demo.writer import PostgresCopyWriter, SqliteWriter, writer_for

pytestmark = pytest.mark.django_db


def test_ids_of_deleted_contacts_are_not_reused():
    gone = contact_create(actor=None, identifier_type="email", identifier="gone@example.com")
    Contact.objects.filter(pk=gone.pk).delete()
    report = seed_demo(options=DemoOptions(contacts=5, seed=1, events_per_contact=1))
    assert report.first_contact_id is not None
    assert report.first_contact_id > gone.pk


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


MOBILE_MAX_LENGTH = Contact._meta.get_field("mobile_number").max_length or 0


def test_mobile_numbers_are_valid_and_distinct():
    assert gcd(MOBILE_MULTIPLIER, MOBILE_CAPACITY) == 1
    numbers = [mobile_for(contact_id) for contact_id in range(1, 20_001)]
    assert len(set(numbers)) == len(numbers)
    rng = random.Random(5)
    sample = numbers[:500] + [mobile_for(rng.randrange(1, MOBILE_CAPACITY)) for _ in range(500)]
    sample.append(mobile_for(MOBILE_CAPACITY - 1))
    for number in sample:
        assert normalize_mobile(number) == number
        assert len(number) <= MOBILE_MAX_LENGTH
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
