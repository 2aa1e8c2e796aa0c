import base64
import datetime as dt
import html
import re
from urllib.parse import unquote

import django_filters
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contacts.filters import SORTS, ContactFilter
from contacts.models import Contact
from tests.factories import (
    AliasContactFactory,
    ContactFactory,
    GroupFactory,
    MembershipFactory,
    MobileContactFactory,
)

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    return [int(i) for i in re.findall(r'name="ids" value="(\d+)"', response.content.decode())]


def test_empty_state(marketer_client):
    page = marketer_client.get("/contacts/").content.decode()
    assert "No contacts yet" in page
    assert "Create a contact" in page


def test_no_match_state(marketer_client):
    ContactFactory()
    page = marketer_client.get("/contacts/?q=nobody-like-this").content.decode()
    assert "No contacts match this search" in page


@pytest.mark.parametrize(
    ("params", "filtered_by"),
    [
        ({"group": "{empty}"}, "Group"),
        ({"created_from": "2001-01-01", "created_to": "2001-01-31"}, "Created from, Created to"),
        ({"group": "{club}", "identifier_type": "mobile"}, "Identifier type, Group"),
    ],
)
def test_no_match_of_filters_alone_suggests_widening_them_not_the_spelling(
    marketer_client, params, filtered_by
):
    empty, club = GroupFactory(name="Nobody in it"), GroupFactory(name="Club")
    MembershipFactory(group=club, contact=ContactFactory())  # identified by email
    params = {key: value.format(empty=empty.pk, club=club.pk) for key, value in params.items()}
    page = marketer_client.get("/contacts/", params).content.decode()
    assert "No contacts match these filters" in page
    assert 'data-announce="No contacts match these filters"' in page
    assert f"Filtered by {filtered_by}. Widen the filters" in page
    assert "spelling" not in page and "this search" not in page


def test_no_match_of_a_search_and_a_filter_names_both_hints(marketer_client):
    ContactFactory()
    group = GroupFactory(name="Club")
    page = marketer_client.get("/contacts/", {"q": "nobody", "group": group.pk}).content.decode()
    assert "No contacts match this search" in page
    assert "Check the spelling, widen the other filters (Group), or" in page


def test_the_select_column_is_there_only_for_a_user_who_may_delete(marketer_client, tester_client):
    """A Tester selects nothing: the column had an empty header (axe: empty-table-header)
    and a cell of nothing in each row."""
    ContactFactory()
    for client, shown in ((marketer_client, True), (tester_client, False)):
        page = client.get("/contacts/").content.decode()
        headers = re.findall(r"<th\b", page)
        cells = re.findall(r"<td\b", page.split("<tbody>")[1].split("</tr>")[0])
        assert ('class="select-col"' in page) is shown
        assert len(headers) == len(cells)  # one cell per column either way


def _link(response, label: str) -> str | None:
    """The href of a pagination link (rel="next"/"prev" or its hidden words), None if
    disabled."""
    page = response.content.decode()
    match = re.search(
        rf'<a class="page-link" href="([^"]+)"[^>]*(rel="{label}"|><span aria-hidden="true">'
        rf'[^<]*</span><span class="visually-hidden">{label}</span></a>)',
        page,
    )
    return html.unescape(match.group(1)) if match else None


def _href(response, label: str) -> str:
    """The href of a pagination link that must be there."""
    href = _link(response, label)
    assert href is not None, f"no {label} link"
    return href


def _search(pattern: str, text: str) -> re.Match[str]:
    match = re.search(pattern, text)
    assert match, pattern
    return match


def _walk(client, params: dict) -> list[int]:
    """Every id on every page, following Next links."""
    seen, response = [], client.get("/contacts/", params)
    for _ in range(100):
        seen += _ids(response)
        href = _link(response, "next")
        if href is None:
            return seen
        response = client.get("/contacts/" + href)
    raise AssertionError("paging never ended")


