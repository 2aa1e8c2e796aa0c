"""The contacts the bench seeds to replace what a run removed are created now, as new
contacts are: a contact dated in the past with a new id would widen the id range of every
created range that holds its date (contacts.created_range)."""

import datetime as dt

import pytest
from django.utils import timezone

from bench.dataset import Dataset, restore
from contacts.models import Contact
from tests.factories import ContactFactory


@pytest.mark.django_db
def test_replacements_and_the_next_contact_to_anonymize_are_created_now():
    ContactFactory.create_batch(2)
    dataset = Dataset(
        contacts=5,
        heavy_events=3,
        export_events=0,
        seed=1,
        profile_id=0,
        spare_id=0,
        anonymize_id=0,  # anonymized by the run: a new one is seeded
        export_id=0,
        seeded_at="",
        seed_seconds=0.0,
    )
    started = timezone.now()
    assert restore(dataset, salt=1) == 3
    assert Contact.objects.count() == 5
    new = Contact.objects.order_by("-id")[:3]
    assert dataset.anonymize_id in {contact.pk for contact in new}
    assert all(contact.created_at >= started - dt.timedelta(seconds=1) for contact in new)
