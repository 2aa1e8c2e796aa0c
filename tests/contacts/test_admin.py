import re

import pytest
from django.apps import apps

from tests.factories import (
    AttributeValueFactory,
    ContactFactory,
    EventFactory,
    MembershipFactory,
    MobileContactFactory,
    RelatedRecordFactory,
)

pytestmark = pytest.mark.django_db


def test_admin_search_uses_the_list_search(admin_client_role):
    anna = ContactFactory(email="anna.berg@example.com", last_name="Berg")
    bob = MobileContactFactory(mobile_number="+491711234567")
    other = ContactFactory(email="zed@example.org", last_name="Zulu")
    cases = {
        "anna.berg@": anna,
        str(bob.pk): bob,
        "+49 171 1234567": bob,
        "zul": other,
    }
    for term, expected in cases.items():
        page = admin_client_role.get("/admin/contacts/contact/", {"q": term}).content.decode()
        assert f"/contacts/{expected.pk}/" in page, term
        for contact in {anna, bob, other} - {expected}:
            assert f"/contacts/{contact.pk}/" not in page, (term, contact.pk)


@pytest.mark.parametrize(
    "path", ["contact", "event", "membership", "attributevalue", "relatedrecord"]
)
def test_admin_lists_open(admin_client_role, path):
    event = EventFactory()
    MembershipFactory(contact=event.contact)
    AttributeValueFactory(contact=event.contact)
    RelatedRecordFactory(contact=event.contact)
    response = admin_client_role.get(f"/admin/contacts/{path}/")
    assert response.status_code == 200
    page = response.content.decode()
    name = apps.get_model("contacts", path)._meta.verbose_name
    assert re.search(rf'class="paginator">\s*1 {name}\s*<', page), name
    rows = re.search(r'<table id="result_list">.*?<tbody>(.*?)</tbody>', page, re.DOTALL)
    assert rows and rows.group(1).count("<tr") == 1


def test_admin_contact_pages_have_no_edit_form(admin_client_role):
    contact = ContactFactory()
    page = admin_client_role.get(f"/admin/contacts/contact/{contact.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    assert (
        f"/contacts/{contact.pk}/"
        in admin_client_role.get("/admin/contacts/contact/").content.decode()
    )


def test_deep_admin_pages_show_the_same_rows(admin_client_role, monkeypatch):
    from core.admin import EstimatedCountPaginator

    ContactFactory.create_batch(120)

    def page_ids(page: int) -> list[str]:
        html = admin_client_role.get("/admin/contacts/contact/", {"p": page}).content.decode()
        return re.findall(r'href="/contacts/(\d+)/"', html)

    plain = [page_ids(n) for n in (1, 2, 3)]
    monkeypatch.setattr(EstimatedCountPaginator, "DEFERRED_JOIN_AFTER", 1)
    assert [page_ids(n) for n in (1, 2, 3)] == plain
    assert len(plain[1]) == 50 and len(plain[2]) == 20