def test_lists_newest_first_with_range_and_page_sizes(marketer_client):
    contacts = ContactFactory.create_batch(30)
    newest_first = [c.pk for c in reversed(contacts)]
    response = marketer_client.get("/contacts/")
    assert _ids(response) == newest_first[:25]
    assert "1–25 of 30" in response.content.decode()
    second = marketer_client.get("/contacts/" + _href(response, "next"))
    assert _ids(second) == newest_first[25:]
    assert "26–30 of 30" in second.content.decode()
    assert _link(second, "next") is None
    back = marketer_client.get("/contacts/" + _href(second, "prev"))
    assert _ids(back) == newest_first[:25]
    last = marketer_client.get("/contacts/" + _href(response, "Last page"))
    assert _ids(last) == newest_first[5:]
    assert "6–30 of 30" in last.content.decode() and "Last page" in last.content.decode()
    before_last = marketer_client.get("/contacts/" + _href(last, "prev"))
    assert _ids(before_last) == newest_first[:5]
    assert "1–5 of 30" in before_last.content.decode()
    assert len(_ids(marketer_client.get("/contacts/?per_page=50"))) == 30
    assert len(_ids(marketer_client.get("/contacts/?per_page=7"))) == 25


@pytest.mark.parametrize("sort", SORTS)
def test_every_sort_pages_through_every_contact_once_in_order(marketer_client, sort):
    people = [
        ContactFactory(first_name="Bea", last_name="Zed", email="b@example.com"),
        ContactFactory(first_name="Bea", last_name="Alt", email="A@example.com"),
        MobileContactFactory(first_name="", last_name="Alt", mobile_number="+491711234567"),
        MobileContactFactory(first_name="Cem", last_name="Kay", mobile_number="+491711234568"),
        AliasContactFactory(first_name="Bea", last_name="Kay"),
        AliasContactFactory(first_name="Abe", last_name=""),
        ContactFactory(first_name="Cem", last_name="Zed", email="c@example.com"),
    ]
    Contact.objects.filter(pk=people[0].pk).update(created_at=people[-1].created_at)
    seen = _walk(marketer_client, {"sort": sort, "per_page": "25"} | {"per_page": "25"})
    assert sorted(seen) == sorted(p.pk for p in people)
    small = []
    response = marketer_client.get("/contacts/", {"sort": sort})
    assert _ids(response) == seen
    # The same order in pages of one: the cursor never skips or repeats a row.
    from contacts import pagination

    for start in range(len(people)):
        page = pagination.keyset_page(
            Contact.objects.all(),
            sort=sort,
            limit=1,
            after=pagination.Cursor(
                pagination.SORT_KEYS[sort.lstrip("-")].value_of(
                    Contact.objects.get(pk=seen[start - 1])
                ),
                seen[start - 1],
                start + 1,
            ).encode(sort=sort, limit=1)
            if start
            else "",
        )
        small += [row.pk for row in page]
    assert small == seen


@pytest.mark.parametrize("sort", SORTS)
def test_a_page_of_listed_fields_is_the_page_of_contacts(sort):
    from contacts import pagination
    from contacts.views.listing import LISTED_FIELDS

    ContactFactory.create_batch(4)
    MobileContactFactory.create_batch(3)  # no email: the region without one
    for last in (False, True):
        pages = [
            pagination.keyset_page(
                Contact.objects.all(), sort=sort, limit=2, fields=fields, last=last
            )
            for fields in (None, LISTED_FIELDS)
        ]
        contacts, named = pages
        assert [row.id for row in named] == [c.pk for c in contacts] and len(named) == 2
        assert [tuple(row) for row in named] == [
            tuple(getattr(c, f) for f in LISTED_FIELDS) for c in contacts
        ]

        # Sealed with a fresh nonce each time: compared by what they hold.
        def held(page):
            return [
                cursor and pagination.Cursor.decode(cursor, sort=sort, limit=2, before=before)
                for cursor, before in ((page.next_cursor, False), (page.previous_cursor, True))
            ]

        assert held(named) == held(contacts)


