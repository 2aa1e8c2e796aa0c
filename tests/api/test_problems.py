"""Every error is application/problem+json; throttling answers 429 with Retry-After;
Idempotency-Key replays the first answer."""

import json

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from rest_framework.test import APIClient

from api.models import IdempotentRequest
from contacts.models import Contact
from core.models import AuditEntry
from tests.api.conftest import bearer, make_token
from tests.factories import ContactFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def _is_problem(response, status):
    assert response.status_code == status, (response.status_code, response.content)
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"]
    return body


def test_unknown_url_method_media_type_and_json(api):
    _is_problem(api.get("/api/v1/nothing-here/"), 404)
    _is_problem(api.post("/api/nope/", {}, format="json"), 404)
    _is_problem(api.get("/api/v1/contacts/999999/"), 404)
    response = api.put("/api/v1/contacts/", {}, format="json")
    _is_problem(response, 405)
    assert set(response["Allow"].split(", ")) >= {"GET", "POST"}
    _is_problem(api.post("/api/v1/contacts/", "a=b", content_type="text/plain"), 415)
    body = _is_problem(
        api.post("/api/v1/contacts/", "{not json", content_type="application/json"), 400
    )
    assert "JSON" in body["detail"]
    _is_problem(api.get("/api/v1/contacts/", HTTP_ACCEPT="image/png"), 406)


def test_a_body_nested_too_deeply_is_invalid_json_not_a_bug(api):
    """The JSON decoder recurses once per level: a 2 KB body of nested arrays ran it out
    of stack (a RecursionError, then a 500)."""
    deep = "[" * 5000 + "]" * 5000
    for method, url in (("post", "/api/v1/contacts/"), ("post", "/api/v1/contacts/bulk/")):
        response = getattr(api, method)(url, deep, content_type="application/json")
        body = _is_problem(response, 400)
        assert "nested too deeply" in body["detail"]
    assert not Contact.objects.exists()


def test_too_large_body_is_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = {"identifier_type": "email", "identifier": "a" * 200 + "@example.com"}
    _is_problem(api.post("/api/v1/contacts/", body, format="json"), 413)


def test_field_errors_have_one_shape(api):
    body = _is_problem(
        api.post("/api/v1/contacts/", {"identifier_type": "fax"}, format="json"), 422
    )
    assert set(body["errors"]) == {"identifier_type", "identifier"}
    assert all(isinstance(m, list) and m for m in body["errors"].values())


