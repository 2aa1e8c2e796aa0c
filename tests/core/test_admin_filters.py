"""The admin's filter by a column's values, read by skipping through its index."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import RelatedRecord
from core.admin_filters import distinct_values
from tests.factories import RelatedRecordFactory

pytestmark = pytest.mark.django_db


def test_the_distinct_values_in_order_and_at_most_the_limit():
    for name in ["orders", "loyalty", "orders", "bookings", "loyalty", "orders"]:
        RelatedRecordFactory(table_name=name)
    assert distinct_values(RelatedRecord, "table_name") == ["bookings", "loyalty", "orders"]
    assert distinct_values(RelatedRecord, "table_name", limit=2) == ["bookings", "loyalty"]
    RelatedRecord.objects.all().delete()
    assert distinct_values(RelatedRecord, "table_name") == []


def test_the_related_data_list_filters_by_every_table_name(admin_client_role):
    orders = RelatedRecordFactory(table_name="orders")
    tiers = RelatedRecordFactory(table_name="loyalty_tiers")
    url = "/admin/contacts/relatedrecord/"
    with CaptureQueriesContext(connection) as queries:
        page = admin_client_role.get(url).content.decode()
    assert 'href="?table_name=loyalty_tiers"' in page and 'href="?table_name=orders"' in page
    assert not any("DISTINCT" in q["sql"].upper() for q in queries)
    listed = admin_client_role.get(url, {"table_name": "orders"}).context["cl"].result_list
    assert [row.pk for row in listed] == [orders.pk]
    assert tiers.pk not in [row.pk for row in listed]
