"""The bench's REST API cases run and time what they say (the figures: make bench)."""

import datetime as dt

import pytest

from bench import api as api_bench
from bench.dataset import Samples
from bench.timing import Plan
from contacts.models import Contact
from tests.factories import ContactFactory, GroupFactory

pytestmark = pytest.mark.django_db


def test_the_api_cases_measure_without_errors(marketer, settings, monkeypatch):
    settings.API_PAGE_SIZE = 2
    monkeypatch.setattr(api_bench, "CURSOR_PAGE", 2)
    monkeypatch.setattr(api_bench, "BULK_ROWS", 10)
    ContactFactory.create_batch(6)
    contact = ContactFactory(email="sample@example.com")
    group = GroupFactory()
    samples = Samples(
        contact_id=contact.pk,
        email="sample@example.com",
        email_prefix="sampl",
        email_beginning="sample",
        domain="example.com",
        idn_domain="",
        mobile="",
        alias="",
        name_part="",
        last_name="",
        group_id=group.pk,
        group_name=group.name,
        created_from=dt.date(2020, 1, 1),
        created_to=dt.date(2030, 1, 1),
    )
    results = api_bench.run(marketer, samples, Plan(requests=3, warmup=1))
    assert [r.error for r in results] == ["", "", "", "", ""]
    assert all(len(r.samples_ms) == 3 for r in results)
    # What the cases wrote is gone again: the next run reuses the dataset as seeded.
    assert Contact.objects.count() == 7
    contact.refresh_from_db()
    assert contact.nickname == "" and contact.version > 5