def test_a_bug_is_a_500_problem_and_changes_nothing(api, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("api.views.contacts.contact_create_with_values", broken)
    body = _is_problem(
        api.post(
            "/api/v1/contacts/", {"identifier_type": "email", "identifier": "a@b.de"}, format="json"
        ),
        500,
    )
    assert "boom" not in body["detail"]
    assert not Contact.objects.exists()


def test_throttle_answers_429_with_retry_after(api, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    for _ in range(3):
        assert api.get("/api/v1/contacts/").status_code == 200
    response = api.get("/api/v1/contacts/")
    _is_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60


def test_throttle_counts_per_token(api_clients, settings):
    settings.API_THROTTLE_RATE = "1/minute"
    assert api_clients["marketer"].get("/api/v1/contacts/").status_code == 200
    assert api_clients["marketer"].get("/api/v1/contacts/").status_code == 429
    assert api_clients["tester"].get("/api/v1/contacts/").status_code == 200


def test_refused_requests_count_against_the_rate_too(api_clients, settings):
    """Guesses of a token (401) count against the caller's address, requests a role does
    not allow (403) against the token: past the rate both are 429."""
    settings.API_THROTTLE_RATE = "2/minute"
    guess = APIClient(HTTP_AUTHORIZATION="Bearer cbt_000000000000_" + "x" * 43)
    assert [guess.get("/api/v1/groups/").status_code for _ in range(3)] == [401, 401, 429]
    _is_problem(guess.get("/api/v1/groups/"), 429)
    outsider = api_clients["outsider"]
    assert [outsider.get("/api/v1/groups/").status_code for _ in range(3)] == [403, 403, 429]
    # Each bucket is its own: a valid token of another user is still served.
    assert api_clients["marketer"].get("/api/v1/groups/").status_code == 200


GUESS = "Bearer cbt_000000000000_" + "x" * 43


def test_a_forged_forwarded_for_header_does_not_escape_the_rate(settings):
    """Without BEHIND_PROXY the socket's address counts: a new X-Forwarded-For for every
    guess of a token got past the limit (DRF's get_ident trusted the header)."""
    settings.BEHIND_PROXY = False
    settings.API_THROTTLE_RATE = "2/minute"
    statuses = [
        APIClient(HTTP_AUTHORIZATION=GUESS)
        .get("/api/v1/contacts/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        .status_code
        for n in range(3)
    ]
    assert statuses == [401, 401, 429]


def test_behind_a_proxy_the_address_the_proxy_appended_is_throttled(settings):
    """The rule of the login lockout (core.client_ip): only the proxy's entry counts."""
    settings.BEHIND_PROXY = True
    settings.API_THROTTLE_RATE = "2/minute"
    guess = APIClient(HTTP_AUTHORIZATION=GUESS, REMOTE_ADDR="10.0.0.1")
    statuses = [
        guess.get("/api/v1/contacts/", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5").status_code
        for n in range(3)
    ]
    assert statuses == [401, 401, 429]
    other = guess.get("/api/v1/contacts/", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 401  # another client behind the same proxy has its own count


def test_idempotency_key_replays_the_first_answer(api):
    body = {"identifier_type": "email", "identifier": "once@example.com"}
    first = api.post("/api/v1/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    again = api.post("/api/v1/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Contact.objects.count() == 1
    assert AuditEntry.objects.filter(action="contact.created").count() == 1
    # Another body with the same key: refused, nothing done.
    other = {"identifier_type": "email", "identifier": "twice@example.com"}
    _is_problem(
        api.post("/api/v1/contacts/", other, format="json", HTTP_IDEMPOTENCY_KEY="k-1"), 422
    )
    assert Contact.objects.count() == 1
    # A new key is new work (here a duplicate: 409).
    third = api.post("/api/v1/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert third.status_code == 409


def test_idempotency_keys_belong_to_their_user(api_clients):
    body = {"identifier_type": "email", "identifier": "u@example.com"}
    api_clients["marketer"].post(
        "/api/v1/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="same"
    )
    response = api_clients["admin"].post(
        "/api/v1/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="same"
    )
    assert response.status_code == 409  # its own request, not the marketer's answer


def test_a_server_error_is_not_kept(api, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("api.views.contacts.contact_create_with_values", broken)
    body = {"identifier_type": "email", "identifier": "retry@example.com"}
    assert (
        api.post("/api/v1/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="r").status_code
        == 500
    )
    assert not IdempotentRequest.objects.exists()
    monkeypatch.undo()
    assert (
        api.post("/api/v1/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="r").status_code
        == 201
    )


def test_an_unusable_key_is_400(api):
    response = api.post("/api/v1/contacts/", {}, format="json", HTTP_IDEMPOTENCY_KEY="x" * 300)
    _is_problem(response, 400)


def test_list_query_count_does_not_grow_with_rows(api):
    ContactFactory.create_batch(3)
    api.get("/api/v1/contacts/")  # records the token's last use (once a minute)
    with CaptureQueriesContext(connection) as small:
        assert api.get("/api/v1/contacts/").status_code == 200
    ContactFactory.create_batch(30)
    with CaptureQueriesContext(connection) as large:
        assert api.get("/api/v1/contacts/").status_code == 200
    assert len(large) == len(small)
    # The token with its user, the user's and the role's permissions (one), the page.
    assert len(large) == 3, [q["sql"][:60] for q in large]


def test_an_answer_echoing_a_nul_character_is_kept_for_replay(api):
    body = {"identifier_type": "email\x00", "identifier": "x\x00@example.com"}
    first = api.post("/api/v1/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="nul")
    assert first.status_code == 422
    assert "\x00" in first.json()["detail"]  # the message names the value given
    again = api.post("/api/v1/contacts/", body, format="json", HTTP_IDEMPOTENCY_KEY="nul")
    assert again.status_code == 422 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"


def test_the_api_works_while_the_throttle_s_redis_is_down(api, settings):
    down = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
    with override_settings(CACHES={**settings.CACHES, "api": down}):
        assert "Redis" in type(caches["api"]).__name__
        assert api.get("/api/v1/contacts/").status_code == 200


@pytest.mark.parametrize("value", ["xml", "json;", "JSON", "%00"])
def test_an_unknown_format_is_406_naming_the_formats(api, value):
    body = _is_problem(api.get(f"/api/v1/contacts/?format={value}"), 406)
    assert "format is one of: json, api" in body["detail"]
    assert api.get("/api/v1/contacts/?format=json").status_code == 200
    assert api.get("/api/v1/schema/?format=json")["Content-Type"].startswith(
        "application/vnd.oai.openapi+json"
    )
    assert api.get("/api/v1/schema/?format=xml").status_code == 406


def test_a_missing_slash_is_named(api):
    body = _is_problem(api.get("/api/v1/contacts"), 404)
    assert "/api/v1/contacts/" in body["detail"]
    assert "Did you mean" not in _is_problem(api.get("/api/v1/nothing"), 404)["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "group=99999999999999999999999",
        "contact_id=99999999999999999999",
        "created_from=0001-01-01&created_to=9999-12-31",
        "after=garbage&before=%00",
        "page_size=0",
        "page_size=-1",
        "email=%00",
        "mobile_number=%2B",
        "app_alias=" + "a" * 3000,
        "external_id=%00",
        "q=%00",
        "sort=-",
    ],
)
def test_odd_query_parameters_never_fail(api, query):
    ContactFactory()
    response = api.get(f"/api/v1/contacts/?{query}")
    assert response.status_code in (200, 400, 422), (query, response.status_code)


LONE = "\ud800"  # a lone UTF-16 surrogate: JSON may escape it, UTF-8 cannot encode it


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", "/api/v1/contacts/", {"identifier_type": LONE, "identifier": "x@example.com"}),
        ("patch", "/api/v1/contacts/{contact}/", {f"shoe_size{LONE}": "42"}),
        ("patch", "/api/v1/contacts/{contact}/", {"custom_attributes": {LONE: "1"}}),
        ("post", "/api/v1/groups/{group}/members/", {"contact_id": "{contact}", "status": LONE}),
        ("patch", "/api/v1/groups/{group}/members/{member}/", {"member_attributes": {LONE: "1"}}),
        ("post", "/api/v1/attributes/", {"name": "Score", "data_type": LONE}),
        ("post", "/api/v1/contacts/bulk/", {"match_on": LONE, "rows": [{"Email": "a@b.de"}]}),
        ("post", "/api/v1/contacts/bulk/", {"match_on": "email", "rows": [{LONE: "a@b.de"}]}),
    ],
)
def test_a_lone_surrogate_echoed_in_an_error_is_still_a_problem(admin_user, method, url, body):
    """JSON may carry "\\ud800"; an error message echoing it failed to encode as UTF-8 (an
    HTML 500 instead of the problem)."""
    contact, member = ContactFactory(), ContactFactory()
    group = GroupFactory()
    MembershipFactory(contact=member, group=group)
    ids = {"contact": contact.pk, "group": group.pk, "member": member.pk}
    text = json.dumps(body).replace('"{contact}"', str(contact.pk))  # json escapes LONE
    assert "\\ud800" in text
    response = getattr(bearer(make_token(admin_user)), method)(
        url.format(**ids), text, content_type="application/json", HTTP_IF_MATCH='"1"'
    )
    body = _is_problem(response, 422)  # the body parsed as JSON: the value came back escaped
    assert body["errors"]
    assert response.content.isascii()
