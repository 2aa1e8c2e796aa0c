"""Every role against every endpoint, as the screens' matrix: allowed, 403, or 401 for a
caller without a token; a read-only token never writes."""

import pytest

from exports.services import export_request
from tests.factories import ContactFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db

ROLES = ["marketer", "tester", "admin", "outsider"]
OK, NO = "ok", 403


@pytest.fixture
def world(marketer):
    contact = ContactFactory(email="someone@example.com")
    group = GroupFactory(name="Newsletter")
    test_group = GroupFactory(name="Testers", is_test_group=True)
    MembershipFactory(contact=contact, group=group)
    MembershipFactory(contact=contact, group=test_group)
    newcomer = ContactFactory(email="new@example.com")
    job = export_request(actor=marketer, contact_id=contact.pk)
    return {
        "c": contact.pk,
        "g": group.pk,
        "tg": test_group.pk,
        "n": newcomer.pk,
        "job": job.token,
    }


def _requests(w):
    c, g, tg, n = w["c"], w["g"], w["tg"], w["n"]
    return {
        "list": ("get", "/api/v1/contacts/", None),
        "look up": ("get", "/api/v1/contacts/?email=someone@example.com", None),
        "create": (
            "post",
            "/api/v1/contacts/",
            {"identifier_type": "email", "identifier": "z@x.de"},
        ),
        "profile": ("get", f"/api/v1/contacts/{c}/", None),
        "update": ("patch", f"/api/v1/contacts/{c}/", {"first_name": "Changed"}),
        "delete": ("delete", f"/api/v1/contacts/{c}/", None),
        "anonymize": ("post", f"/api/v1/contacts/{c}/anonymize/", None),
        "export": ("post", f"/api/v1/contacts/{c}/export/", None),
        "exports": ("get", "/api/v1/exports/", None),
        "export a selection": ("post", "/api/v1/exports/", {"filter": "name=anna"}),
        "export (marketer's)": ("get", f"/api/v1/exports/{w['job']}/", None),
        "groups": ("get", "/api/v1/groups/", None),
        "members": ("get", f"/api/v1/groups/{g}/members/", None),
        "member": ("get", f"/api/v1/groups/{g}/members/{c}/", None),
        "add member": ("post", f"/api/v1/groups/{g}/members/", {"contact_id": n}),
        "add test member": ("post", f"/api/v1/groups/{tg}/members/", {"contact_id": n}),
        "edit member": ("patch", f"/api/v1/groups/{g}/members/{c}/", {"status": "pending"}),
        "edit test member": ("patch", f"/api/v1/groups/{tg}/members/{c}/", {"status": "pending"}),
        "remove member": ("delete", f"/api/v1/groups/{g}/members/{c}/", None),
        "remove test member": ("delete", f"/api/v1/groups/{tg}/members/{c}/", None),
        "imports": ("get", "/api/v1/imports/", None),
        "bulk": (
            "post",
            "/api/v1/contacts/bulk/",
            {"match_on": "email", "rows": [{"Email": "b@x.de"}]},
        ),
        "attributes": ("get", "/api/v1/attributes/", None),
        "define attribute": (
            "post",
            "/api/v1/attributes/",
            {"name": "Tier", "data_type": "number"},
        ),
    }


EXPECTED = {
    #                        marketer tester admin outsider
    "list": (OK, OK, OK, NO),
    "look up": (OK, OK, OK, NO),
    "create": (OK, OK, OK, NO),
    "profile": (OK, OK, OK, NO),
    "update": (OK, OK, OK, NO),
    "delete": (OK, NO, OK, NO),
    "anonymize": (OK, NO, OK, NO),
    "export": (OK, NO, OK, NO),
    "exports": (OK, NO, OK, NO),
    "export a selection": (OK, NO, OK, NO),
    "export (marketer's)": (OK, NO, OK, NO),
    "groups": (OK, OK, OK, NO),
    "members": (OK, OK, OK, NO),
    "member": (OK, OK, OK, NO),
    "add member": (OK, NO, OK, NO),
    "add test member": (OK, OK, OK, NO),
    "edit member": (OK, NO, OK, NO),
    "edit test member": (OK, OK, OK, NO),
    "remove member": (OK, NO, OK, NO),
    "remove test member": (OK, OK, OK, NO),
    "imports": (OK, NO, OK, NO),
    "bulk": (OK, NO, OK, NO),
    "attributes": (OK, OK, OK, NO),
    "define attribute": (NO, NO, OK, NO),
}


def _send(client, method, url, data):
    return getattr(client, method)(url, data, format="json", HTTP_IF_MATCH='"1"')


def test_the_matrix_names_every_request(world):
    assert set(EXPECTED) == set(_requests(world))


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@pytest.mark.parametrize("action", list(EXPECTED))
def test_permission_matrix(api_clients, world, role, action):
    method, url, data = _requests(world)[action]
    response = _send(api_clients[role], method, url, data)
    assert response.status_code < 500
    if role == "anonymous":
        assert response.status_code == 401, response.status_code
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        return
    expected = EXPECTED[action][ROLES.index(role)]
    if expected == NO:
        assert response.status_code == 403, (response.status_code, response.content)
        assert response["Content-Type"] == "application/problem+json"
    else:
        assert response.status_code < 300, (response.status_code, response.content)


@pytest.mark.parametrize(
    "action",
    [
        a
        for a, (m, _, _) in _requests(dict.fromkeys(["c", "g", "tg", "n", "job"], 1)).items()
        if m != "get"
    ],
)
def test_a_read_only_token_never_writes(api_clients, world, action):
    method, url, data = _requests(world)[action]
    response = _send(api_clients["read_only"], method, url, data)
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
