"""The All Contacts export, imported into an empty database, exports the same rows again."""

import csv
import io
from datetime import date

import pytest

from contacts.models import AttributeType, Contact, MembershipStatus
from contacts.services import contacts_delete
from exports.builders import write_contact_list
from exports.csvfile import CsvSink
from imports.models import ImportStatus
from tests.factories import (
    AliasContactFactory,
    AttributeDefinitionFactory,
    AttributeValueFactory,
    ContactFactory,
    GroupFactory,
    MembershipFactory,
    MobileContactFactory,
)
from tests.imports.engine import import_text

pytestmark = pytest.mark.django_db

# Columns the database gives: a new import gets new ones.
NOT_COMPARED = ("user.UserId", "Created")


def export_all() -> str:
    buffer = io.BytesIO()
    write_contact_list(CsvSink(buffer), "", None, lambda rows: None)
    return buffer.getvalue().decode("utf-8")


def comparable(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    keep = [i for i, name in enumerate(rows[0]) if name not in NOT_COMPARED]
    return sorted([row[i] for i in keep] for row in rows)


def _database() -> None:
    newsletter = GroupFactory(name="Newsletter")
    vip = GroupFactory(name='VIP; "gold", (test)')
    points = AttributeDefinitionFactory(name="Points", data_type=AttributeType.NUMBER)
    since = AttributeDefinitionFactory(name="Since", data_type=AttributeType.DATE)
    opted = AttributeDefinitionFactory(name="Opted", data_type=AttributeType.BOOLEAN)
    note = AttributeDefinitionFactory(name="Note", data_type=AttributeType.STRING)
    # A name with a space and a non-ASCII letter: "user.CustomAttribute.Lieblings Größe".
    spaced = AttributeDefinitionFactory(name="Lieblings Größe", data_type=AttributeType.STRING)

    full = ContactFactory(
        email="anna@example.com",
        email_status="bounced",
        mobile_number="+491711234567",
        mobile_status="opted_out",
        app_alias="anna-app",
        external_id="CRM-1",
        first_name="Anna",
        last_name="Muster",
        nickname="Annie",
        title="ms",
        gender="female",
        date_of_birth=date(1990, 5, 17),
        country="DE",
        language="de",
        zip_code="10115",
        time_zone="Europe/Berlin",
        source_id=42,
    )
    AttributeValueFactory(contact=full, definition=points, value="12.5")
    AttributeValueFactory(contact=full, definition=since, value="2020-01-31")
    AttributeValueFactory(contact=full, definition=opted, value="true")
    AttributeValueFactory(contact=full, definition=note, value='=HYPERLINK("x")')
    AttributeValueFactory(contact=full, definition=spaced, value="XL")
    MembershipFactory(contact=full, group=newsletter)
    MembershipFactory(contact=full, group=vip, status=MembershipStatus.DEACTIVATED)

    tricky = ContactFactory(
        email="zoe@xn--bcher-kva.example",
        first_name="=1+1",
        last_name="+cmd|' /C calc'!A0",
        nickname='Zoë "🙂", "quoted"',
        title="",
        gender="",
    )
    MembershipFactory(contact=tricky, group=vip, status=MembershipStatus.PENDING)
    # A name is one line; a note may break lines, and the file quotes the break.
    AttributeValueFactory(contact=tricky, definition=note, value="-minus, @at\nline break")
    MobileContactFactory(mobile_number="+447911123456", first_name="Mo", last_name="Bile")
    AliasContactFactory(app_alias="only-an-alias", first_name="", last_name="")


def test_export_import_export_gives_the_same_rows(marketer):
    _database()
    before = export_all()
    contacts_delete(actor=None, contacts=Contact.objects.all())
    assert not Contact.objects.exists()

    # Each contact is created by the pass that matches on an identifier it has.
    jobs = [import_text(marketer, before, match_on=key) for key in ("email", "mobile_number")]
    jobs.append(import_text(marketer, before, match_on="app_alias"))
    assert all(job.status == ImportStatus.DONE for job in jobs)
    assert [job.created for job in jobs] == [2, 1, 1]
    assert sum(job.updated for job in jobs) == 0

    after = export_all()
    assert comparable(after) == comparable(before)
