"""Every role against every view and action: allowed, forbidden (403) or sent to log in."""

from urllib.parse import urlencode

import pytest

from contacts.models import Contact, Membership
from exports.services import export_request
from imports.models import ImportJob
from tests.factories import ContactFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["marketer", "tester", "admin", "outsider", "anonymous"]
OK = "ok"
FORBIDDEN = 403


@pytest.fixture
def world(db):
    contact = ContactFactory(email="someone@example.com")
    group = GroupFactory(name="Newsletter")
    test_group = GroupFactory(name="Testers", is_test_group=True)
    membership = MembershipFactory(contact=contact, group=group)
    test_membership = MembershipFactory(contact=contact, group=test_group)
    # Someone else's draft import: only an Admin may open it.
    importer = UserFactory(username="importer", role="Marketer")
    import_job = ImportJob.objects.create(requested_by=importer, file_name="theirs.csv")
    return {
        "contact": contact,
        "import_job": import_job,
        "group": group,
        "test_group": test_group,
        "membership": membership,
        "test_membership": test_membership,
    }


def _requests(w):
    c, g, tg = w["contact"].pk, w["group"].pk, w["test_group"].pk
    m, tm = w["membership"].pk, w["test_membership"].pk
    profile_post = {
        "version": 1,
        "identifier_type": "email",
        "email": "someone@example.com",
        "email_status": "active",
        "mobile_status": "active",
        "app_alias_status": "active",
        "first_name": "Changed",
    }
    return {
        "list": ("get", "/contacts/", None),
        "new form": ("get", "/contacts/new/", None),
        "create": ("post", "/contacts/new/", {"identifier_type": "email", "identifier": "n@x.de"}),
        "profile": ("get", f"/contacts/{c}/", None),
        "save profile": ("post", f"/contacts/{c}/", profile_post),
        "history": ("get", f"/contacts/{c}/history/", None),
        "delete form": ("get", f"/contacts/{c}/delete/", None),
        "delete": ("post", f"/contacts/{c}/delete/", {}),
        "bulk delete": ("post", "/contacts/delete/", {"ids": [c], "confirmed": "1"}),
        "anonymize": ("post", f"/contacts/{c}/anonymize/", {}),
        "memberships": ("get", f"/contacts/{c}/memberships/", None),
        "groups": ("get", "/groups/", None),
        "group members": ("get", f"/groups/{g}/", None),
        "membership page": ("get", f"/groups/{g}/memberships/{m}/", None),
        "edit membership": ("post", f"/groups/{g}/memberships/{m}/", {"status": "pending"}),
        "edit test membership": (
            "post",
            f"/groups/{tg}/memberships/{tm}/",
            {"status": "pending", "is_test_recipient": "on"},
        ),
        "remove membership page": ("get", f"/groups/{g}/memberships/{m}/remove/", None),
        "remove test membership page": ("get", f"/groups/{tg}/memberships/{tm}/remove/", None),
        "remove membership": ("post", f"/groups/{g}/memberships/{m}/remove/", {"confirmed": "1"}),
        "remove test membership": (
            "post",
            f"/groups/{tg}/memberships/{tm}/remove/",
            {"confirmed": "1"},
        ),
        "admin": ("get", "/admin/", None),
        "admin contacts": ("get", "/admin/contacts/contact/", None),
    }


