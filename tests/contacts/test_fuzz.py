"""Arbitrary input to create, edit and the list: a clear answer every time, never a 500.

The test client re-raises any exception a view lets escape, so a crash fails the test.
"""

import base64
import json
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from contacts.filters import SORTS
from contacts.models import AttributeDefinition, AttributeType, Contact, Membership
from contacts.pagination import Cursor
from exports.models import ExportJob
from tests.contacts.test_permissions import URL_METHODS, _fill
from tests.factories import (
    AttributeDefinitionFactory,
    ContactFactory,
    GroupFactory,
    MembershipFactory,
)

# Slow: hundreds of requests per test (make test runs them, make test-quick does not).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
any_text = st.text(max_size=300) | st.sampled_from(["", " ", "+", "@", "0" * 40, "x" * 2500])
identifier_types = st.sampled_from(["email", "mobile", "app_alias"]) | st.text(max_size=10)


@FUZZ
@given(kind=identifier_types, identifier=any_text)
def test_create_never_fails(marketer_client, kind, identifier):
    before = Contact.objects.count()
    response = marketer_client.post(
        "/contacts/new/", {"identifier_type": kind, "identifier": identifier}
    )
    assert response.status_code in (200, 302)
    assert Contact.objects.count() == before + (1 if response.status_code == 302 else 0)


PROFILE_FIELDS = [
    "identifier_type",
    "email",
    "mobile_number",
    "app_alias",
    "external_id",
    "first_name",
    "title",
    "gender",
    "date_of_birth",
    "country",
    "language",
    "time_zone",
    "source_id",
    "version",
    "email_status",
]


@pytest.fixture
def fuzz_contact(db):
    AttributeDefinitionFactory(name="Score", data_type=AttributeType.NUMBER)
    AttributeDefinitionFactory(name="Since", data_type=AttributeType.DATE)
    AttributeDefinitionFactory(name="VIP", data_type=AttributeType.BOOLEAN)
    AttributeDefinitionFactory(name="Tier", allowed_values="Gold\nSilver")
    return ContactFactory(email="fuzz@example.com")


@FUZZ
@given(values=st.dictionaries(st.sampled_from(PROFILE_FIELDS), any_text), custom=any_text)
def test_edit_never_fails(marketer_client, fuzz_contact, values, custom):
    contact = Contact.objects.get(pk=fuzz_contact.pk)
    definition_ids = AttributeDefinition.objects.values_list("pk", flat=True)
    data = {
        "version": contact.version,
        "identifier_type": contact.identifier_type,
        "email": contact.email or "",
        "mobile_number": contact.mobile_number or "",
        "email_status": "active",
        "mobile_status": "active",
        "app_alias_status": "active",
        **{f"custom_{pk}": custom for pk in definition_ids},
        **values,
    }
    response = marketer_client.post(f"/contacts/{contact.pk}/", data)
    assert response.status_code in (200, 302)
    assert Contact.objects.filter(pk=contact.pk).exists()


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "contact_id",
                "email",
                "mobile",
                "alias",
                "name",
                "identifier_type",
                "group",
                "created_from",
                "created_to",
                "sort",
                "page",
                "per_page",
                "after",
                "before",
                "last",
            ]
        ),
        any_text,
    )
)
def test_list_never_fails(marketer_client, params):
    assert _list(marketer_client, params).status_code == 200


def _list(client, params):
    """All Contacts; an empty page after a cursor redirects to the list's first page."""
    response = client.get("/contacts/", params)
    if response.status_code == 302:
        query = QueryDict(urlsplit(response["Location"]).query)
        assert not {"after", "before", "last", "page"} & set(query)
        response = client.get(response["Location"])
    return response


@FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(["ids", "select_all", "filter_query", "max_id", "confirmed"]), any_text
    )
)
def test_bulk_delete_and_list_export_never_fail(marketer_client, data):
    ContactFactory()
    for url in ("/contacts/delete/", "/exports/contacts/"):
        response = marketer_client.post(url, data)
        assert response.status_code in (200, 302)


# `next` values that are not a local path: each must fall back to the default page,
# after the write went through (a bad `next` once crashed the redirect after the save).
ODD_NEXT = [
    "-1",
    "abc",
    "contacts:list",
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "http://evil.example/",
    "https:/evil.example",
    "javascript:alert(1)",
    "/" + "x" * 5000,
    "x" * 5000,
    "/contacts/\x00",
    "\x00",
    "/contacts/\r\nSet-Cookie: x=1",
    "/contacts/\n",
    " /contacts/",
]


