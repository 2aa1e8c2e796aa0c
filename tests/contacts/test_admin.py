import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def _listed(client, **params) -> list[int]:
    html = client.get("/admin/contacts/contact/", params).content.decode()
    return [int(pk) for pk in re.findall(r'href="/contacts/(\d+)/"', html)]


def test_admin_sorts_break_ties_by_id_in_the_same_direction(admin_client_role):
    """ "first name, id" in either direction: the order an index (first_name, id) has."""
    anns = [ContactFactory(first_name="Ann").pk for _ in range(3)]
    bob = ContactFactory(first_name="Bob").pk
    assert _listed(admin_client_role, o="5") == [*anns, bob]
    assert _listed(admin_client_role, o="-5") == [bob, *reversed(anns)]


def test_admin_sorts_email_as_the_list_does_ignoring_case(admin_client_role):
    zed = ContactFactory(email="Zed@example.com").pk
    anna = ContactFactory(email="anna@example.com").pk
    bea = ContactFactory(email="BEA@example.com").pk
    assert _listed(admin_client_role, o="3") == [anna, bea, zed]
    assert _listed(admin_client_role, o="-3") == [zed, bea, anna]


def test_admin_pages_only_the_first_rows_of_an_order(admin_client_role, monkeypatch):
    """A bounded list: a page number past the last page shows the last page, and the
    page says how to reach the other rows."""
    from core.admin import EstimatedCountPaginator

    monkeypatch.setattr(EstimatedCountPaginator, "MAX_ROWS", 100)
    ids = sorted((c.pk for c in ContactFactory.create_batch(130)), reverse=True)
    assert _listed(admin_client_role, p=2) == ids[50:100]
    assert _listed(admin_client_role, p=3) == ids[50:100]
    assert _listed(admin_client_role, p=999) == ids[50:100]
    page = admin_client_role.get("/admin/contacts/contact/", {"p": 3}).content.decode()
    assert "The pages show the first 2 pages of this order" in page
    assert "sort the other way round, filter or search" in page
    # Sorted the other way round, the oldest rows come first.
    assert _listed(admin_client_role, o="1")[:50] == sorted(ids)[:50]
    monkeypatch.setattr(EstimatedCountPaginator, "MAX_ROWS", 1000)
    small = admin_client_role.get("/admin/contacts/contact/", {"p": 3}).content.decode()
    assert "The pages show the first" not in small
    assert _listed(admin_client_role, p=3) == ids[100:]


def test_a_capped_admin_search_says_more_than_and_pages_that_many(admin_client_role, monkeypatch):
    """A search counts to a lower cap than the whole list; past it, every text that shows
    the count says "more than", and only the rows up to the cap are paged (as the note
    says)."""
    from core import admin as core_admin

    monkeypatch.setattr(core_admin, "PLAIN_COUNT_CAP", 60)
    ids = sorted((c.pk for c in ContactFactory.create_batch(61, last_name="Schmidt")), reverse=True)
    other = ContactFactory(last_name="Berg").pk
    page = admin_client_role.get("/admin/contacts/contact/", {"q": "sc"}).content.decode()
    assert re.search(r'class="paginator">.*?more than 60 contacts\s*<', page, re.DOTALL)
    assert "more than 60 results" in page  # beside the search box
    assert "Select all more than 60 contacts" in page
    assert "The pages show the first 2 pages of this order" in page
    assert _listed(admin_client_role, q="sc") == ids[:50]
    assert _listed(admin_client_role, q="sc", p=2) == ids[50:60]
    assert _listed(admin_client_role, q="sc", p=3) == ids[50:60]
    assert other not in _listed(admin_client_role, q="sc")

    monkeypatch.setattr(core_admin, "PLAIN_COUNT_CAP", 61)
    page = admin_client_role.get("/admin/contacts/contact/", {"q": "sc"}).content.decode()
    assert re.search(r'class="paginator">.*?61 contacts\s*<', page, re.DOTALL)
    assert "more than" not in page
    assert "The pages show the first" not in page
    assert _listed(admin_client_role, q="sc", p=2) == ids[50:]


def test_the_admin_search_counts_to_one_thousand_and_the_list_to_ten(admin_client_role):
    from core.admin import EstimatedCountPaginator
    from core.counts import COUNT_CAP, PLAIN_COUNT_CAP

    assert (PLAIN_COUNT_CAP, COUNT_CAP) == (1_000, 10_000)
    assert EstimatedCountPaginator.count_cap == COUNT_CAP
    ContactFactory(last_name="Schmidt")
    response = admin_client_role.get("/admin/contacts/contact/", {"q": "sc"})
    assert response.context["cl"].paginator.count_cap == PLAIN_COUNT_CAP
    filtered = {"identifier_type__exact": "email"}
    response = admin_client_role.get("/admin/contacts/contact/", filtered)
    assert response.context["cl"].paginator.count_cap == COUNT_CAP


def _count_sql(client, url: str, term: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"q": term}).status_code == 200
    counts = [q["sql"] for q in queries if "UNION ALL" in q["sql"] and "count(" in q["sql"].lower()]
    # What is counted (the list's count also lists the ids it counts).
    return [re.sub(r"^.*?FROM \(", "", sql, count=1) for sql in counts]


@pytest.mark.parametrize("term", ["sc", "sch"])
def test_the_admin_counts_a_search_as_the_list_does(admin_client_role, term):
    """The parts of a search are counted among the rows before the search: the same query
    as the list's, not one in which every part tests the whole search again."""
    ContactFactory.create_batch(3, last_name="Schmidt")
    admin_counts = _count_sql(admin_client_role, "/admin/contacts/contact/", term)
    list_counts = _count_sql(admin_client_role, "/contacts/", term)
    assert admin_counts and admin_counts == list_counts


def test_an_admin_search_is_counted_among_the_filtered_rows(admin_client_role):
    for _ in range(2):
        MobileContactFactory(last_name="Schmidt")
    ContactFactory.create_batch(3, last_name="Schmidt")
    ContactFactory(last_name="Berg")
    MobileContactFactory(last_name="Berg")
    params = {"q": "sch", "identifier_type__exact": "mobile"}
    page = admin_client_role.get("/admin/contacts/contact/", params).content.decode()
    assert re.search(r'class="paginator">\s*2 contacts\s*<', page), page
    assert len(_listed(admin_client_role, **params)) == 2