EXPECTED = {
    #                        marketer   tester     admin      outsider
    "list": (OK, OK, OK, FORBIDDEN),
    "new form": (OK, OK, OK, FORBIDDEN),
    "create": (OK, OK, OK, FORBIDDEN),
    "profile": (OK, OK, OK, FORBIDDEN),
    "save profile": (OK, OK, OK, FORBIDDEN),
    "history": (OK, OK, OK, FORBIDDEN),
    "delete form": (OK, FORBIDDEN, OK, FORBIDDEN),
    "delete": (OK, FORBIDDEN, OK, FORBIDDEN),
    "bulk delete": (OK, FORBIDDEN, OK, FORBIDDEN),
    "anonymize": (OK, FORBIDDEN, OK, FORBIDDEN),
    "memberships": (OK, OK, OK, FORBIDDEN),
    "groups": (OK, OK, OK, FORBIDDEN),
    "group members": (OK, OK, OK, FORBIDDEN),
    "membership page": (OK, OK, OK, FORBIDDEN),
    "edit membership": (OK, FORBIDDEN, OK, FORBIDDEN),
    "edit test membership": (OK, OK, OK, FORBIDDEN),
    "remove membership page": (OK, FORBIDDEN, OK, FORBIDDEN),
    "remove test membership page": (OK, OK, OK, FORBIDDEN),
    "remove membership": (OK, FORBIDDEN, OK, FORBIDDEN),
    "remove test membership": (OK, OK, OK, FORBIDDEN),
    "admin": (FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
    "admin contacts": (FORBIDDEN, FORBIDDEN, OK, FORBIDDEN),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(EXPECTED))
def test_permission_matrix(clients, world, role, action):
    method, url, data = _requests(world)[action]
    client = clients[role]
    if role == "anonymous":
        response = getattr(client, method)(url, data or {}, follow=True)
        assert response.redirect_chain, "an anonymous visitor must be sent to log in"
        assert response.request["PATH_INFO"] == "/login/"
        return
    response = getattr(client, method)(url, data or {})
    expected = EXPECTED[action][ROLES.index(role)]
    if expected == FORBIDDEN:
        assert response.status_code == 403, response.status_code
    else:
        assert response.status_code in (200, 302), response.status_code


def test_forbidden_writes_change_nothing(tester_client, outsider_client, world):
    c = world["contact"]
    for client in (tester_client, outsider_client):
        client.post(f"/contacts/{c.pk}/delete/")
        client.post("/contacts/delete/", {"ids": [c.pk], "confirmed": "1"})
        client.post(
            f"/groups/{world['group'].pk}/memberships/{world['membership'].pk}/remove/",
            {"confirmed": "1"},
        )
    outsider_client.post(f"/contacts/{c.pk}/", {"version": 1, "first_name": "X"})
    assert Contact.objects.filter(pk=c.pk, first_name=c.first_name).exists()
    assert Membership.objects.count() == 2


def test_tester_cannot_add_to_a_normal_group_but_can_to_a_test_group(tester_client):
    contact = ContactFactory()
    normal = GroupFactory()
    test_group = GroupFactory(is_test_group=True)
    url = f"/contacts/{contact.pk}/memberships/"
    assert tester_client.post(url, {"group": normal.pk, "status": "active"}).status_code == 403
    response = tester_client.post(url, {"group": test_group.pk, "status": "active"})
    assert response.status_code == 302
    assert list(Membership.objects.values_list("group_id", flat=True)) == [test_group.pk]


def test_buttons_follow_permissions(tester_client, marketer_client):
    ContactFactory()
    tester_page = tester_client.get("/contacts/").content.decode()
    marketer_page = marketer_client.get("/contacts/").content.decode()
    assert "data-delete-trigger" not in tester_page
    assert 'name="ids"' not in tester_page
    assert "data-delete-trigger" in marketer_page
    assert 'name="ids"' in marketer_page


# Every URL of the app with the methods it handles; any other method gets 405 and `Allow`,
# whatever the role (checked before the permission, so a forbidden write tells nothing).
# POST last: it may delete what the other methods ask for.
METHODS = ["GET", "HEAD", "PUT", "PATCH", "DELETE", "TRACE", "OPTIONS", "BREW", "POST"]
PAGE = {"GET", "HEAD"}
FORM = {"GET", "HEAD", "POST"}
WRITE = {"POST"}
NOT_OURS = None  # the Django admin: only "never a 5xx"
FORM_TYPE = "application/x-www-form-urlencoded"
URL_METHODS = {
    "/": PAGE,
    "/login/": FORM,
    "/logout/": WRITE,
    "/contacts/": PAGE,
    "/contacts/new/": FORM,
    "/contacts/delete/": WRITE,
    "/contacts/deletions/": PAGE,
    "/contacts/{c}/": FORM,
    "/contacts/{c}/history/": PAGE,
    "/contacts/{c}/delete/": FORM,
    "/contacts/{c}/memberships/": FORM,
    # Anonymize asks first only when ANONYMIZE_CONFIRMATION is on (off here).
    "/contacts/{c}/anonymize/": WRITE,
    "/groups/": PAGE,
    "/groups/{g}/": PAGE,
    "/groups/{g}/memberships/{m}/": FORM,
    "/groups/{g}/memberships/{m}/remove/": FORM,  # GET asks, as a POST without confirmed
    "/exports/": PAGE,
    "/exports/contact/{c}/": WRITE,
    "/exports/contacts/": WRITE,
    "/exports/{token}/": PAGE,
    "/exports/{token}/download/": PAGE,
    "/imports/": PAGE,
    "/imports/new/": FORM,
    "/imports/{i}/": FORM,
    "/imports/{i}/cancel/": WRITE,
    "/imports/{i}/rejected/": PAGE,
    "/admin/": NOT_OURS,
    "/admin/contacts/contact/": NOT_OURS,
}


def _fill(template: str, w, token: str = "") -> str:
    ids = {"c": w["contact"].pk, "g": w["group"].pk, "m": w["membership"].pk}
    ids["i"] = w["import_job"].pk if "import_job" in w else 1
    return template.format(token=token, **ids)


def test_the_method_table_has_every_url_of_the_role_matrix(world):
    urls = {_fill(template, world) for template in URL_METHODS}
    for action, (method, url, _) in _requests(world).items():
        if url.startswith(f"/groups/{world['test_group'].pk}/"):
            continue  # the same views as the other group
        assert url in urls, action
        allowed = URL_METHODS[next(t for t in URL_METHODS if _fill(t, world) == url)]
        assert allowed is NOT_OURS or method.upper() in allowed, action


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("template", list(URL_METHODS))
def test_every_url_answers_only_its_methods(clients, marketer, world, role, template):
    job = export_request(actor=marketer, contact_id=world["contact"].pk)
    url, allowed = _fill(template, world, job.token), URL_METHODS[template]
    post_data = {u: data for m, u, data in _requests(world).values() if m == "post"}
    body = urlencode(post_data.get(url) or {}, doseq=True)
    client = clients[role]
    for method in METHODS:
        response = client.generic(method, url, body, CONTENT_TYPE=FORM_TYPE)
        where = f"{method} {url} as {role}: {response.status_code}"
        assert response.status_code < 500, where
        if allowed is NOT_OURS:
            continue
        if method not in allowed and (role != "anonymous" or url == "/login/"):
            assert response.status_code == 405, where
            assert set(response["Allow"].split(", ")) == allowed, where
            assert method == "HEAD" or "cannot do that" in response.content.decode(), where
        else:
            assert response.status_code != 405, where


def test_anonymize_answers_get_only_when_it_asks_first(marketer_client, world, settings):
    url = f"/contacts/{world['contact'].pk}/anonymize/"
    assert marketer_client.get(url)["Allow"] == "POST"
    settings.ANONYMIZE_CONFIRMATION = True
    assert "cannot be undone" in marketer_client.get(url).content.decode()
    assert marketer_client.head(url).status_code == 200
    assert set(marketer_client.put(url)["Allow"].split(", ")) == FORM
    assert Contact.objects.filter(pk=world["contact"].pk).exists()