def assert_local(url: str) -> None:
    assert url.startswith("/") and not url.startswith(("//", "/\\")), url
    assert "evil.example" not in url and len(url) <= 2100
    assert all(ord(ch) > 31 and ord(ch) != 127 for ch in url), url


def assert_local_redirect(response) -> None:
    assert response.status_code == 302, response.status_code
    assert_local(response["Location"])


@pytest.fixture
def next_world(db):
    contact = ContactFactory(email="next@example.com")
    membership = MembershipFactory(contact=contact, group=GroupFactory(name="News"))
    return {"contact": contact, "membership": membership}


def _save_profile(client, world, next_value):
    contact = Contact.objects.get(pk=world["contact"].pk)
    data = {
        "version": contact.version,
        "identifier_type": "email",
        "email": contact.email,
        "email_status": "active",
        "mobile_status": "active",
        "app_alias_status": "active",
        "first_name": "Saved",
        "next": next_value,
    }
    response = client.post(f"/contacts/{contact.pk}/", data)
    assert Contact.objects.get(pk=contact.pk).first_name == "Saved"
    return response


def _edit_membership(client, world, next_value):
    m = world["membership"]
    url = f"/groups/{m.group_id}/memberships/{m.pk}/"
    response = client.post(url, {"status": "pending", "next": next_value})
    assert Membership.objects.get(pk=m.pk).status == "pending"
    return response


def _remove_membership(client, world, next_value):
    m = world["membership"]
    url = f"/groups/{m.group_id}/memberships/{m.pk}/remove/"
    response = client.post(url, {"next": next_value, "confirmed": "1"})
    assert not Membership.objects.filter(pk=m.pk).exists()
    return response


def _export_contact(client, world, next_value):
    contact = world["contact"]
    response = client.post(f"/exports/contact/{contact.pk}/", {"next": next_value})
    assert ExportJob.objects.filter(contact_id=contact.pk).count() == 1
    return response


WRITES_WITH_NEXT = {
    "save profile": _save_profile,
    "edit membership": _edit_membership,
    "remove membership": _remove_membership,
    "export contact": _export_contact,
}


@pytest.mark.parametrize("next_value", ODD_NEXT)
@pytest.mark.parametrize("write", list(WRITES_WITH_NEXT))
def test_odd_next_falls_back_after_the_write(marketer_client, next_world, write, next_value):
    response = WRITES_WITH_NEXT[write](marketer_client, next_world, next_value)
    assert_local_redirect(response)


@pytest.mark.parametrize("write", list(WRITES_WITH_NEXT))
def test_a_local_next_is_still_followed(marketer_client, next_world, write):
    response = WRITES_WITH_NEXT[write](marketer_client, next_world, "/groups/?page=2")
    assert response["Location"] == "/groups/?page=2"


@pytest.mark.parametrize("next_value", ODD_NEXT)
def test_odd_next_on_the_pages_that_link_back(marketer_client, next_world, next_value):
    m = next_world["membership"]
    for url in (f"/contacts/{m.contact_id}/", f"/groups/{m.group_id}/memberships/{m.pk}/"):
        response = marketer_client.get(url, {"next": next_value})
        assert response.status_code == 200
        assert_local(response.context["back"])


@pytest.mark.parametrize("next_value", ODD_NEXT)
def test_odd_next_when_logging_in_and_out(client, marketer, next_value):
    page = client.get("/login/", {"next": next_value})
    assert page.status_code == 200
    assert page.context["next"] == ""
    response = client.post(
        "/login/", {"username": "marketer", "password": "secret-pass-123", "next": next_value}
    )
    assert_local_redirect(response)
    assert "_auth_user_id" in client.session
    again = client.get("/login/", {"next": next_value})
    assert_local_redirect(again)
    response = client.post("/logout/", {"next": next_value})
    assert_local_redirect(response)
    assert "_auth_user_id" not in client.session


def test_next_pointing_back_to_the_login_page_does_not_loop(marketer_client):
    response = marketer_client.get("/login/", {"next": "/login/"})
    assert response["Location"] == "/"  # the start page: All Contacts for a marketer