def test_rows_added_while_paging_are_neither_repeated_nor_skipped(marketer_client):
    ContactFactory.create_batch(30)
    first = marketer_client.get("/contacts/", {"sort": "id"})
    ContactFactory.create_batch(5)  # appear at the end of an ascending id order
    Contact.objects.filter(pk=_ids(first)[0]).delete()
    rest = marketer_client.get("/contacts/" + _href(first, "next"))
    assert set(_ids(first)).isdisjoint(_ids(rest))
    assert _ids(rest)[0] == _ids(first)[-1] + 1


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "W10", "WzEsMl0", "WyJ4IiwtMV0", "%00", "x" * 700, "WyJcdTAwMDAiLDFd"],
)
def test_tampered_cursor_shows_the_first_page(marketer_client, cursor):
    ContactFactory.create_batch(3)
    for sort in ("created", "email", "-id"):
        first_page = _ids(marketer_client.get("/contacts/", {"sort": sort}))
        assert len(first_page) == 3
        for param in ("after", "before"):
            response = marketer_client.get("/contacts/", {param: cursor, "sort": sort})
            assert response.status_code == 200
            assert _ids(response) == first_page, (param, sort)
            assert "1–3 of 3" in response.content.decode()


def test_count_is_capped_when_filtered(marketer_client, monkeypatch):
    from contacts.views import listing

    monkeypatch.setattr(listing, "LIST_COUNT_CAP", 4)
    ContactFactory.create_batch(6, last_name="Same")
    page = marketer_client.get("/contacts/", {"name": "Same"}).content.decode()
    assert "of more than 4" in page
    assert "of 6" in marketer_client.get("/contacts/").content.decode()
    monkeypatch.setattr(listing, "LIST_COUNT_CAP", 6)
    page = marketer_client.get("/contacts/", {"name": "Same"}).content.decode()
    assert "of 6" in page
    assert "more than" not in page


def test_filtered_count_stops_at_one_thousand(marketer_client):
    from contacts.views import listing

    # Counting further costs in proportion to the matches, which grow with the table.
    assert listing.LIST_COUNT_CAP == 1_000
    with CaptureQueriesContext(connection) as ctx:
        marketer_client.get("/contacts/", {"identifier_type": "email"})
    (count,) = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert "LIMIT 1001" in count
    assert "MATERIALIZED" not in count


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999999999999999999999999", "٣"])
def test_odd_page_numbers_do_not_fail(marketer_client, page):
    ContactFactory.create_batch(3)
    assert marketer_client.get(f"/contacts/?page={page}").status_code == 200


def test_search_by_id_email_prefix_mobile_alias_and_name(marketer_client):
    anna = ContactFactory(email="anna.berg@example.com", first_name="Anna", last_name="Berg")
    # Names given: a random one may contain "erg" (Bergstrom), which the last case finds.
    bob = MobileContactFactory(mobile_number="+491711234567", first_name="Bob", last_name="Lo")
    app = AliasContactFactory(app_alias="device-xyz", first_name="Cy", last_name="Do")
    ContactFactory(email="zed@example.org", first_name="Zed", last_name="Zulu")
    cases = {
        str(anna.pk): [anna.pk],
        "ANNA.BERG@": [anna.pk],
        "anna.berg@example.com": [anna.pk],
        "+49 171 1234567": [bob.pk],
        "device-xyz": [app.pk],
        "erg": [anna.pk],
    }
    for query, expected in cases.items():
        response = marketer_client.get("/contacts/", {"q": query})
        assert _ids(response) == expected, query


