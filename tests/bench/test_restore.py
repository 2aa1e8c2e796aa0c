"""The contacts the bench seeds to replace what a run removed are created now, as new
contacts are: a contact dated in the past with a new id would widen the id range of every
created range that holds its date (contacts.created_range)."""

import datetime as dt

import pytest
from django.utils import timezone

from bench.dataset import restore
from contacts.models import Contact
from tests.bench.datasets import dataset
from tests.factories import ContactFactory


@pytest.mark.django_db
def test_replacements_and_the_next_contact_to_anonymize_are_created_now():
    ContactFactory.create_batch(2)
    # anonymize_id 0: the run anonymized it, a new one is seeded
    marker = dataset(contacts=5, heavy_events=3)
    started = timezone.now()
    assert restore(marker, salt=1) == 3
    assert Contact.objects.count() == 5
    new = Contact.objects.order_by("-id")[:3]
    assert marker.anonymize_id in {contact.pk for contact in new}
    assert all(contact.created_at >= started - dt.timedelta(seconds=1) for contact in new)
