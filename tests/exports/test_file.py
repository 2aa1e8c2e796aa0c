import csv
import datetime as dt
import io
import re
import tracemalloc

import pytest
from django.db import connection
from django.utils import timezone

from contacts.models import Contact, Event
from exports import builders, event_csv
from exports.csvfile import CsvSink, cell
from exports.models import ExportStatus
from exports.services import export_list_request, export_request
from tests.exports.conftest import download_rows
from tests.factories import AttributeValueFactory, ContactFactory, EventFactory, GroupFactory
from tests.personal_data import SECRETS

pytestmark = pytest.mark.django_db

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")


def _facts(rows):
    return {(r[0], r[1]): r for r in rows[1:]}


def test_contact_export_holds_everything(marketer, marketer_client, distinctive_contact, run_job):
    old = EventFactory(
        contact=distinctive_contact,
        message_name="Ancient mailing",
        occurred_at=timezone.now() - dt.timedelta(days=400),
    )
    job = export_request(actor=marketer, contact_id=distinctive_contact.pk)
    assert run_job(job) == "ready"
    assert job.status == ExportStatus.READY
    rows = download_rows(marketer_client, job)
    facts = _facts(rows)
    assert rows[0] == builders.CONTACT_HEADER
    assert facts[("Contact", "user.UserId")][2] == str(distinctive_contact.pk)
    assert facts[("Contact", "user.Identifier")][2] == SECRETS["external_id"]
    email = facts[("Channel address", "user.Email")]
    assert (email[2], email[3], email[6]) == (SECRETS["email"], "Active", "Email")
    assert facts[("Channel address", "user.MobileNumber")][2] == "'" + SECRETS["mobile"]
    assert facts[("Channel address", "user.FaxNumber")][2] == SECRETS["alias"]
    assert facts[("Attribute", "user.FirstName")][2] == SECRETS["first_name"]
    assert facts[("Attribute", "user.DateOfBirth")][2] == SECRETS["date_of_birth"]
    assert facts[("Custom attribute", "user.CustomAttribute.Score")][2] == "31337.25"
    member = facts[("Member attribute", "user.MemberAttribute.Store")]
    assert (member[2], member[4]) == (SECRETS["member"], "Spring news")
    assert facts[("Membership", "Membership")][3] == "Active"
    assert SECRETS["related"] in facts[("Related data", "orders")][2]
    assert ISO.match(facts[("Mobile app", "Last app open")][5])
    events = [r for r in rows if r[0] == "Event"]
    assert len(events) == distinctive_contact.events.count()
    assert any(r[7] == "Ancient mailing" for r in events), "every event, not only 30 days"
    assert all(ISO.match(r[5]) for r in events)
    assert events[-1][7] == old.message_name  # newest first, the oldest last
    assert {r[6] for r in events} >= {"Email", "SMS", "Push"}


def test_file_is_rfc4180_with_crlf(marketer, marketer_client, run_job):
    contact = ContactFactory(first_name='Anna "the, first"\nline two')
    job = export_request(actor=marketer, contact_id=contact.pk)
    run_job(job)
    raw = b"".join(marketer_client.get(f"/exports/{job.token}/download/").streaming_content)
    assert raw.count(b"\r\n") >= 5
    assert b'"Anna ""the, first""\nline two"' in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert _facts(rows)[("Attribute", "user.FirstName")][2] == 'Anna "the, first"\nline two'


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+49", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(1)", "\n=1+1", "\nx"]
    + [" =1+1", "   +49", " -2", " @SUM(A1)"],
)
def test_formulas_are_neutralised_but_readable(value):
    assert cell(value) == "'" + value


@pytest.mark.parametrize("value", ["plain =1+1", " plain", "   ", "a\n=1", "'=quoted"])
def test_other_values_stay_as_they_are(value):
    assert cell(value) == value


def test_formula_in_a_name_reaches_the_file_neutralised(marketer, marketer_client, run_job):
    contact = ContactFactory(last_name="=cmd|' /C calc'!A0")
    job = export_request(actor=marketer, contact_id=contact.pk)
    run_job(job)
    rows = download_rows(marketer_client, job)
    assert _facts(rows)[("Attribute", "user.LastName")][2] == "'=cmd|' /C calc'!A0"