@FUZZ
@given(next_value=st.text(max_size=300) | st.sampled_from(ODD_NEXT))
def test_any_next_after_a_save_lands_on_a_local_page(marketer_client, next_world, next_value):
    assert_local_redirect(_save_profile(marketer_client, next_world, next_value))


def test_a_filter_longer_than_a_redirect_may_be_goes_back_to_the_plain_list(marketer_client):
    response = marketer_client.post("/contacts/delete/", {"filter_query": "q=" + "a" * 20_000})
    assert response.status_code == 302
    assert response["Location"] == "/contacts/"


def test_a_filter_with_too_many_fields_goes_back_to_the_plain_list(marketer_client):
    contact = ContactFactory()
    response = marketer_client.post("/contacts/delete/", {"filter_query": "a=1&" * 1500})
    assert response["Location"] == "/contacts/"
    assert Contact.objects.filter(pk=contact.pk).exists()


# -- cursors -----------------------------------------------------------------------------

EXTREME_TIMES = [
    "0001-01-01T00:00:00+14:00",  # before year 1 in UTC
    "9999-12-31T23:59:59-14:00",  # after year 9999 in UTC
    "0001-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59.999999+00:00",
]


def _legacy_cursor(value) -> str:
    """A cursor as the list wrote them before they were signed: base64 of [value, id]."""
    raw = json.dumps([value, 1]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("value", [None, *EXTREME_TIMES])
def test_list_survives_the_reported_cursors(marketer_client, sort, value):
    """[null, 1] for a column that is never empty; times that overflow in UTC (SQLite)."""
    ContactFactory.create_batch(3)
    for param in ("after", "before"):
        response = marketer_client.get("/contacts/", {param: _legacy_cursor(value), "sort": sort})
        assert response.status_code == 200


cursor_values = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.sampled_from(EXTREME_TIMES)
    | st.text(max_size=50)
    | st.lists(st.integers(), max_size=3)
)


@FUZZ
@given(
    template=st.sampled_from(sorted(t for t, allowed in URL_METHODS.items() if allowed)),
    method=st.from_regex(r"[A-Za-z][A-Za-z-]{0,11}", fullmatch=True),
)
def test_any_method_is_handled_or_refused_with_405(marketer_client, next_world, template, method):
    world = {**next_world, "group": next_world["membership"].group}
    url = _fill(template, world, token="t" * 43)
    response = marketer_client.generic(method, url)
    assert response.status_code < 500
    allowed = URL_METHODS[template]
    assert allowed is not None  # only our own pages are drawn
    if method.upper() not in allowed:
        assert response.status_code == 405 and response["Allow"]


@FUZZ
@given(
    sort=st.sampled_from(SORTS),
    value=cursor_values,
    row_id=st.integers() | st.booleans() | st.none(),
    number=st.integers() | st.none(),
)
@example(sort="first_name", value=None, row_id=1, number=2)
@example(sort="-created", value="0001-01-01T00:00:00+14:00", row_id=1, number=2)
@example(sort="created", value="9999-12-31T23:59:59-14:00", row_id=1, number=-2)
def test_list_never_fails_on_a_signed_cursor_holding_anything(
    marketer_client, sort, value, row_id, number
):
    """Cursors signed with the app's own key, so that the checks after the signature run."""
    ContactFactory()
    cursor = Cursor(value, row_id, number).encode(sort=sort, limit=25)
    for param in ("after", "before"):
        response = _list(marketer_client, {param: cursor, "sort": sort})
        assert response.status_code == 200


activity_cursors = st.builds(
    "{}|{}".format,
    st.sampled_from(EXTREME_TIMES) | st.datetimes(timezones=st.timezones()).map(str),
    st.integers() | st.sampled_from(["1", "x", ""]),
) | st.sampled_from([f"{t}|1" for t in EXTREME_TIMES])


@FUZZ
@given(before=activity_cursors)
@example(before="0001-01-01T00:00:00+14:00|1")
@example(before="2024-01-01T00:00:00+00:00|99999999999999999999")
def test_activity_never_fails_on_any_cursor(marketer_client, fuzz_contact, before):
    for url in (f"/contacts/{fuzz_contact.pk}/history/", f"/contacts/{fuzz_contact.pk}/"):
        assert marketer_client.get(url, {"before": before}).status_code == 200