def test_filters_identifier_type_group_and_created_range(marketer_client):
    old = ContactFactory()
    Contact.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=40))
    new = MobileContactFactory()
    group = GroupFactory()
    MembershipFactory(contact=old, group=group)
    get = marketer_client.get
    assert _ids(get("/contacts/", {"identifier_type": "mobile"})) == [new.pk]
    assert _ids(get("/contacts/", {"group": group.pk})) == [old.pk]
    since = (timezone.now() - dt.timedelta(days=7)).date().isoformat()
    assert _ids(get("/contacts/", {"created_from": since})) == [new.pk]
    assert _ids(get("/contacts/", {"created_to": since})) == [old.pk]
    assert _ids(get("/contacts/", {"created_to": "9999-12-31", "created_from": "0001-01-01"})) == [
        new.pk,
        old.pk,
    ]


def test_invalid_filter_values_show_an_error_not_a_crash(marketer_client):
    ContactFactory()
    for params in (
        {"group": "abc"},
        {"contact_id": "99999999999999999999999"},
        {"created_from": "yesterday"},
        {"identifier_type": "fax"},
        {"q": "\x00"},
    ):
        response = marketer_client.get("/contacts/", params)
        assert response.status_code == 200
        assert "The filter has a problem" in response.content.decode(), params
        assert _ids(response) == []


GROUP_GONE = "This group no longer exists or was never there: choose one from the list."


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"group": "99999"}, GROUP_GONE),
        ({"group": "abc"}, GROUP_GONE),
        ({"group": "-1"}, GROUP_GONE),
        ({"group": "99999999999999999999999"}, GROUP_GONE),
        ({"identifier_type": "fax"}, "Choose an identifier type from the list."),
        ({"identifier_type": "EMAIL"}, "Choose an identifier type from the list."),
    ],
)
def test_a_stale_or_bad_choice_in_a_link_says_what_to_do(marketer_client, params, message):
    ContactFactory()
    response = marketer_client.get("/contacts/", params)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<li>{html.escape(message)}</li>" in page
    assert "Select a valid choice" not in page


def test_every_choice_filter_words_its_invalid_choice():
    choices = [
        name
        for name, filter_ in ContactFilter.base_filters.items()
        if isinstance(filter_, django_filters.ChoiceFilter | django_filters.ModelChoiceFilter)
    ]
    assert choices == ["identifier_type", "group"]
    form = ContactFilter(dict.fromkeys(choices, "not-a-choice")).form
    assert not form.is_valid()
    for name in choices:
        assert form.errors[name] and "Select a valid choice" not in form.errors[name][0]


def test_sorting_is_stable_and_reversible(marketer_client):
    names = ["Cora", "anna", "Bert", "anna"]
    contacts = [ContactFactory(first_name=n) for n in names]
    ascending = _ids(marketer_client.get("/contacts/", {"sort": "first_name"}))
    descending = _ids(marketer_client.get("/contacts/", {"sort": "-first_name"}))
    assert ascending == list(reversed(descending))
    assert set(ascending) == {c.pk for c in contacts}
    emails = _ids(marketer_client.get("/contacts/", {"sort": "email"}))
    assert emails == [c.pk for c in sorted(contacts, key=lambda c: ((c.email or "").lower(), c.pk))]
    # Unknown sort keys fall back to the default instead of failing.
    assert marketer_client.get("/contacts/", {"sort": "password"}).status_code == 200