@pytest.mark.slow  # 21,000 events written and read twice
def test_memory_stays_flat_however_many_events(monkeypatch):
    monkeypatch.setattr(event_csv, "BATCH", 500)
    few, many = ContactFactory(), ContactFactory()
    for contact, count in ((few, 1_000), (many, 20_000)):
        Event.objects.bulk_create(
            Event(
                contact=contact,
                event_type="sent",
                channel="email",
                message_name=f"m{i}",
                occurred_at=timezone.now(),
                address=contact.email or "",
            )
            for i in range(count)
        )

    class Discard:
        def write(self, data):
            pass

    def peak(contact: Contact) -> int:
        tracemalloc.start()
        builders.write_contact(CsvSink(Discard()), contact, lambda rows: None)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    peak(few)  # warm caches
    assert peak(many) < peak(few) * 1.5


@pytest.mark.postgres
def test_postgresql_formats_the_same_csv_as_python():
    assert connection.vendor == "postgresql"
    contact = ContactFactory()
    group = GroupFactory(name='News, "weekly"')
    at = timezone.now()
    awkward = ["=x", "+49", "-1", "@a", "\tt", "\rr", 'a "b", c', "two\nlines", "", "plain"]
    awkward += ["\nn", " =s", "   +2", " @a", " -", " plain", "  ", "\n"]
    # Around the first character's code that PostgreSQL tests: "@" is the highest risky one.
    awkward += ["@", "?x", "A=1", "'=q", "9=1", "€=1", "Ünï", " €"]
    # Shared timestamps: the keyset must neither skip nor repeat.
    for i in range(2 * len(awkward)):
        EventFactory(
            contact=contact,
            occurred_at=at - dt.timedelta(seconds=i // 5),
            address=awkward[i % len(awkward)],
            message_name=awkward[(i + 3) % len(awkward)],
            group=group if i % 2 else None,
            event_type=["sent", "opened", "push_opened"][i % 3],
        )
    fast = list(event_csv._postgresql(contact.pk, 7))
    slow = list(event_csv._orm(contact.pk, 7))
    assert b"".join(data for data, _ in fast) == b"".join(data for data, _ in slow)
    assert sum(count for _text, count in fast) == 2 * len(awkward)
    text = b"".join(data for data, _ in fast).decode()
    addresses = {row[8] for row in csv.reader(io.StringIO(text, newline=""))}
    assert {"'\nn", "' =s", "'   +2", " plain", "'=x"} <= addresses


@pytest.mark.parametrize("batch", [1, 7, 100])
def test_events_page_through_batches(batch):
    contact = ContactFactory()
    at = timezone.now()
    for i in range(30):
        EventFactory(
            contact=contact, occurred_at=at - dt.timedelta(seconds=i // 4), message_name=f"n{i:02d}"
        )
    chunks = [data for data, _count in event_csv.event_csv(contact.pk, batch=batch)]
    text = b"".join(chunks).decode()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert sorted(r[7] for r in rows) == [f"n{i:02d}" for i in range(30)]


def test_list_export_holds_exactly_the_filtered_contacts(marketer, marketer_client, run_job):
    wanted = [ContactFactory(last_name="Wanted") for _ in range(3)]
    ContactFactory(last_name="Other")
    value = AttributeValueFactory(contact=wanted[0], value="=danger")
    later = ContactFactory(last_name="Wanted")  # created after the user looked
    job = export_list_request(
        actor=marketer, filter_query="name=Wanted", max_contact_id=wanted[-1].pk
    )
    run_job(job)
    rows = download_rows(marketer_client, job)
    header, body = rows[0], rows[1:]
    assert header[:3] == ["user.UserId", "Identifier type", "user.Email"]
    assert f"user.CustomAttribute.{value.definition.name}" in header
    assert [int(r[0]) for r in body] == [c.pk for c in wanted]
    assert str(later.pk) not in {r[0] for r in body}
    column = header.index(f"user.CustomAttribute.{value.definition.name}")
    assert body[0][column] == "'=danger"
