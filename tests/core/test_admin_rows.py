"""The read-only admin lists render their rows in core.admin_rows: the markup must be what
Django's own rendering makes, on every list, with filters, sorts and a popup."""

import datetime as dt
import re

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm

from contacts.models import Contact
from core.admin import ReadOnlyAdmin
from core.models import AuditEntry, Notification
from tests.factories import (
    AppDataFactory,
    AttributeValueFactory,
    ContactFactory,
    EventFactory,
    MembershipFactory,
    MobileContactFactory,
    RelatedRecordFactory,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "/admin/contacts/contact/",
    "/admin/contacts/contact/?o=3&p=2",
    "/admin/contacts/contact/?o=-7.2",
    "/admin/contacts/contact/?identifier_type__exact=email&q=example",
    "/admin/contacts/contact/?_popup=1&_to_field=id",
    "/admin/contacts/event/",
    "/admin/contacts/membership/?o=2",
    "/admin/contacts/attributevalue/",
    "/admin/contacts/appdata/",
    "/admin/contacts/relatedrecord/",
    "/admin/core/auditentry/",
    "/admin/core/notification/",
]


@pytest.fixture
def rows():
    ContactFactory.create_batch(55)
    ContactFactory(email='o"brien&co@example.com', first_name="<b>Ann</b>", last_name=" ")
    MobileContactFactory(first_name="")
    contact = ContactFactory()
    EventFactory(contact=contact)
    MembershipFactory(contact=contact)
    AttributeValueFactory(contact=contact)
    AppDataFactory(contact=contact)
    RelatedRecordFactory(contact=contact)
    AuditEntry.objects.create(action="contact.update", contact_id=contact.pk)
    Notification.objects.create(kind="export_ready", object_id=1, recipient=None)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@pytest.mark.parametrize("url", PAGES)
def test_the_rows_are_django_s_markup(admin_client_role, rows, monkeypatch, url):
    fast = _page(admin_client_role, url)
    monkeypatch.setattr(ReadOnlyAdmin, "change_list_template", None)
    monkeypatch.setattr(ReadOnlyAdmin, "action_checkbox", admin.ModelAdmin.action_checkbox)
    monkeypatch.setattr(ReadOnlyAdmin, "action_form", ActionForm)
    stock = _page(admin_client_role, url)
    assert '<table id="result_list">' in fast
    assert fast == stock


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/St_Johns", "Asia/Kolkata"])
def test_the_times_are_django_s_in_any_time_zone(admin_client_role, monkeypatch, settings, zone):
    settings.TIME_ZONE = zone
    summer, winter = ContactFactory(), ContactFactory()
    Contact.objects.filter(pk=summer.pk).update(
        created_at=dt.datetime(2025, 7, 1, 23, 59, tzinfo=dt.UTC)
    )
    Contact.objects.filter(pk=winter.pk).update(
        created_at=dt.datetime(999, 1, 2, 3, 4, tzinfo=dt.UTC)
    )
    fast = _page(admin_client_role, "/admin/contacts/contact/")
    monkeypatch.setattr(ReadOnlyAdmin, "change_list_template", None)
    stock = _page(admin_client_role, "/admin/contacts/contact/")
    assert fast == stock
    assert "0999-01-02" in fast or "0999-01-01" in fast


@pytest.mark.parametrize("url", ["/admin/contacts/contact/", "/admin/contacts/appdata/"])
def test_the_list_renders_its_rows_in_core(admin_client_role, rows, monkeypatch, url):
    """The comparison above compares two renderings, not one with itself. The mobile app
    data's key is its contact (a one-to-one key to an integer): its rows were rendered by
    Django, 3x the time of the other lists."""
    import core.admin_rows

    calls = []
    real = core.admin_rows._columns

    def counted(cl):
        calls.append(cl)
        return real(cl)

    monkeypatch.setattr(core.admin_rows, "_columns", counted)
    _page(admin_client_role, url)
    assert len(calls) == 1


def test_the_contact_list_queries_do_not_grow_with_its_rows(
    admin_client_role, django_assert_num_queries
):
    ContactFactory.create_batch(2)
    for more in (0, 60):
        ContactFactory.create_batch(more)
        # The session, the user, the permissions, the count and the rows (the admin is
        # opened by a permission, read with the others: the role by name took 3 more).
        with django_assert_num_queries(5):
            admin_client_role.get("/admin/contacts/contact/")


def test_the_ids_are_django_s_with_thousand_separators(admin_client_role, monkeypatch, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    ContactFactory.create_batch(2)
    ContactFactory(id=1234567)
    fast = _page(admin_client_role, "/admin/contacts/contact/")
    monkeypatch.setattr(ReadOnlyAdmin, "change_list_template", None)
    stock = _page(admin_client_role, "/admin/contacts/contact/")
    assert fast == stock
    assert ">1,234,567</a>" in fast