def test_htmx_request_gets_the_results_partial_only(marketer_client):
    ContactFactory()
    response = marketer_client.get("/contacts/", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert 'id="bulk-form"' in page
    assert "<html" not in page


def _count_queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    counts = sum(1 for q in ctx.captured_queries if "COUNT(" in q["sql"].upper())
    return len(ctx.captured_queries), counts


@pytest.mark.parametrize("url", ["/contacts/", "/contacts/?q=a&sort=email&per_page=100"])
def test_list_query_count_does_not_grow_with_rows_and_counts_once(marketer_client, url):
    ContactFactory.create_batch(3)
    small, small_counts = _count_queries(marketer_client, url)
    ContactFactory.create_batch(60)
    large, large_counts = _count_queries(marketer_client, url)
    assert small == large
    assert large_counts == 1


def test_list_query_count_is_pinned(marketer_client, django_assert_num_queries):
    ContactFactory.create_batch(30)
    marketer_client.get("/contacts/")  # warm the session
    # session, user, permissions (user's and role's in one), count, page, max id,
    # background deletions, groups for the filter
    with django_assert_num_queries(8):
        marketer_client.get("/contacts/")


@pytest.mark.postgres
def test_big_unfiltered_total_is_the_planner_estimate_in_one_query(marketer_client, monkeypatch):
    from core import counts

    ContactFactory.create_batch(30)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE contacts_contact")
    monkeypatch.setattr(counts, "ESTIMATE_ABOVE", 5)
    page = marketer_client.get("/contacts/").content.decode()
    assert "of about 30" in page
    monkeypatch.setattr(counts, "ESTIMATE_ABOVE", 100)
    assert "of 30" in marketer_client.get("/contacts/").content.decode()


def test_row_values_are_escaped(marketer_client):
    ContactFactory(first_name='<script>alert("x")</script>', last_name="O'Neil & Co")
    page = marketer_client.get("/contacts/").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "O&#x27;Neil &amp; Co" in page


@pytest.mark.parametrize(
    "params, words",
    [
        ({}, "Contact ID, newest first"),
        ({"sort": "id"}, "Contact ID, oldest first"),
        ({"sort": "email"}, "Email, A to Z"),
        ({"sort": "-last_name"}, "Last Name, Z to A"),
        ({"sort": "mobile"}, "Mobile Number, lowest first"),
        ({"sort": "-created"}, "Created, newest first"),
        ({"sort": "bogus"}, "Contact ID, newest first"),
    ],
)
def test_caption_says_the_order_in_words(marketer_client, params, words):
    ContactFactory()
    page = marketer_client.get("/contacts/", params).content.decode()
    assert f'<caption class="visually-hidden">Contacts, sorted by {words}</caption>' in page


def test_every_sort_has_a_caption_in_words(marketer_client):
    ContactFactory()
    for sort in SORTS:
        page = marketer_client.get("/contacts/", {"sort": sort}).content.decode()
        caption = _search(r"<caption[^>]*>(.*?)</caption>", page).group(1)
        assert re.fullmatch(r"Contacts, sorted by [A-Z][A-Za-z ]+, [a-zA-Z ]+", caption), caption


def _input(page: str, name: str) -> str:
    return _search(rf'<input[^>]*name="{name}"[^>]*>', page).group()


def test_created_filters_take_iso_dates_in_a_text_box_with_a_hint(marketer_client):
    ContactFactory()
    page = marketer_client.get("/contacts/", {"created_from": "2025-03-31"}).content.decode()
    for name in ("created_from", "created_to"):
        box = _input(page, name)
        # Not type="date": the browser would show its locale's format, not the table's.
        assert 'type="text"' in box and 'placeholder="YYYY-MM-DD"' in box, box
        assert f'aria-describedby="id_{name}_helptext"' in box
        assert f'<div id="id_{name}_helptext" class="form-text">Format: YYYY-MM-DD</div>' in page
    assert 'value="2025-03-31"' in _input(page, "created_from")


@pytest.mark.parametrize("typed", ["03/04/2025", "31.03.2025", "2025-3-31x"])
def test_created_filter_refuses_other_date_formats_and_names_the_right_one(marketer_client, typed):
    ContactFactory()
    response = marketer_client.get("/contacts/", {"created_from": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the date as YYYY-MM-DD, e.g. 2025-03-31." in page
    assert _ids(response) == []


def test_created_column_names_its_time_zone(marketer_client, settings):
    contact = ContactFactory()
    at = dt.datetime(2025, 3, 3, 9, 15, tzinfo=dt.UTC)
    Contact.objects.filter(pk=contact.pk).update(created_at=at)
    page = marketer_client.get("/contacts/").content.decode()
    assert "Created (UTC)" in page and ">2025-03-03 09:15</time>" in page

    settings.TIME_ZONE = "Europe/Berlin"
    page = marketer_client.get("/contacts/").content.decode()
    assert "Created (Europe/Berlin)" in page and ">2025-03-03 10:15</time>" in page


@pytest.mark.parametrize("page", ["999", "3", "-1"])
def test_a_page_number_without_a_cursor_is_page_one(marketer_client, page):
    contacts = ContactFactory.create_batch(30)
    response = marketer_client.get("/contacts/", {"page": page})
    html_page = response.content.decode()
    assert _ids(response) == [c.pk for c in reversed(contacts)][:25]
    assert "1–25 of 30" in html_page
    assert "Page 1<" in html_page


def test_a_page_number_that_disagrees_with_the_cursor_is_ignored(marketer_client):
    ContactFactory.create_batch(60)
    second = marketer_client.get("/contacts/" + _href(marketer_client.get("/contacts/"), "next"))
    assert "26–50 of 60" in second.content.decode()
    next_href = _href(second, "next")
    assert "page=3" in next_href
    third = marketer_client.get("/contacts/" + next_href.replace("page=3", "page=999"))
    assert "51–60 of 60" in third.content.decode() and "Page 3<" in third.content.decode()
    # Back from the third page to the second, by a Previous link told it is the 40th.
    previous = _href(third, "prev").replace("page=2", "page=40")
    assert "26–50 of 60" in marketer_client.get("/contacts/" + previous).content.decode()


def test_an_edited_cursor_shows_the_first_page(marketer_client):
    ContactFactory.create_batch(30)
    href = _href(marketer_client.get("/contacts/"), "next")
    cursor = _search(r"after=([^&]+)", href).group(1)
    flipped = cursor[:20] + ("A" if cursor[20] != "A" else "B") + cursor[21:]
    for edited in (flipped, cursor[:-2], cursor + "AA", cursor[:16], "x" * 60, "."):
        response = marketer_client.get("/contacts/", {"after": edited, "page": "2"})
        assert "1–25 of 30" in response.content.decode(), edited


def test_a_page_link_does_not_show_the_address_it_starts_after(marketer_client):
    """The cursor holds the boundary row's sort value (an email address, sorted by email):
    sealed, so that the URL, the browser history and proxy logs cannot read it."""
    ContactFactory.create_batch(26)
    boundary = sorted(str(email) for email in Contact.objects.values_list("email", flat=True))[24]
    response = marketer_client.get("/contacts/", {"sort": "email"})
    href = unquote(_href(response, "next"))
    cursor = _search(r"after=([^&]+)", href).group(1)
    raw = b"".join(
        base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)) for part in cursor.split(".")
    )
    assert boundary.split("@")[0].encode() not in raw
    assert boundary not in href
    assert "26–26 of 26" in marketer_client.get("/contacts/" + href).content.decode()


def test_a_cursor_of_another_sort_or_page_size_shows_the_first_page(marketer_client):
    ContactFactory.create_batch(60, first_name="Same")
    href = _href(marketer_client.get("/contacts/", {"sort": "last_name"}), "next")
    cursor = _search(r"after=([^&]+)", href).group(1)
    for params in ({"sort": "first_name"}, {"sort": "last_name", "per_page": "50"}):
        first = _ids(marketer_client.get("/contacts/", params))
        response = marketer_client.get("/contacts/", {"after": cursor, **params})
        assert _ids(response) == first, params
        assert f"1–{len(first)} of 60" in response.content.decode()


def test_sort_links_start_again_from_the_first_page(marketer_client):
    ContactFactory.create_batch(30)
    second = marketer_client.get("/contacts/" + _href(marketer_client.get("/contacts/"), "next"))
    sort_links = re.findall(r'href="(\?[^"]*sort=[^"]*)"', second.content.decode())
    assert sort_links
    assert not any("after=" in link or "before=" in link for link in sort_links)
